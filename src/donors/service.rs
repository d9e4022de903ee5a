//! Donor commands: registering and correcting donors. A SIRET is parsed
//! (spaces dropped, check digit verified) before it reaches the ledger.

use entities::donor;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::siret::Siret;
use super::{Donor, DonorChanges, NewDonor};
use crate::auth::{Permission, Principal};
use crate::error::AppError;
use crate::ids::DonorId;
use crate::ledger::{Subject, projection};
use crate::patch::{clean, record_changes};
use crate::state::Tx;

fn siret(text: &str) -> Result<String, AppError> {
    Siret::parse(text)
        .map(|s| s.to_string())
        .map_err(|e| AppError::field("siret", e.to_string()))
}

pub async fn create(tx: &mut Tx, principal: &Principal, new: NewDonor) -> Result<Donor, AppError> {
    principal.require(Permission::ManageDonors)?;
    new.validate()?;
    let created = events::Created {
        name: new.name.trim().to_owned(),
        kind: new.kind,
        siret: new.siret.as_deref().map(siret).transpose()?,
        address: clean(new.address),
        contact_name: clean(new.contact_name),
        contact_email: clean(new.contact_email),
        contact_phone: clean(new.contact_phone),
    };
    let id = DonorId::generate();
    tx.record(None, Subject::new(SUBJECT, id), created).await?;
    projection::row::<donor::Entity>(tx.conn(), id.0)
        .await?
        .try_into()
}

pub async fn update(
    tx: &mut Tx,
    principal: &Principal,
    id: DonorId,
    expected: i64,
    changes: DonorChanges,
) -> Result<Donor, AppError> {
    principal.require(Permission::ManageDonors)?;
    changes.validate()?;
    let changes = events::Changes {
        name: changes.name.map(|n| n.trim().to_owned()),
        kind: changes.kind,
        siret: changes
            .siret
            .map(|s| s.as_deref().map(siret).transpose())
            .transpose()?,
        address: changes.address.map(clean),
        contact_name: changes.contact_name.map(clean),
        contact_email: changes.contact_email.map(clean),
        contact_phone: changes.contact_phone.map(clean),
    };
    record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |_| {
        Ok(None)
    })
    .await?
    .try_into()
}
