//! Donor commands: registering and correcting donors. A SIRET is parsed
//! (spaces dropped, check digit verified) before it reaches the ledger.

use entities::donor;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::siret;
use super::{Donor, DonorChanges, NewDonor};
use crate::error::AppError;
use crate::ids::DonorId;
use crate::ledger::{Subject, projection};
use crate::patch::{clean, record_changes};
use crate::principal::{Permission, Principal};
use crate::state::Tx;

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn create(tx: &mut Tx, principal: &Principal, new: NewDonor) -> Result<Donor, AppError> {
    principal.require(Permission::ManageDonors)?;
    new.validate()?;
    let created = events::Created {
        name: new.name.trim().to_owned(),
        kind: new.kind,
        siret: new.siret.as_deref().map(siret::field).transpose()?,
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

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, donor = %id))]
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
        siret: changes.siret.try_map(|s| siret::field(&s))?,
        address: changes.address.map_sent(clean),
        contact_name: changes.contact_name.map_sent(clean),
        contact_email: changes.contact_email.map_sent(clean),
        contact_phone: changes.contact_phone.map_sent(clean),
    };
    record_changes(tx, Subject::new(SUBJECT, id), expected, changes, |_| {
        Ok(None)
    })
    .await?
    .try_into()
}

/// The fields that name a company's contact people, wherever a donor's
/// events hold them, and a portal link's label: what erasing an
/// organisation's personal data takes (its name and address stay).
const CONTACTS: &[&str] = &[
    "contact_name",
    "contact_email",
    "contact_phone",
    "changes.contact_name",
    "changes.contact_email",
    "changes.contact_phone",
    "label",
];

/// Erases a donor's personal data on request (GDPR art. 17): its contact
/// people, and an individual donor's whole identity, from the donor, from
/// beside the chain and from the events written before they were held
/// beside it, with the labels of the portal links to its lots. Those who
/// read donors' contacts may. Erasing twice records nothing the second time.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id, donor = %id))]
pub async fn erase_personal_data(
    tx: &mut Tx,
    principal: &Principal,
    id: DonorId,
) -> Result<Donor, AppError> {
    principal.require(Permission::ManageDonors)?;
    principal.require(Permission::ReadPersonalData)?;
    let row = projection::row::<donor::Entity>(tx.conn(), id.0)
        .await
        .map_err(|_| AppError::NotFound)?;
    let identity = row.kind == super::DonorKind::Individual.as_str();
    let portal_links = crate::portal::queries::links_of_donor(tx.conn(), id).await?;
    let mut subjects = vec![id.0];
    subjects.extend(&portal_links);
    let only = if identity { None } else { Some(CONTACTS) };
    let taken = crate::privacy::take(tx, &subjects, only).await?;
    let held = Donor::try_from(row.clone())?.has_personal_data();
    if held || !taken.is_empty() {
        tx.record(
            None,
            Subject::new(SUBJECT, id),
            events::PersonalDataErased {
                version: row.version + 1,
                identity,
                portal_links,
            },
        )
        .await?;
    }
    taken.record(tx).await?;
    projection::row::<donor::Entity>(tx.conn(), id.0)
        .await?
        .try_into()
}

/// After an erasure is committed (see [`crate::privacy::scrub`]).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn scrub(db: &sea_orm::DatabaseConnection) -> Result<(), AppError> {
    crate::privacy::scrub(db, &["donors", "portal_links"]).await
}
