//! `/lots`: the site's latest donations, each with its donor.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::{LotLine, line};
use crate::error::AppError;
use crate::i18n::Language;
use crate::state::AppState;
use crate::web::page;
use crate::web::session::Session;
use crate::{donors, lots};

#[derive(Template)]
#[template(path = "lots.html")]
struct LotsPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    lots: Vec<LotLine>,
    /// Whether this reader may record a donation (and its donor).
    can_create: bool,
}

pub(super) async fn list(State(state): State<AppState>, session: Session) -> Response {
    let result = async {
        let principal = &session.principal;
        let rows = lots::queries::latest(&state.db, principal, 100).await?;
        // One query for every donor named on the page, as the principal may read them.
        let donors =
            donors::queries::names(&state.db, principal, rows.iter().map(|l| l.donor_id.0)).await?;
        let lots = rows
            .into_iter()
            .map(|lot| {
                let donor = donors.get(&lot.donor_id.0).cloned().unwrap_or_default();
                line(session.language, lot, donor)
            })
            .collect();
        Ok::<_, AppError>(lots)
    }
    .await;
    session.page(result.map(|lots| {
        page(
            StatusCode::OK,
            &LotsPage {
                lang: session.language,
                signed_in: Some(&session),
                lots,
                can_create: session
                    .principal
                    .role
                    .allows(crate::principal::Permission::ManageLots),
            },
        )
    }))
}
