//! Complaints about a device given, and their answers.

use entities::complaint;
use sea_orm::EntityTrait;
use validator::Validate;

use super::{state_of, visible};
use crate::allocations::events::{self, COMPLAINT};
use crate::allocations::queries::complaint_from_row;
use crate::allocations::rules::{self, Step};
use crate::allocations::{Complaint, ComplaintAnswer, NewComplaint};
use crate::error::{AppError, check_version};
use crate::ids::{AllocationId, ComplaintId, SiteId};
use crate::ledger::Subject;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// Logs a complaint about a delivered (or returned) device.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, allocation = %id))]
pub async fn log_complaint(
    tx: &mut Tx,
    principal: &Principal,
    id: AllocationId,
    new: NewComplaint,
) -> Result<Complaint, AppError> {
    principal.require(Permission::DispatchActions)?;
    new.validate()?;
    let row = visible(tx, principal, id).await?;
    rules::check(state_of(&row)?, Step::Complain)?;
    let complaint = ComplaintId::generate();
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(COMPLAINT, complaint),
        events::ComplaintLogged {
            site_id: SiteId(row.site_id),
            allocation_id: id,
            received_on: new.received_on,
            description: new.description.trim().to_owned(),
        },
    )
    .await?;
    load_complaint(tx, complaint).await
}

async fn load_complaint(tx: &Tx, id: ComplaintId) -> Result<Complaint, AppError> {
    complaint::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .map(complaint_from_row)
        .ok_or(AppError::NotFound)
}

/// Records the written answer to a complaint.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, complaint = %id))]
pub async fn answer_complaint(
    tx: &mut Tx,
    principal: &Principal,
    id: ComplaintId,
    expected: i64,
    answer: ComplaintAnswer,
) -> Result<Complaint, AppError> {
    principal.require(Permission::DispatchActions)?;
    answer.validate()?;
    let row = complaint::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    check_version(row.version, expected)?;
    if answer.answered_on < row.received_on {
        return Err(AppError::field(
            "answered_on",
            "must not be before the complaint was received",
        ));
    }
    tx.record(
        Some(SiteId(row.site_id)),
        Subject::new(COMPLAINT, id),
        events::ComplaintAnswered {
            version: row.version + 1,
            answered_on: answer.answered_on,
            answer: answer.answer.trim().to_owned(),
        },
    )
    .await?;
    load_complaint(tx, id).await
}
