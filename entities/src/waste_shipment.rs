//! `waste_shipments`: devices and media leaving to a recycler, for the outgoing waste register.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "waste_shipments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub dispatched_on: Date,
    /// Recycler, transporter, codes, weight: the shipment event's details.
    pub details: Json,
    /// One entry per waste code: code, items, weight.
    pub lines: Json,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
