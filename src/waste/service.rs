//! Dispatching a waste shipment, inside the ledger writer: every device goes
//! through its own `recycle` (the sanitization gate of its media), every
//! loose medium must be sanitized or destroyed, nothing leaves twice; then
//! one event records the shipment as the register will print it.

use chrono::Datelike;
use entities::{device, site, waste_shipment, waste_shipment_item};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use validator::Validate;

use super::codes::{self, RecipientKind, TreatmentMode};
use super::events::{self, Item, Line, Organisation, SUBJECT};
use super::refusals::ShipmentRefused;
use super::{NewShipment, Party, Shipment};
use crate::devices::{Action, DeviceKind, DeviceState, TransitionRequest};
use crate::donors::siret::Siret;
use crate::error::AppError;
use crate::ids::{DeviceId, MediumId, SiteId, WasteShipmentId};
use crate::ledger::Subject;
use crate::media::MediumKind;
use crate::patch::clean;
use crate::principal::{Permission, Principal};
use crate::state::Tx;

/// The weight of a loose medium, in kg, when it was not weighed.
pub fn medium_weight_kg(kind: MediumKind) -> f64 {
    match kind {
        MediumKind::Hdd => 0.6,
        MediumKind::Ssd => 0.06,
        MediumKind::Nvme | MediumKind::Emmc | MediumKind::SdCard => 0.01,
        MediumKind::UsbDrive => 0.02,
        MediumKind::Other => 0.1,
    }
}

fn organisation(party: Party, field: &str) -> Result<Organisation, AppError> {
    let siret = clean(party.siret)
        .map(|s| {
            Siret::parse(&s)
                .map(|s| s.to_string())
                .map_err(|e| AppError::field(format!("{field}.siret"), e.to_string()))
        })
        .transpose()?;
    Ok(Organisation {
        name: party.name.trim().to_owned(),
        siret,
        address: clean(party.address),
        postcode: clean(party.postcode),
        city: clean(party.city),
        country: clean(party.country).map_or_else(|| "FR".to_owned(), |c| c.to_uppercase()),
        receipt_number: clean(party.receipt_number),
    })
}

/// The next shipment number of a site this year: `BRE-DS-2026-0001`.
async fn next_number(
    conn: &impl ConnectionTrait,
    site: &site::Model,
    year: i32,
) -> Result<String, AppError> {
    let prefix = format!("{}-DS-{year}-", site.code);
    let taken = waste_shipment::Entity::find()
        .filter(waste_shipment::Column::SiteId.eq(site.id))
        .filter(waste_shipment::Column::Number.starts_with(&prefix))
        .count(conn)
        .await?;
    Ok(format!("{prefix}{:04}", taken + 1))
}

