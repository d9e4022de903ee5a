//! `/`: where a day starts. A technician sees the bench's work by state; a
//! coordinator the desk's too; a funder (viewer) lands on the report.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::lots::{LotLine, line};
use super::page;
use super::session::Session;
use crate::error::AppError;
use crate::i18n::Language;
use crate::principal::Permission;
use crate::state::AppState;
use crate::workload::{self, Bench};

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    lang: Language,
    signed_in: Option<&'a Session>,
    name: String,
    bench: Bench,
    desk: Option<DeskView>,
}

struct DeskView {
    reserved: u64,
    complaints: Vec<ComplaintLine>,
    lots: Vec<(LotLine, u64)>,
    to_ship: u64,
}

struct ComplaintLine {
    allocation_id: uuid::Uuid,
    due_on: String,
    late: bool,
}

pub async fn show(State(state): State<AppState>, session: Session) -> Response {
    let principal = &session.principal;
    // A funder reads the report; there is no bench or desk for them.
    if !principal.role.allows(Permission::WorkshopActions) {
        return Redirect::to("/reports").into_response();
    }
    let result = async {
        let bench = workload::bench(&state.db, principal).await?;
        let desk = if principal.role.allows(Permission::ManageBeneficiaries) {
            let today = state.settings.clock.now().date_naive();
            let desk = workload::desk(&state.db, principal, today).await?;
            let donors = crate::donors::queries::names(
                &state.db,
                principal,
                desk.lots_to_label.iter().map(|(l, _)| l.donor_id.0),
            )
            .await?;
            Some(DeskView {
                reserved: desk.reserved,
                complaints: desk
                    .complaints
                    .into_iter()
                    .map(|c| ComplaintLine {
                        allocation_id: c.allocation_id.0,
                        due_on: crate::i18n::format::date(session.language, c.due_on),
                        late: c.late,
                    })
                    .collect(),
                lots: desk
                    .lots_to_label
                    .into_iter()
                    .map(|(lot, n)| {
                        let donor = donors.get(&lot.donor_id.0).cloned().unwrap_or_default();
                        (line(session.language, lot, donor), n)
                    })
                    .collect(),
                to_ship: desk.to_ship,
            })
        } else {
            None
        };
        let me = crate::users::queries::get(&state.db, principal, principal.user_id).await?;
        Ok::<_, AppError>(page(
            StatusCode::OK,
            &DashboardPage {
                lang: session.language,
                signed_in: Some(&session),
                name: me.display_name,
                bench,
                desk,
            },
        ))
    }
    .await;
    session.page(result)
}
