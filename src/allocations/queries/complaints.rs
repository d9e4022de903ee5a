//! Complaints as the workshop reads them, with the day their answer is due.

use entities::complaint;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::get;
use crate::allocations::{Complaint, working_days_after};
use crate::error::AppError;
use crate::ids::{AllocationId, ComplaintId, SiteId};
use crate::principal::{Permission, Principal};

pub fn complaint_from_row(row: complaint::Model) -> Complaint {
    Complaint {
        id: ComplaintId(row.id),
        site_id: SiteId(row.site_id),
        allocation_id: AllocationId(row.allocation_id),
        received_on: row.received_on,
        description: row.description,
        answered_on: row.answered_on,
        answer: row.answer,
        answer_due_on: working_days_after(row.received_on, 8),
        version: row.version,
    }
}

/// The complaints about an allocation, oldest first: what a beneficiary
/// said and what the workshop answered, for the workshop only (a funder
/// reads their counts in the non-conformity figures).
pub async fn complaints(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: AllocationId,
) -> Result<Vec<Complaint>, AppError> {
    principal.require(Permission::ReadNotes)?;
    get(db, principal, id).await?;
    Ok(complaint::Entity::find()
        .filter(complaint::Column::AllocationId.eq(id.0))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(complaint_from_row)
        .collect())
}
