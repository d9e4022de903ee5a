//! `stock_audit_scans`: each code scanned during a stock audit, and what it was.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "stock_audit_scans")]
pub struct Model {
    /// The id of the event that recorded the scan.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub audit_id: Uuid,
    pub code: String,
    /// `device` or `medium`; `None` when the code matched nothing.
    pub item_type: Option<String>,
    pub item_id: Option<Uuid>,
    pub asset_tag: Option<String>,
    pub scanned_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
