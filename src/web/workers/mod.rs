//! `/workers`: the team — who works here on which contract, how it ended —
//! with names only for those the workers queries allow, erasable.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use uuid::Uuid;

use super::session::Session;
use crate::i18n::Language;
use crate::ids::WorkerId;
use crate::state::AppState;
use crate::workers::{self, ContractKind, ExitOutcome};

mod team;
mod worker;

use team::{create, list};
use worker::{end, erase, show};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/workers", get(list).post(create))
        .route("/workers/{id}", get(show).post(end))
        .route("/workers/{id}/erase", post(erase))
        .route("/workers/{id}/passport.pdf", get(passport))
}

/// The skills passport from the start of the contract to today (or its end).
async fn passport(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Response {
    let lang = session.language;
    let result = async {
        let worker = workers::queries::get(&state.db, &session.principal, WorkerId(id)).await?;
        let today = chrono::Utc::now().date_naive();
        let to = worker.ended_on.map_or(today, |end| end.min(today));
        let from = worker.started_on.min(to);
        workers::routes::passport_pdf(&state, &session.principal, WorkerId(id), from, to, lang)
            .await
    }
    .await;
    session.page(
        result.map(|pdf| crate::allocations::routes::pdf_response(pdf, "passeport-competences")),
    )
}

fn contracts(lang: Language) -> Vec<(&'static str, String)> {
    ContractKind::ALL
        .into_iter()
        .map(|k| {
            (
                k.as_str(),
                lang.text(&format!("contract.{}", k.as_str())).to_owned(),
            )
        })
        .collect()
}

fn exits(lang: Language) -> Vec<(&'static str, String)> {
    ExitOutcome::ALL
        .into_iter()
        .map(|o| {
            (
                o.as_str(),
                lang.text(&format!("exit.{}", o.as_str())).to_owned(),
            )
        })
        .collect()
}
