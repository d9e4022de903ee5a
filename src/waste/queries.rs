//! Reading waste shipments and the register: a site's users see their
//! site's shipments, network-wide users every site's (or one site's).

use chrono::NaiveDate;
use entities::waste_shipment;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::events::{Dispatched, Organisation};
use super::{Party, Shipment, ShipmentLine};
use crate::error::AppError;
use crate::ids::{SiteId, WasteShipmentId};
use crate::pagination::{self, Page, PageParams};
use crate::principal::{Permission, Principal};

fn party(o: Organisation) -> Party {
    Party {
        name: o.name,
        siret: o.siret,
        address: o.address,
        postcode: o.postcode,
        city: o.city,
        country: Some(o.country),
        receipt_number: o.receipt_number,
    }
}

fn dispatched(row: &waste_shipment::Model) -> Result<Dispatched, AppError> {
    serde_json::from_value(row.details.clone())
        .map_err(|_| AppError::internal("unreadable waste shipment"))
}

fn from_row(row: waste_shipment::Model) -> Result<Shipment, AppError> {
    let d = dispatched(&row)?;
    let items = d
        .lines
        .iter()
        .flat_map(|l| l.items.iter().map(|i| i.asset_tag.clone()))
        .collect();
    Ok(Shipment {
        id: WasteShipmentId(row.id),
        site_id: SiteId(row.site_id),
        number: row.number,
        dispatched_on: row.dispatched_on,
        weight_kg: d.lines.iter().map(|l| l.weight_kg).sum(),
        lines: d
            .lines
            .iter()
            .map(|l| ShipmentLine {
                waste_code: l.waste_code.clone(),
                denomination: l.denomination.clone(),
                hazardous: super::codes::is_hazardous(&l.waste_code),
                weight_kg: l.weight_kg,
                weight_measured: l.weight_measured,
                item_count: l.items.len(),
            })
            .collect(),
        items,
        recycler: party(d.recycler),
        recipient_kind: d.recipient_kind,
        eco_organism: d.eco_organism.map(party),
        transporter: d.transporter.map(party),
        treatment_code: d.treatment_code,
        treatment_mode: d.treatment_mode,
        trackdechets_number: d.trackdechets_number,
        version: row.version,
    })
}

/// A shipment, unchecked (inside a write).
pub async fn load(conn: &impl ConnectionTrait, id: WasteShipmentId) -> Result<Shipment, AppError> {
    waste_shipment::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
        .and_then(from_row)
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: WasteShipmentId,
) -> Result<Shipment, AppError> {
    principal.require(Permission::ReadInventory)?;
    let shipment = load(db, id).await?;
    principal.check_site(shipment.site_id)?;
    Ok(shipment)
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    page: &PageParams,
) -> Result<Page<Shipment>, AppError> {
    principal.require(Permission::ReadInventory)?;
    let mut select = waste_shipment::Entity::find();
    if let Some(own) = principal.site_scope() {
        select = select.filter(waste_shipment::Column::SiteId.eq(own));
    }
    let page = pagination::fetch(db, select, waste_shipment::Column::Id, page, |m| m.id).await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(from_row)
            .collect::<Result<_, _>>()?,
        next_cursor: page.next_cursor,
    })
}

/// The register of outgoing waste dispatched between `from` and `to`
/// (both included), oldest first, as the import file.
pub async fn register(
    db: &impl ConnectionTrait,
    principal: &Principal,
    from: NaiveDate,
    to: NaiveDate,
    site: Option<SiteId>,
) -> Result<Vec<u8>, AppError> {
    principal.require(Permission::ReadInventory)?;
    if to < from {
        return Err(AppError::field("to", "must not be before `from`"));
    }
    let mut select = waste_shipment::Entity::find()
        .filter(waste_shipment::Column::DispatchedOn.gte(from))
        .filter(waste_shipment::Column::DispatchedOn.lte(to));
    if let Some(own) = principal.site_scope() {
        select = select.filter(waste_shipment::Column::SiteId.eq(own));
    }
    if let Some(site) = site {
        select = select.filter(waste_shipment::Column::SiteId.eq(site.0));
    }
    let rows = select
        .order_by_asc(waste_shipment::Column::DispatchedOn)
        .order_by_asc(waste_shipment::Column::Id)
        .all(db)
        .await?;
    let shipments = rows.iter().map(dispatched).collect::<Result<Vec<_>, _>>()?;
    super::register::write(&shipments)
}
