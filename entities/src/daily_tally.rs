//! `daily_tallies`: how many devices came in, and left by each outcome, a
//! day, a site, a kind and a kind of donor — what the impact report adds up
//! instead of counting a million rows.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "daily_tallies")]
pub struct Model {
    /// The UTC day of the registration or the departure.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub site_id: Uuid,
    /// `collected`, or the outcome of a departure (`delivered`, `recycled`,
    /// `dismantled`, `lost`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub measure: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// The kind of the lot's donor, `none` for a device without a lot.
    #[sea_orm(primary_key, auto_increment = false)]
    pub donor_kind: String,
    pub count: i64,
    /// The recorded weights, in grams: sums that stay exact when a
    /// corrected weight is taken back out.
    pub recorded_g: i64,
    /// How many of them have a recorded weight.
    pub weighed: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
