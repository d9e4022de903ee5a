//! `workers`: the people working in a workshop, pseudonymous (their names are in `worker_personal_data`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "workers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    #[sea_orm(unique)]
    pub reference: String,
    pub contract_kind: String,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub exit_outcome: Option<String>,
    pub weekly_hours: f64,
    pub user_id: Option<Uuid>,
    pub has_personal_data: bool,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
