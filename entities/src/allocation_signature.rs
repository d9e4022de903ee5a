//! `allocation_signatures`: a handover signature drawn on a phone, as vector strokes: the beneficiary's, erasable.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "allocation_signatures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub allocation_id: Uuid,
    /// The pen strokes, as drawn: `[[[x, y], …], …]`, each point in 0..=1 of the pad.
    pub strokes: Json,
    pub signed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
