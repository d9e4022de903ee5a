//! What a certificate says, read from the records in a few queries whatever
//! the size of the lot: the lot, its devices, their media, and the latest
//! erasure record of each medium.

use std::collections::HashMap;

use entities::{device, donor, erasure_record, lot, medium, site};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::devices::{DeviceKind, DeviceState};
use crate::erasure::{ErasureRecord, StoredErasure};
use crate::error::AppError;

/// What became of a device, as a donor reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Reused,
    Recycled,
    Dismantled,
    InProgress,
}

/// Whether a device's data is dealt with: sanitized, or any state after it.
pub fn past_erasure(state: DeviceState) -> bool {
    use DeviceState::*;
    matches!(
        state,
        Sanitized
            | Refurbishing
            | SoftwareInstalled
            | Ready
            | Reserved
            | Delivered
            | Dismantled
            | Recycled
    )
}

pub fn fate(state: DeviceState) -> Fate {
    match state {
        DeviceState::Delivered => Fate::Reused,
        DeviceState::Recycled => Fate::Recycled,
        DeviceState::Dismantled => Fate::Dismantled,
        _ => Fate::InProgress,
    }
}

#[derive(Debug, Clone)]
pub struct MediumLine {
    pub asset_tag: String,
    pub kind: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    /// The latest erasure record, if any.
    pub erasure: Option<ErasureRecord>,
    /// Who erased and who checked, as a certificate names them.
    pub operator: Option<Staff>,
    pub validator: Option<Staff>,
}

/// A member of staff as a certificate names them: by function and
/// reference, never by name — the file is kept forever and handed to donors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub role: crate::principal::Role,
    /// Their worker reference (`BRE-W-…`) when they have one, else `U-` and
    /// the first digits of their account's id.
    pub reference: String,
}

/// The staff behind these accounts, by account.
async fn staff(
    conn: &impl ConnectionTrait,
    accounts: Vec<Uuid>,
) -> Result<HashMap<Uuid, Staff>, AppError> {
    use sea_orm::QuerySelect;
    let roles: Vec<(Uuid, String)> = entities::user::Entity::find()
        .select_only()
        .column(entities::user::Column::Id)
        .column(entities::user::Column::Role)
        .filter(entities::user::Column::Id.is_in(accounts.clone()))
        .into_tuple()
        .all(conn)
        .await?;
    let workers: HashMap<Uuid, String> = entities::worker::Entity::find()
        .filter(entities::worker::Column::UserId.is_in(accounts))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|w| w.user_id.map(|u| (u, w.reference)))
        .collect();
    Ok(roles
        .into_iter()
        .filter_map(|(id, role)| {
            let role = crate::principal::Role::parse(&role)?;
            let reference = workers
                .get(&id)
                .cloned()
                .unwrap_or_else(|| crate::pseudonym::of_record('U', id));
            Some((id, Staff { role, reference }))
        })
        .collect())
}

#[derive(Debug, Clone)]
pub struct DeviceLine {
    pub id: Uuid,
    pub asset_tag: String,
    pub kind: DeviceKind,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub donor_asset_number: Option<String>,
    pub state: DeviceState,
    pub weight_kg: Option<f64>,
    pub media: Vec<MediumLine>,
}

#[derive(Debug, Clone)]
pub struct DonorContent {
    pub site: site::Model,
    pub donor: donor::Model,
    pub lot: lot::Model,
    pub devices: Vec<DeviceLine>,
}

#[derive(Debug, Clone)]
pub struct DeviceContent {
    pub site: site::Model,
    pub donor: Option<donor::Model>,
    pub device: DeviceLine,
}

fn kind_of(row: &device::Model) -> Result<DeviceKind, AppError> {
    serde_json::from_value(row.kind.clone().into())
        .map_err(|_| AppError::internal(format!("device {} kind", row.id)))
}

