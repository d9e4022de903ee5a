//! What the ledger records about waste shipments: everything the register
//! prints, as it stood on the day of dispatch — the site's identity included,
//! so that a register exported years later reads the same.

use chrono::NaiveDate;
use entities::{waste_shipment, waste_shipment_item};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr, EntityTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{RecipientKind, TreatmentMode};
use crate::db::conn::Conn;
use crate::ids::SiteId;
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType};

pub const SUBJECT: SubjectType = SubjectType("waste_shipment");

/// An organisation as recorded on a shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    pub siret: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_number: Option<String>,
}

/// One item shipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// `device` or `medium`.
    pub item_type: String,
    pub id: Uuid,
    pub asset_tag: String,
    pub weight_kg: f64,
}

/// The items of one waste code, and their weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub waste_code: String,
    pub denomination: String,
    pub weight_kg: f64,
    pub weight_measured: bool,
    pub items: Vec<Item>,
}

/// `waste_shipment.dispatched`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dispatched {
    pub site_id: SiteId,
    pub number: String,
    pub dispatched_on: NaiveDate,
    /// The site as the waste's holder.
    pub holder: Organisation,
    pub recycler: Organisation,
    pub recipient_kind: RecipientKind,
    pub eco_organism: Option<Organisation>,
    pub transporter: Option<Organisation>,
    pub treatment_code: String,
    pub treatment_mode: TreatmentMode,
    pub trackdechets_number: Option<String>,
    pub lines: Vec<Line>,
}

impl Payload for Dispatched {
    const KIND: &'static str = "waste_shipment.dispatched";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        waste_shipment::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            number: Set(self.number.clone()),
            dispatched_on: Set(self.dispatched_on),
            details: Set(json(self)?),
            lines: Set(json(&self.lines)?),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        let items: Vec<waste_shipment_item::ActiveModel> = self
            .lines
            .iter()
            .flat_map(|line| {
                line.items
                    .iter()
                    .map(|item| waste_shipment_item::ActiveModel {
                        shipment_id: Set(event.subject_id),
                        item_id: Set(item.id),
                        item_type: Set(item.item_type.clone()),
                        asset_tag: Set(item.asset_tag.clone()),
                        waste_code: Set(line.waste_code.clone()),
                        weight_kg: Set(item.weight_kg),
                    })
            })
            .collect();
        // SQLite takes at most 32,766 parameters a statement: six a row.
        for chunk in items.chunks(1000) {
            waste_shipment_item::Entity::insert_many(chunk.to_vec())
                .exec(conn)
                .await?;
        }
        Ok(())
    }
}

fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(value).map_err(|e| DbErr::Json(e.to_string()))
}

pub const KINDS: &[Entry] = &[entry::<Dispatched>()];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). The shipment's holder and recycler are organisations; its lines are hardware.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[(
    "waste_shipment.dispatched",
    &[
        "number",
        "treatment_code",
        "holder.name",
        "holder.siret",
        "holder.address",
        "holder.postcode",
        "holder.city",
        "holder.country",
        "recycler.name",
        "recycler.siret",
        "recycler.country",
        "lines[].waste_code",
        "lines[].denomination",
        "lines[].items[].asset_tag",
        "lines[].items[].item_type",
    ],
)];
