//! Lot commands: registering a donation at a site, and correcting it.

use entities::lot;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::{Lot, LotChanges, NewLot};
use crate::error::AppError;
use crate::ids::{LotId, SiteId};
use crate::ledger::{Subject, projection};
use crate::patch::{clean, record_changes};
use crate::principal::{Permission, Principal};
use crate::state::Tx;

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn create(tx: &mut Tx, principal: &Principal, new: NewLot) -> Result<Lot, AppError> {
    principal.require(Permission::ManageLots)?;
    new.validate()?;
    let site = principal.target_site(new.site_id)?;
    if !crate::sites::queries::exists(tx.conn(), site).await? {
        return Err(AppError::field("site_id", "no such site"));
    }
    if !crate::donors::queries::exists(tx.conn(), new.donor_id).await? {
        return Err(AppError::field("donor_id", "no such donor"));
    }
    let id = LotId::generate();
    let created = events::Created {
        donor_id: new.donor_id,
        site_id: site,
        received_on: new.received_on,
        donor_reference: clean(new.donor_reference),
        declared_count: new.declared_count,
        weight_kg: new.weight_kg,
        notes: clean(new.notes),
    };
    tx.record(Some(site), Subject::new(SUBJECT, id), created)
        .await?;
    Ok(projection::row::<lot::Entity>(tx.conn(), id.0)
        .await?
        .into())
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, lot = %id))]
pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: LotId,
    expected: i64,
    changes: LotChanges,
) -> Result<Lot, AppError> {
    principal.require(Permission::ManageLots)?;
    changes.validate()?;
    let changes = events::Changes {
        received_on: changes.received_on,
        donor_reference: changes.donor_reference.map_sent(clean),
        declared_count: changes.declared_count,
        weight_kg: changes.weight_kg,
        notes: changes.notes.map_sent(clean),
    };
    let scope = |row: &lot::Model| {
        principal
            .check_site(row.site_id)
            .map(|()| Some(SiteId(row.site_id)))
    };
    Ok(
        record_changes(tx, Subject::new(SUBJECT, id), expected, changes, scope)
            .await?
            .into(),
    )
}