async fn refuse_if_shipped(
    conn: &impl ConnectionTrait,
    id: uuid::Uuid,
    asset_tag: &str,
) -> Result<(), AppError> {
    let shipped = waste_shipment_item::Entity::find()
        .filter(waste_shipment_item::Column::ItemId.eq(id))
        .count(conn)
        .await?;
    if shipped > 0 {
        return Err(ShipmentRefused::AlreadyShipped {
            asset_tag: asset_tag.to_owned(),
        }
        .into());
    }
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn dispatch(
    tx: &mut Tx,
    principal: &Principal,
    new: NewShipment,
) -> Result<Shipment, AppError> {
    principal.require(Permission::ManageBeneficiaries)?;
    new.validate()?;
    let site_id = principal.target_site(new.site_id)?;
    let site = site::Entity::find_by_id(site_id.0)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::field("site_id", "no such site"))?;
    let Some(holder_siret) = site.siret.clone() else {
        return Err(AppError::field(
            "site_id",
            "the site has no SIRET: the register needs the holder's; set it on the site first",
        ));
    };
    let (default_code, _) = codes::waste_code(&new.waste_code).ok_or_else(|| {
        AppError::field(
            "waste_code",
            "is not a waste code of electrical and electronic equipment (e.g. 16 02 14)",
        )
    })?;
    let treatment_code = codes::treatment_code(&new.treatment_code).ok_or_else(|| {
        AppError::field(
            "treatment_code",
            "must be R 1 to R 13 or D 1 to D 15, e.g. R 4",
        )
    })?;
    let treatment_mode = new
        .treatment_mode
        .unwrap_or_else(|| TreatmentMode::of_code(&treatment_code));
    let recipient_kind = new.recipient_kind.unwrap_or(RecipientKind::EtablissementFr);
    let recycler = organisation(new.recycler, "recycler")?;
    if recipient_kind == RecipientKind::EtablissementFr && recycler.siret.is_none() {
        return Err(AppError::field(
            "recycler.siret",
            "is required for a French establishment",
        ));
    }
    let eco_organism = new
        .eco_organism
        .map(|p| organisation(p, "eco_organism"))
        .transpose()?;
    let transporter = new
        .transporter
        .map(|p| organisation(p, "transporter"))
        .transpose()?;
    let trackdechets_number = clean(new.trackdechets_number);
    if let Some(number) = &trackdechets_number
        && !number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        return Err(AppError::field(
            "trackdechets_number",
            "only letters, digits and - _ . / are allowed",
        ));
    }
    let number = next_number(tx.conn(), &site, new.dispatched_on.year()).await?;

    // Each item, checked and weighed, under its waste code.
    let mut lines: Vec<Line> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, item) in new.items.into_iter().enumerate() {
        let field = |name: &str| format!("items[{index}].{name}");
        let (code, denomination) = match &item.waste_code {
            Some(code) => codes::waste_code(code)
                .ok_or_else(|| AppError::field(field("waste_code"), "is not a known waste code"))?,
            None => codes::waste_code(default_code).unwrap_or((default_code, "")),
        };
        let shipped = match (item.device_id, item.medium_id) {
            (Some(device), None) => {
                ship_device(tx, principal, device, &number, &field("device_id")).await?
            }
            (None, Some(medium)) => {
                ship_medium(tx, principal, site_id, medium, &field("medium_id")).await?
            }
            _ => {
                return Err(AppError::field(
                    field("device_id"),
                    "give either a device_id or a medium_id",
                ));
            }
        };
        if !seen.insert(shipped.id) {
            return Err(AppError::field(field("device_id"), "is listed twice"));
        }
        match lines.iter_mut().find(|l| l.waste_code == code) {
            Some(line) => line.items.push(shipped),
            None => lines.push(Line {
                waste_code: code.to_owned(),
                denomination: denomination.to_owned(),
                weight_kg: 0.0,
                weight_measured: false,
                items: vec![shipped],
            }),
        }
    }
    weigh(&mut lines, new.weight_kg);

    let id = WasteShipmentId::generate();
    let dispatched = events::Dispatched {
        site_id,
        number,
        dispatched_on: new.dispatched_on,
        holder: Organisation {
            name: site.name.clone(),
            siret: Some(holder_siret),
            address: site.address.clone(),
            postcode: site.postcode.clone(),
            city: site.city.clone(),
            country: "FR".into(),
            receipt_number: None,
        },
        recycler,
        recipient_kind,
        eco_organism,
        transporter,
        treatment_code,
        treatment_mode,
        trackdechets_number,
        lines,
    };
    tx.record(Some(site_id), Subject::new(SUBJECT, id), dispatched)
        .await?;
    super::queries::load(tx.conn(), id).await
}

