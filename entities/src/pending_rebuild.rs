//! `pending_rebuilds`: projections a migration added to a ledger that
//! already had events; they are derived from those events at start-up.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pending_rebuilds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub projection: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
