//! A reservation: a ready device set aside for a beneficiary of its site.

use entities::{beneficiary, device};
use sea_orm::EntityTrait;
use validator::Validate;

use super::reserved_for_another;
use crate::allocations::events::{self, SUBJECT};
use crate::allocations::queries::{load, open_for_device};
use crate::allocations::{Allocation, NewAllocation};
use crate::devices::{Action, TransitionRequest};
use crate::error::AppError;
use crate::ids::{AllocationId, DeviceId, SiteId};
use crate::ledger::Subject;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// Reserves a ready device for a beneficiary of the same site.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn reserve(
    tx: &mut Tx,
    principal: &Principal,
    new: NewAllocation,
) -> Result<Allocation, AppError> {
    principal.require(Permission::ManageBeneficiaries)?;
    new.validate()?;
    let device = device::Entity::find_by_id(new.device_id.0)
        .one(tx.conn())
        .await?
        .filter(|d| principal.can_see_site(d.site_id))
        .ok_or_else(|| AppError::field("device_id", "no such device"))?;
    let beneficiary = beneficiary::Entity::find_by_id(new.beneficiary_id.0)
        .one(tx.conn())
        .await?
        .filter(|b| principal.can_see_site(b.site_id))
        .ok_or_else(|| AppError::field("beneficiary_id", "no such beneficiary"))?;
    if beneficiary.site_id != device.site_id {
        return Err(AppError::field(
            "beneficiary_id",
            "belongs to another site than the device",
        ));
    }
    if let crate::allocations::Conditions::Loan { until } = new.conditions
        && until <= chrono::Utc::now().date_naive()
    {
        return Err(AppError::field("conditions.until", "must be a future date"));
    }
    if let Some(other) = open_for_device(tx, DeviceId(device.id)).await? {
        return Err(reserved_for_another(tx, &other).await?);
    }
    let expected = new.device_version.unwrap_or(device.version);
    crate::devices::service::transition(
        tx,
        principal,
        DeviceId(device.id),
        expected,
        TransitionRequest::action(Action::Reserve),
    )
    .await?;
    let id = AllocationId::generate();
    let site = SiteId(device.site_id);
    tx.record(
        Some(site),
        Subject::new(SUBJECT, id),
        events::Reserved {
            site_id: site,
            device_id: DeviceId(device.id),
            beneficiary_id: new.beneficiary_id,
            beneficiary_reference: beneficiary.reference,
            terms: new.conditions.into(),
            warranty_months: new.warranty_months,
        },
    )
    .await?;
    load(tx.conn(), id).await
}
