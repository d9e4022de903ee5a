//! The lot page's asset list upload: a dry run shows what would happen, the real run imports every device or none.

use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use uuid::Uuid;

use super::{ImportView, Shown, lot_page};
use crate::asset_list::import::AssetListReport;
use crate::asset_list::refusals::AssetListInvalid;
use crate::asset_list::{self, Severity};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::LotId;
use crate::state::AppState;
use crate::web::session::Session;

/// The asset list upload: a dry run shows what would happen; the real run
/// imports every device or none.
pub(super) async fn import(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = session.language;
    session.page(
        async {
            let upload = crate::web::upload::read(multipart).await?;
            let (csrf, file, dry_run) = (&upload.csrf, &upload.file, upload.has("dry_run"));
            session.check_csrf(csrf)?;
            if file.is_empty() {
                return Err(AppError::field("file", lang.text("lot.no_file")));
            }
            let principal = &session.principal;
            let outcome = if dry_run {
                asset_list::import::check(&state.db, principal, LotId(id), file).await
            } else {
                asset_list::import::import(&state, principal, LotId(id), file).await
            };
            let view = match outcome {
                Ok(report) => view_of(lang, &report),
                Err(err) => match err.refusal::<AssetListInvalid>() {
                    Some(AssetListInvalid { issues }) => ImportView {
                        dry_run,
                        since: None,
                        read: 0,
                        created: 0,
                        errors: lines(lang, issues, Severity::Error),
                        warnings: lines(lang, issues, Severity::Warning),
                    },
                    None => return Err(err),
                },
            };
            lot_page(
                &state,
                &session,
                id,
                Shown {
                    import: Some(view),
                    ..Shown::default()
                },
            )
            .await
        }
        .await,
    )
}

/// The page's summary of an import or a dry run.
pub(super) fn view_of(lang: Language, report: &AssetListReport) -> ImportView {
    ImportView {
        dry_run: report.dry_run,
        since: report
            .created
            .iter()
            .map(|d| d.created_at)
            .min()
            .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        read: report.rows.len(),
        created: report.created.len(),
        errors: lines(lang, &report.issues, Severity::Error),
        warnings: lines(lang, &report.issues, Severity::Warning),
    }
}

/// "# 5 — Numéro de série : AB1 figure déjà ligne 3", in the reader's language.
pub(super) fn lines(
    lang: Language,
    issues: &[asset_list::Issue],
    severity: Severity,
) -> Vec<String> {
    issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| {
            let field = crate::web::problems::field_name(lang, &i.field);
            format!("# {} — {field} : {}", i.line, i.finding.describe(lang))
        })
        .collect()
}

/// A value's serde name (`active`, `revoked`).
pub(super) fn serde_plain(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
