//! Reading portal links, and what a portal shows: the one place that
//! decides what a donor sees.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use entities::{certificate, device, donor, erasure_record, lot, medium, portal_link, site};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{
    LinkStatus, PortalCertificate, PortalDevice, PortalLink, PortalView, Stage, StageCount,
};
use crate::devices::DeviceState;
use crate::error::AppError;
use crate::ids::{LotId, PortalLinkId, SiteId};
use crate::principal::{Permission, Principal};

/// Whether a link opens on `today`: not revoked, not past its last day.
pub fn status(row: &portal_link::Model, today: NaiveDate) -> LinkStatus {
    if row.revoked_at.is_some() {
        LinkStatus::Revoked
    } else if row.expires_on.is_some_and(|last| last < today) {
        LinkStatus::Expired
    } else {
        LinkStatus::Active
    }
}

pub fn to_api(row: portal_link::Model, today: NaiveDate) -> PortalLink {
    PortalLink {
        status: status(&row, today),
        id: PortalLinkId(row.id),
        lot_id: LotId(row.lot_id),
        site_id: SiteId(row.site_id),
        label: row.label,
        expires_on: row.expires_on,
        revoked_at: row.revoked_at,
        opened_count: row.opened_count,
        last_opened_at: row.last_opened_at,
        version: row.version,
        created_at: row.created_at,
    }
}

/// The lot, if `principal` may share it with its donor.
pub async fn shareable_lot(
    db: &impl ConnectionTrait,
    principal: &Principal,
    lot: LotId,
) -> Result<lot::Model, AppError> {
    principal.require(Permission::IssueCertificates)?;
    lot::Entity::find_by_id(lot.0)
        .one(db)
        .await?
        .filter(|l| principal.can_see_site(l.site_id))
        .ok_or(AppError::NotFound)
}

/// A lot's links, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    lot: LotId,
) -> Result<Vec<PortalLink>, AppError> {
    shareable_lot(db, principal, lot).await?;
    let today = Utc::now().date_naive();
    Ok(portal_link::Entity::find()
        .filter(portal_link::Column::LotId.eq(lot.0))
        .order_by_desc(portal_link::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| to_api(row, today))
        .collect())
}

/// The link behind a secret, if it opens on `today`. Unknown, revoked and
/// expired links are all the same `NotFound`.
pub async fn open_link(
    db: &impl ConnectionTrait,
    secret: &str,
    today: NaiveDate,
) -> Result<portal_link::Model, AppError> {
    if !secret.starts_with(super::SECRET_PREFIX) {
        return Err(AppError::NotFound);
    }
    let digest = crate::auth::tokens::digest(secret);
    portal_link::Entity::find()
        .filter(portal_link::Column::SecretSha256.eq(digest))
        .one(db)
        .await?
        .filter(|row| status(row, today) == LinkStatus::Active)
        .ok_or(AppError::NotFound)
}