/// Devices with their media and each medium's latest erasure record.
async fn lines(
    conn: &impl ConnectionTrait,
    rows: Vec<device::Model>,
) -> Result<Vec<DeviceLine>, AppError> {
    let ids: Vec<Uuid> = rows.iter().map(|d| d.id).collect();
    let mut media: Vec<medium::Model> = Vec::new();
    let mut records: HashMap<Uuid, ErasureRecord> = HashMap::new();
    // Bound the size of IN lists; a thousand-device lot is a few queries.
    for chunk in ids.chunks(500) {
        media.extend(
            medium::Entity::find()
                .filter(
                    Condition::any()
                        .add(medium::Column::DeviceId.is_in(chunk.to_vec()))
                        .add(medium::Column::SourceDeviceId.is_in(chunk.to_vec())),
                )
                .order_by_asc(medium::Column::Id)
                .all(conn)
                .await?,
        );
    }
    let medium_ids: Vec<Uuid> = media.iter().map(|m| m.id).collect();
    for chunk in medium_ids.chunks(500) {
        let rows = erasure_record::Entity::find()
            .filter(erasure_record::Column::MediumId.is_in(chunk.to_vec()))
            .order_by_asc(erasure_record::Column::Id)
            .all(conn)
            .await?;
        // Ids are time-ordered: the last one seen for a medium is its latest.
        for row in rows {
            let stored = StoredErasure::try_from(row)?;
            records.insert(stored.record.medium_id.0, stored.record);
        }
    }
    // A thousand drives are erased by a handful of people.
    let accounts: Vec<Uuid> = records
        .values()
        .flat_map(|r| [r.operator_id, r.validator_id])
        .flatten()
        .map(|u| u.0)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let staff = staff(conn, accounts).await?;
    let mut by_device: HashMap<Uuid, Vec<MediumLine>> = HashMap::new();
    for m in media {
        let owner = m.device_id.or(m.source_device_id).unwrap_or_default();
        let erasure = records.remove(&m.id);
        let who =
            |account: Option<crate::ids::UserId>| account.and_then(|u| staff.get(&u.0).cloned());
        by_device.entry(owner).or_default().push(MediumLine {
            operator: erasure.as_ref().and_then(|r| who(r.operator_id)),
            validator: erasure.as_ref().and_then(|r| who(r.validator_id)),
            erasure,
            asset_tag: m.asset_tag,
            kind: m.kind,
            manufacturer: m.manufacturer,
            model: m.model,
            serial_number: m.serial_number,
        });
    }
    rows.into_iter()
        .map(|d| {
            Ok(DeviceLine {
                id: d.id,
                kind: kind_of(&d)?,
                state: DeviceState::parse(&d.state)
                    .ok_or_else(|| AppError::internal("device state"))?,
                media: by_device.remove(&d.id).unwrap_or_default(),
                asset_tag: d.asset_tag,
                manufacturer: d.manufacturer,
                model: d.model,
                serial_number: d.serial_number,
                donor_asset_number: d.donor_asset_number,
                weight_kg: d.weight_kg,
            })
        })
        .collect()
}

