//! `/api/v1/certificates` for the workshop, and `/verify/{number}` for
//! anyone holding a certificate: number, date, holder, device count,
//! SHA-256 and whether the signature holds — nothing personal.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries;
use super::service::{self, NewCertificate};
use super::{Certificate, Kind, seal, verification};
use crate::error::{AppError, Problem};
use crate::extract::{AppJson, AppPath, AppQuery, IdempotencyKey};
use crate::pagination::{Page, PageParams};
use crate::principal::Principal;
use crate::state::AppState;
use crate::write::{Written, created};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue_certificate, list_certificates))
        .routes(routes!(get_certificate))
        .routes(routes!(certificate_file))
        .routes(routes!(verify_page))
}

#[utoipa::path(
    post, path = "/api/v1/certificates", tag = "certificates",
    request_body = NewCertificate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key replay the first answer")),
    responses(
        (status = 201, description = "Issued, stored and signed", body = Certificate),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Devices not past erasure (listed), or already issued", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn issue_certificate(
    State(state): State<AppState>,
    principal: Principal,
    key: IdempotencyKey,
    AppJson(new): AppJson<NewCertificate>,
) -> Result<(StatusCode, Written<Certificate>), AppError> {
    let key = key.for_body(&new);
    service::issue(&state, &principal, new, key)
        .await
        .map(created)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CertificateFilter {
    kind: Option<Kind>,
    /// The lot or device certified.
    subject_id: Option<Uuid>,
}

#[utoipa::path(
    get, path = "/api/v1/certificates", tag = "certificates",
    params(CertificateFilter, PageParams),
    responses((status = 200, body = Page<Certificate>)),
    security(("bearer" = []))
)]
async fn list_certificates(
    State(state): State<AppState>,
    principal: Principal,
    AppQuery(filter): AppQuery<CertificateFilter>,
    AppQuery(page): AppQuery<PageParams>,
) -> Result<AppJson<Page<Certificate>>, AppError> {
    let filter = queries::Filter {
        kind: filter.kind,
        subject_id: filter.subject_id,
    };
    Ok(AppJson(
        queries::list(&state.db, &principal, &filter, &page).await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/certificates/{number}", tag = "certificates",
    params(("number" = String, Path, example = "CERT-2026-000042")),
    responses((status = 200, body = Certificate), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
async fn get_certificate(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(number): AppPath<String>,
) -> Result<AppJson<Certificate>, AppError> {
    Ok(AppJson(
        queries::get(&state.db, &principal, &number)
            .await?
            .try_into()?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/certificates/{number}/pdf", tag = "certificates",
    params(("number" = String, Path)),
    responses(
        (status = 200, description = "The issued file, byte for byte", content_type = "application/pdf", body = Vec<u8>),
        (status = 403, description = "A viewer: the files name the workshop's staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn certificate_file(
    State(state): State<AppState>,
    principal: Principal,
    AppPath(number): AppPath<String>,
) -> Result<Response, AppError> {
    let file = queries::readable_file(&state.db, &principal, &number).await?;
    let mut response = file.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{number}.pdf\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// What the public verification page confirms.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub number: String,
    pub kind: Kind,
    pub revision: i32,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    /// The donor organisation (never a private person's name): with the
    /// code printed on the certificate only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// With the code only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_count: Option<i32>,
    /// SHA-256 of the file: compare with `sha256sum` of the copy you hold.
    pub sha256: String,
    /// Whether the stored file's signature holds with this instance's key.
    pub signature_valid: bool,
    pub key_id: String,
    pub issued_by: String,
    /// A later revision that replaces this certificate, if any.
    pub superseded_by: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// The code printed beside the certificate's number (its QR code holds
    /// it): with it, the holder and the device count are shown too.
    pub code: Option<String>,
}

#[utoipa::path(
    get, path = "/verify/{number}", tag = "certificates",
    params(("number" = String, Path), VerifyQuery),
    responses(
        (status = 200, description = "HTML for a person, JSON with `Accept: application/json`", content(
            (Verification = "application/json"),
            (String = "text/html"),
        )),
        (status = 404, description = "No such certificate, or not this code", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn verify_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    AppPath(number): AppPath<String>,
    AppQuery(query): AppQuery<VerifyQuery>,
) -> Result<Response, AppError> {
    let row = queries::by_number(&state.db, &number).await?;
    // A number alone, which anyone can count to, names no holder.
    let with_code = match &query.code {
        Some(code) if verification::holds(&state.key, &row.number, code) => true,
        Some(_) => return Err(AppError::NotFound),
        None => false,
    };
    let file = queries::file(&state.db, &row).await?;
    let signature_valid = file.is_some_and(|bytes| {
        seal::file_sha256(&bytes) == row.file_sha256
            && seal::verify(&bytes, &state.key.verifying_key()).is_ok()
    });
    let superseded_by = queries::superseded_by(&state.db, &row.number).await?;
    let verification = Verification {
        kind: Kind::parse(&row.kind).ok_or_else(|| AppError::internal("certificate kind"))?,
        number: row.number,
        revision: row.revision,
        issued_at: row.issued_at,
        holder: with_code.then_some(row.holder),
        device_count: with_code.then_some(row.device_count),
        sha256: row.file_sha256,
        signature_valid,
        key_id: row.key_id,
        issued_by: state.settings.instance_name.clone(),
        superseded_by,
    };
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("json"));
    if wants_json {
        return Ok(AppJson(verification).into_response());
    }
    Ok(Html(verification_html(&verification)).into_response())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn verification_html(v: &Verification) -> String {
    let status = if v.signature_valid {
        "<p class=\"ok\">✔ Signature valide — certificat authentique / valid signature — authentic certificate</p>"
    } else {
        "<p class=\"bad\">✘ Signature invalide — invalid signature</p>"
    };
    let superseded = v
        .superseded_by
        .as_deref()
        .map(|n| {
            format!(
                "<p class=\"bad\">Remplacé par / superseded by <a href=\"/verify/{0}\">{0}</a></p>",
                escape(n)
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{number} — {issuer}</title><link rel=\"stylesheet\" href=\"/static/retrace.css\"></head>\
<body class=\"verify\"><h1>{number}</h1>{status}{superseded}<dl>\
<dt>Émis par / issued by</dt><dd>{issuer}</dd>\
<dt>Date d’émission / issued</dt><dd>{issued}</dd>\
{holder}\
<dt>SHA-256</dt><dd><code>{sha}</code></dd>\
<dt>Clé / key</dt><dd><code>{key}</code></dd></dl></body></html>",
        number = escape(&v.number),
        issuer = escape(&v.issued_by),
        issued = v.issued_at.format("%Y-%m-%d"),
        holder = match (&v.holder, v.device_count) {
            (Some(holder), Some(count)) => format!(
                "<dt>Bénéficiaire / holder</dt><dd>{}</dd><dt>Équipements / devices</dt><dd>{count}</dd>",
                escape(holder)
            ),
            _ => "<dt>Bénéficiaire / holder</dt><dd>avec le code imprimé sous le numéro / \
with the code printed under the number</dd>"
                .to_owned(),
        },
        sha = escape(&v.sha256),
        key = escape(&v.key_id),
    )
}