/// What the donor of `link`'s lot sees.
pub async fn view(
    db: &impl ConnectionTrait,
    link: &portal_link::Model,
    public_url: &str,
    key: &crate::ledger::keys::InstanceKey,
) -> Result<PortalView, AppError> {
    let lot = lot::Entity::find_by_id(link.lot_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let donor = donor::Entity::find_by_id(lot.donor_id)
        .one(db)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    let workshop = site::Entity::find_by_id(lot.site_id)
        .one(db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let devices = device::Entity::find()
        .filter(device::Column::LotId.eq(lot.id))
        .order_by_asc(device::Column::AssetTag)
        .all(db)
        .await?;
    let device_ids: Vec<Uuid> = devices.iter().map(|d| d.id).collect();
    let (drives, records) = drives_of(db, &device_ids).await?;
    let medium_ids: Vec<Uuid> = drives.values().flatten().map(|m| m.id).collect();
    let mut stages: BTreeMap<Stage, u64> = Stage::ALL.into_iter().map(|s| (s, 0)).collect();
    let mut shown = Vec::with_capacity(devices.len());
    for d in devices {
        let stage = DeviceState::parse(&d.state).map_or(Stage::Received, Stage::of);
        *stages.entry(stage).or_default() += 1;
        let own = drives.get(&d.id).map(Vec::as_slice).unwrap_or_default();
        let erased = is_erased(own, &d.state);
        let erased_at: Option<DateTime<Utc>> = erased
            .then(|| own.iter().map(|m| m.updated_at).max())
            .flatten();
        let erasure = own
            .iter()
            .filter_map(|m| records.get(&m.id))
            .map(|r| {
                format!(
                    "NIST 800-88 {} — {} ({})",
                    r.category, r.technique, r.outcome
                )
            })
            .collect();
        shown.push(PortalDevice {
            asset_tag: d.asset_tag,
            kind: d.kind,
            manufacturer: d.manufacturer,
            model: d.model,
            serial_number: d.serial_number,
            donor_asset_number: d.donor_asset_number,
            stage,
            erased,
            erased_at,
            erasure,
        });
    }
    let certificates = certificate::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(certificate::Column::SubjectId.eq(lot.id))
                .add(certificate::Column::SubjectId.is_in(device_ids))
                .add(certificate::Column::SubjectId.is_in(medium_ids))
                .add(crate::certificates::queries::statements_of_donor(
                    lot.donor_id,
                )),
        )
        .order_by_asc(certificate::Column::IssuedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|c| PortalCertificate {
            verify_url: crate::certificates::verification::url(public_url, key, &c.number),
            number: c.number,
            kind: c.kind,
            issued_at: c.issued_at,
        })
        .collect();
    Ok(PortalView {
        donor,
        workshop,
        received_on: lot.received_on,
        donor_reference: lot.donor_reference,
        stages: stages
            .into_iter()
            .map(|(stage, count)| StageCount { stage, count })
            .collect(),
        devices: shown,
        certificates,
    })
}

/// A device without drives is past erasure once it is checked as such.
fn is_past_erasure(state: &str) -> bool {
    !matches!(state, "received" | "inventoried" | "erasing")
}

/// Whether every drive a device came with is made safe (or it had none
/// and was checked as such).
pub fn is_erased(drives: &[medium::Model], state: &str) -> bool {
    let safe = |m: &medium::Model| matches!(m.state.as_str(), "sanitized" | "destroyed");
    drives.iter().all(safe) && (!drives.is_empty() || is_past_erasure(state))
}

/// Drives by the device they came with (wherever they are now), and each
/// drive's last erasure record. Only how and when a drive was erased is
/// read from the records: never who did it.
pub async fn drives_of(
    db: &impl ConnectionTrait,
    devices: &[Uuid],
) -> Result<
    (
        HashMap<Uuid, Vec<medium::Model>>,
        HashMap<Uuid, erasure_record::Model>,
    ),
    AppError,
> {
    let media = medium::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(medium::Column::SourceDeviceId.is_in(devices.to_vec()))
                .add(medium::Column::DeviceId.is_in(devices.to_vec())),
        )
        .all(db)
        .await?;
    let medium_ids: Vec<Uuid> = media.iter().map(|m| m.id).collect();
    let mut records = HashMap::new();
    for record in erasure_record::Entity::find()
        .filter(erasure_record::Column::MediumId.is_in(medium_ids))
        .order_by_asc(erasure_record::Column::CreatedAt)
        .all(db)
        .await?
    {
        records.insert(record.medium_id, record);
    }
    let mut drives: HashMap<Uuid, Vec<medium::Model>> = HashMap::new();
    for m in media {
        if let Some(owner) = m.source_device_id.or(m.device_id) {
            drives.entry(owner).or_default().push(m);
        }
    }
    Ok((drives, records))
}

/// The file of one of the lot's certificates, by number: one naming the
/// lot, one of its devices, or a drive one of them came with, or one of
/// its donor's year statements.
pub async fn certificate_file(
    db: &impl ConnectionTrait,
    link: &portal_link::Model,
    number: &str,
) -> Result<Vec<u8>, AppError> {
    let row = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = row.subject_id;
    let device_of_lot = |id: Uuid| async move {
        Ok::<_, AppError>(
            device::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_some_and(|d| d.lot_id == Some(link.lot_id)),
        )
    };
    let donor_of_lot = || async move {
        Ok::<_, AppError>(
            lot::Entity::find_by_id(link.lot_id)
                .one(db)
                .await?
                .is_some_and(|l| l.donor_id == subject),
        )
    };
    let statement = row.kind == crate::certificates::Kind::ImpactStatement.as_str();
    let ours = subject == link.lot_id
        || (statement && donor_of_lot().await?)
        || device_of_lot(subject).await?
        || match medium::Entity::find_by_id(subject).one(db).await? {
            Some(m) => match m.source_device_id.or(m.device_id) {
                Some(owner) => device_of_lot(owner).await?,
                None => false,
            },
            None => false,
        };
    if !ours {
        return Err(AppError::NotFound);
    }
    crate::certificates::queries::file(db, &row)
        .await?
        .ok_or(AppError::NotFound)
}

/// The portal links to a donor's lots, revoked ones included: their labels
/// often name the donor's contact, and go when the donor's personal data does.
pub async fn links_of_donor(
    db: &impl ConnectionTrait,
    donor: crate::ids::DonorId,
) -> Result<Vec<Uuid>, AppError> {
    use sea_orm::QuerySelect;
    let lots: Vec<Uuid> = lot::Entity::find()
        .select_only()
        .column(lot::Column::Id)
        .filter(lot::Column::DonorId.eq(donor.0))
        .into_tuple()
        .all(db)
        .await?;
    Ok(portal_link::Entity::find()
        .select_only()
        .column(portal_link::Column::Id)
        .filter(portal_link::Column::LotId.is_in(lots))
        .into_tuple()
        .all(db)
        .await?)
}
