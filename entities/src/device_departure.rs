//! `device_departures`: each time a device left the workshop, and when it
//! came back, if it did — what the impact report counts.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "device_departures")]
pub struct Model {
    /// The seq of the `device.transitioned` event that took it out.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub device_id: Uuid,
    pub site_id: Uuid,
    /// `delivered`, `recycled`, `dismantled` or `lost`.
    pub outcome: String,
    pub at: DateTimeUtc,
    pub returned_at: Option<DateTimeUtc>,
    /// The device as it was when it left: what the report counts.
    pub kind: String,
    pub lot_id: Option<Uuid>,
    pub weight_kg: Option<f64>,
    pub registered_at: DateTimeUtc,
    /// From registration to departure, in days: the report's median reads it.
    pub days_in_workshop: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