/// The versions of every record a certificate of `kind` for `subject` quotes:
/// the lot or device, its donor and site, the devices and their media. An
/// erasure recorded since changes its medium's version, a device moved its
/// own: equal fingerprints mean the certificate would say the same.
pub async fn fingerprint(
    conn: &impl ConnectionTrait,
    kind: super::Kind,
    subject: Uuid,
) -> Result<String, AppError> {
    use sea_orm::QuerySelect;
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut note = |what: &str, id: Uuid, version: i64| {
        hasher.update(format!("{what} {id} {version}\n"));
    };
    let mut device_site = None;
    let (lot_id, devices): (Option<Uuid>, Vec<(Uuid, i64)>) = match kind {
        super::Kind::Donor => {
            let devices = device::Entity::find()
                .select_only()
                .column(device::Column::Id)
                .column(device::Column::Version)
                .filter(device::Column::LotId.eq(subject))
                .order_by_asc(device::Column::Id)
                .into_tuple()
                .all(conn)
                .await?;
            (Some(subject), devices)
        }
        super::Kind::Erasure => {
            let row = device::Entity::find_by_id(subject)
                .one(conn)
                .await?
                .ok_or(AppError::NotFound)?;
            device_site = Some(row.site_id);
            (row.lot_id, vec![(row.id, row.version)])
        }
        super::Kind::ImpactStatement => {
            return Err(AppError::internal(
                "a statement's fingerprint is its figures (statement::Statement::fingerprint)",
            ));
        }
    };
    let lot = match lot_id {
        Some(id) => lot::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let mut site_id = device_site;
    if let Some(lot) = lot {
        note("lot", lot.id, lot.version);
        site_id = Some(lot.site_id);
        if let Some(donor) = donor::Entity::find_by_id(lot.donor_id).one(conn).await? {
            note("donor", donor.id, donor.version);
        }
    }
    if let Some(site) = site_id
        && let Some(site) = site::Entity::find_by_id(site).one(conn).await?
    {
        note("site", site.id, site.version);
    }
    let ids: Vec<Uuid> = devices.iter().map(|(id, _)| *id).collect();
    for (id, version) in devices {
        note("device", id, version);
    }
    for chunk in ids.chunks(500) {
        let media: Vec<(Uuid, i64)> = medium::Entity::find()
            .select_only()
            .column(medium::Column::Id)
            .column(medium::Column::Version)
            .filter(
                Condition::any()
                    .add(medium::Column::DeviceId.is_in(chunk.to_vec()))
                    .add(medium::Column::SourceDeviceId.is_in(chunk.to_vec())),
            )
            .order_by_asc(medium::Column::Id)
            .into_tuple()
            .all(conn)
            .await?;
        for (id, version) in media {
            note("medium", id, version);
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

pub async fn donor(conn: &impl ConnectionTrait, lot_id: Uuid) -> Result<DonorContent, AppError> {
    let lot = lot::Entity::find_by_id(lot_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let donor = donor::Entity::find_by_id(lot.donor_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let site = site::Entity::find_by_id(lot.site_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = device::Entity::find()
        .filter(device::Column::LotId.eq(lot_id))
        .order_by_asc(device::Column::AssetTag)
        .all(conn)
        .await?;
    Ok(DonorContent {
        site,
        donor,
        lot,
        devices: lines(conn, rows).await?,
    })
}

pub async fn device(
    conn: &impl ConnectionTrait,
    device_id: Uuid,
) -> Result<DeviceContent, AppError> {
    let row = device::Entity::find_by_id(device_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let site = site::Entity::find_by_id(row.site_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let donor = match row.lot_id {
        Some(lot) => match lot::Entity::find_by_id(lot).one(conn).await? {
            Some(lot) => donor::Entity::find_by_id(lot.donor_id).one(conn).await?,
            None => None,
        },
        None => None,
    };
    let device = lines(conn, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(DeviceContent {
        site,
        donor,
        device,
    })
}

/// The devices that keep a certificate from being issued, with their state.
pub fn blocking(devices: &[DeviceLine]) -> Vec<(&str, DeviceState)> {
    devices
        .iter()
        .filter(|d| !past_erasure(d.state))
        .map(|d| (d.asset_tag.as_str(), d.state))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_past_erasure_from_sanitized_on_but_not_when_lost() {
        let past: Vec<DeviceState> = DeviceState::ALL
            .into_iter()
            .filter(|s| past_erasure(*s))
            .collect();
        use DeviceState::*;
        assert_eq!(
            past,
            vec![
                Sanitized,
                Refurbishing,
                SoftwareInstalled,
                Ready,
                Reserved,
                Delivered,
                Dismantled,
                Recycled
            ]
        );
        assert_eq!(fate(Delivered), Fate::Reused);
        assert_eq!(fate(Ready), Fate::InProgress);
    }
}
