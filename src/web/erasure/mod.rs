//! Erasure at the bench, from the device page (SPEC §3): the hardware report
//! that lists the drives (lshw), the nwipe log that erased them, a
//! sanitization or a destruction recorded by hand with NIST SP 800-88's
//! fields, the drives of a log that matched no medium attached to one, and
//! the device's erasure certificate. Each form posts to the same services as
//! the API; what a page shows of the records is [`view`]'s.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::post;

use crate::state::AppState;

mod certificate;
mod records;
mod uploads;
pub mod view;

pub use view::{LogView, Panel, RecordLine};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/d/{tag}/nwipe",
            post(uploads::nwipe).layer(DefaultBodyLimit::max(
                crate::erasure::routes::LOG_LIMIT + 64 * 1024,
            )),
        )
        .route("/d/{tag}/lshw", post(uploads::lshw))
        .route("/d/{tag}/erasures", post(records::record))
        .route("/d/{tag}/erasures/attach", post(records::attach))
        .route("/d/{tag}/media", post(records::add_medium))
        .route("/d/{tag}/certificate", post(certificate::issue))
}