/// A device leaves: `recycle` unless it was recycled or dismantled already
/// (the gate held then), and never twice.
async fn ship_device(
    tx: &mut Tx,
    principal: &Principal,
    id: DeviceId,
    number: &str,
    field: &str,
) -> Result<Item, AppError> {
    let row = device::Entity::find_by_id(id.0)
        .one(tx.conn())
        .await?
        .filter(|d| principal.can_see_site(d.site_id))
        .ok_or_else(|| AppError::field(field, "no such device"))?;
    refuse_if_shipped(tx.conn(), row.id, &row.asset_tag).await?;
    let state = DeviceState::parse(&row.state)
        .ok_or_else(|| AppError::internal("unreadable device state"))?;
    if !matches!(state, DeviceState::Recycled | DeviceState::Dismantled) {
        let mut request = TransitionRequest::action(Action::Recycle);
        request.note = Some(format!("waste shipment {number}"));
        crate::devices::service::transition(tx, principal, id, row.version, request).await?;
    }
    let kind = DeviceKind::parse(&row.kind).unwrap_or(DeviceKind::Other);
    Ok(Item {
        item_type: "device".into(),
        id: row.id,
        asset_tag: row.asset_tag,
        weight_kg: row
            .weight_kg
            .unwrap_or_else(|| crate::impact::default_weight_kg(kind)),
    })
}

/// A loose medium leaves only sanitized or destroyed; one still in a device
/// leaves with its device.
async fn ship_medium(
    tx: &mut Tx,
    principal: &Principal,
    site: SiteId,
    id: MediumId,
    field: &str,
) -> Result<Item, AppError> {
    let medium = crate::media::queries::load(tx.conn(), id)
        .await
        .ok()
        .filter(|m| principal.can_see_site(m.site_id) && m.site_id == site)
        .ok_or_else(|| AppError::field(field, "no such medium in this site"))?;
    refuse_if_shipped(tx.conn(), medium.id.0, &medium.asset_tag).await?;
    if medium.device_id.is_some() {
        return Err(AppError::field(
            field,
            "is inside a device: it leaves with its device",
        ));
    }
    if !medium.state.is_safe() {
        return Err(ShipmentRefused::MediumNotSanitized {
            asset_tag: medium.asset_tag,
            state: medium.state,
        }
        .into());
    }
    Ok(Item {
        item_type: "medium".into(),
        id: medium.id.0,
        asset_tag: medium.asset_tag,
        weight_kg: medium_weight_kg(medium.kind),
    })
}

/// Each line's weight: the items' weights, estimated; a measured total
/// replaces them when the shipment has one line, and is shared out in
/// proportion (so still an estimate per line) when it has several.
pub fn weigh(lines: &mut [Line], measured: Option<f64>) {
    for line in lines.iter_mut() {
        line.weight_kg = line.items.iter().map(|i| i.weight_kg).sum();
        line.weight_measured = false;
    }
    let Some(measured) = measured else {
        return;
    };
    if let [only] = lines {
        only.weight_kg = measured;
        only.weight_measured = true;
        return;
    }
    let estimated: f64 = lines.iter().map(|l| l.weight_kg).sum();
    let count = lines.len() as f64;
    for line in lines.iter_mut() {
        line.weight_kg = if estimated > 0.0 {
            measured * line.weight_kg / estimated
        } else {
            measured / count
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(code: &str, weights: &[f64]) -> Line {
        Line {
            waste_code: code.into(),
            denomination: String::new(),
            weight_kg: 0.0,
            weight_measured: false,
            items: weights
                .iter()
                .map(|w| Item {
                    item_type: "device".into(),
                    id: uuid::Uuid::nil(),
                    asset_tag: String::new(),
                    weight_kg: *w,
                })
                .collect(),
        }
    }

    #[test]
    fn a_measured_weight_is_real_for_one_line_and_shared_out_for_several() {
        let mut one = vec![line("16 02 14", &[2.2, 8.0])];
        weigh(&mut one, None);
        assert!((one[0].weight_kg - 10.2).abs() < 1e-9 && !one[0].weight_measured);
        weigh(&mut one, Some(11.0));
        assert!((one[0].weight_kg - 11.0).abs() < 1e-9 && one[0].weight_measured);

        let mut two = vec![line("16 02 14", &[3.0]), line("16 06 05", &[1.0])];
        weigh(&mut two, Some(8.0));
        assert!((two[0].weight_kg - 6.0).abs() < 1e-9);
        assert!((two[1].weight_kg - 2.0).abs() < 1e-9);
        assert!(two.iter().all(|l| !l.weight_measured));
    }
}
