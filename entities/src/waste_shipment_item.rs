//! `waste_shipment_items`: what each waste shipment carried; an item leaves once.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "waste_shipment_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub shipment_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: Uuid,
    /// `device` or `medium`.
    pub item_type: String,
    pub asset_tag: String,
    pub waste_code: String,
    pub weight_kg: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
