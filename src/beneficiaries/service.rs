//! Beneficiary commands, run inside the ledger writer. Personal data is
//! written beside the ledger, in the same transaction as the event that says
//! it was recorded, and deleted the same way.

use entities::{
    allocation, allocation_signature, beneficiary, beneficiary_personal_data, complaint, site,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait,
};
use validator::Validate;

use super::events::{self, SUBJECT};
use super::queries::{load, shown};
use super::{Beneficiary, NewBeneficiary, PersonalData, normalize_postcode};
use crate::error::AppError;
use crate::ids::{BeneficiaryId, SiteId};
use crate::ledger::Subject;
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::{AppState, Tx};

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn register(
    tx: &mut Tx,
    principal: &Principal,
    new: NewBeneficiary,
) -> Result<Beneficiary, AppError> {
    principal.require(Permission::ManageBeneficiaries)?;
    new.validate()?;
    let site = principal.target_site(new.site_id)?;
    let code = site::Entity::find_by_id(site.0)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::field("site_id", "no such site"))?
        .code;
    let id = BeneficiaryId::generate();
    let registered = events::Registered {
        site_id: site,
        reference: crate::pseudonym::reference(&code, 'B'),
        category: new.category,
        postcode: normalize_postcode(new.postcode)
            .map_err(|message| AppError::field("postcode", message))?,
        referring_partner: clean(new.referring_partner),
    };
    tx.record(Some(site), Subject::new(SUBJECT, id), registered)
        .await?;
    let personal = PersonalData {
        name: clean(new.name),
        email: clean(new.email),
        phone: clean(new.phone),
    };
    if !personal.is_empty() {
        beneficiary_personal_data::ActiveModel {
            beneficiary_id: Set(id.0),
            name: Set(personal.name),
            email: Set(personal.email),
            phone: Set(personal.phone),
            recorded_at: Set(chrono::Utc::now()),
        }
        .insert(tx.conn())
        .await?;
        tx.record(
            Some(site),
            Subject::new(SUBJECT, id),
            events::PersonalDataRecorded { version: 2 },
        )
        .await?;
    }
    let loaded = load(tx.conn(), id).await?;
    Ok(shown(principal, loaded.0, loaded.1))
}

/// Erases a beneficiary's name, contact and drawn signatures, and what they
/// said: the faults of their returns, their complaints and the answers (from
/// the projections, from beside the chain, and from the events written
/// before it held them). Erasing what is already gone changes nothing and
/// records nothing.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, beneficiary = %id))]
pub async fn erase_personal_data(
    tx: &mut Tx,
    principal: &Principal,
    id: BeneficiaryId,
) -> Result<Beneficiary, AppError> {
    principal.require(Permission::ReadPersonalData)?;
    let row = beneficiary::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .ok_or(AppError::NotFound)?;
    principal.check_site(row.site_id)?;
    let allocations: Vec<uuid::Uuid> = allocation::Entity::find()
        .select_only()
        .column(allocation::Column::Id)
        .filter(allocation::Column::BeneficiaryId.eq(id.0))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let complaints: Vec<uuid::Uuid> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .filter(complaint::Column::AllocationId.is_in(allocations.clone()))
        .into_tuple()
        .all(tx.conn())
        .await?;
    let mut about = vec![id.0];
    about.extend(&allocations);
    about.extend(&complaints);
    let device_events =
        crate::allocations::queries::device_events_during(tx.conn(), &allocations).await?;
    let taken = crate::privacy::take(tx, &about, None)
        .await?
        .and_from(tx, &device_events, &["note"])
        .await?;
    let signatures = allocation_signature::Entity::delete_many()
        .filter(allocation_signature::Column::AllocationId.is_in(allocations.clone()))
        .exec(tx.conn())
        .await?
        .rows_affected;
    let personal = beneficiary_personal_data::Entity::delete_by_id(id.0)
        .exec(tx.conn())
        .await?
        .rows_affected;
    if personal + signatures > 0 || row.has_personal_data || !taken.is_empty() {
        tx.record(
            Some(SiteId(row.site_id)),
            Subject::new(SUBJECT, id),
            events::PersonalDataErased {
                version: row.version + 1,
                allocations,
                complaints,
            },
        )
        .await?;
    }
    taken.record(tx).await?;
    let loaded = load(tx.conn(), id).await?;
    Ok(shown(principal, loaded.0, loaded.1))
}

/// After an erasure is committed: what the storage engine still keeps of
/// the deleted rows goes too (see [`crate::db::scrub`]).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn scrub(db: &DatabaseConnection) -> Result<(), AppError> {
    crate::privacy::scrub(
        db,
        &[
            "beneficiaries",
            "beneficiary_personal_data",
            "allocation_signatures",
            "allocations",
            "complaints",
        ],
    )
    .await
}

/// Storage limitation (GDPR art. 5): the beneficiaries whose personal data
/// has been kept `[privacy] beneficiary_retention_months` after their last
/// allocation closed — after their registration if they never had one — and
/// who have none open. Read from the pool; the erasure itself goes through
/// the writer.
async fn past_retention(state: &AppState) -> Result<Vec<BeneficiaryId>, AppError> {
    let months = chrono::Months::new(state.settings.privacy.beneficiary_retention_months);
    let now = state.settings.clock.now();
    let Some(cutoff) = now.checked_sub_months(months) else {
        return Ok(Vec::new());
    };
    // One query, whatever the number of beneficiaries: those named, older
    // than the cutoff, with no allocation still open or closed since.
    let kept = allocation::Entity::find()
        .select_only()
        .column(allocation::Column::BeneficiaryId)
        .filter(
            sea_orm::Condition::any()
                .add(allocation::Column::ClosedAt.is_null())
                .add(allocation::Column::ClosedAt.gte(cutoff)),
        )
        .into_query();
    let due: Vec<uuid::Uuid> = beneficiary::Entity::find()
        .select_only()
        .column(beneficiary::Column::Id)
        .filter(beneficiary::Column::HasPersonalData.eq(true))
        .filter(beneficiary::Column::CreatedAt.lt(cutoff))
        .filter(beneficiary::Column::Id.not_in_subquery(kept))
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(due.into_iter().map(BeneficiaryId).collect())
}

/// Erases the personal data of every beneficiary past its retention, each
/// as a ledger event like any erasure (by the instance itself), then scrubs
/// the storage. Run by the hourly chores; returns how many were erased.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn erase_past_retention(state: &AppState) -> Result<usize, AppError> {
    let due = past_retention(state).await?;
    for id in &due {
        let id = *id;
        state
            .write_now(&Principal::instance(), move |tx, instance| {
                Box::pin(erase_personal_data(tx, instance, id))
            })
            .await?;
    }
    if !due.is_empty() {
        scrub(&state.db).await?;
    }
    Ok(due.len())
}
