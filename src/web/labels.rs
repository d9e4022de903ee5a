//! Label printing from the pages: the lot page prints a lot's labels, the
//! device page reprints one (a label torn off, a drive moved to a new
//! machine). Both ask `GET /api/v1/labels`'s own code for the document.

use axum::response::Response;
use serde::Deserialize;

use super::session::Session;
use crate::error::AppError;
use crate::labels::LabelFormat;
use crate::labels::routes::LabelRequest;
use crate::state::AppState;

/// The print form's fields: stock, used slots, media too.
#[derive(Deserialize)]
pub struct PrintForm {
    pub format: LabelFormat,
    #[serde(default)]
    pub skip: usize,
    #[serde(default)]
    pub include_media: Option<String>,
    /// Only the devices registered since then: the labels of a lot's new
    /// devices, after an import.
    pub since: Option<chrono::DateTime<chrono::Utc>>,
}

/// The menu of stocks, in the order the forms offer them.
pub fn stocks() -> Vec<(&'static str, &'static str)> {
    LabelFormat::ALL
        .iter()
        .map(|f| (f.as_str(), f.stock_name()))
        .collect()
}

/// The label document for what `choose` fills in, or a page saying why not.
pub async fn print(
    state: &AppState,
    session: &Session,
    form: Result<PrintForm, AppError>,
    choose: impl FnOnce(&mut LabelRequest),
) -> Response {
    let result = async {
        let form = form?;
        let mut request = LabelRequest {
            format: form.format,
            lot_id: None,
            device_ids: None,
            media_ids: None,
            include_media: form.include_media.is_some(),
            skip: form.skip,
            lang: Some(session.language),
        };
        choose(&mut request);
        crate::labels::routes::document(state, &session.principal, request).await
    }
    .await;
    session.page(result)
}
