//! `event_personal_fields`: what an event says of a person, held beside the
//! chain so that it can be erased (`ledger::personal`). The event's hash
//! covers its payload without these.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "event_personal_fields")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// The field's path in the payload: `note`, `changes.display_name`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub path: String,
    /// The event's subject: what an erasure looks rows up by.
    pub subject_id: Uuid,
    /// The field's JSON value.
    #[sea_orm(column_type = "Text")]
    pub value: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
