//! `erasure_records`: each sanitization or destruction of a medium.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "erasure_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    pub medium_id: Uuid,
    pub device_id: Option<Uuid>,
    pub medium_kind: String,
    pub medium_manufacturer: Option<String>,
    pub medium_model: Option<String>,
    pub medium_serial: Option<String>,
    pub category: String,
    pub technique: String,
    pub method: Option<String>,
    pub pattern: Option<String>,
    pub passes: Option<i32>,
    pub rounds: Option<i32>,
    pub blanking: Option<bool>,
    pub tool: Option<String>,
    pub tool_version: Option<String>,
    pub verification: String,
    pub verification_result: String,
    pub started_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    pub bytes_erased: Option<i64>,
    pub error_count: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub errors: Option<String>,
    pub destination: String,
    pub operator_id: Option<Uuid>,
    pub operator_name: String,
    pub validator_id: Option<Uuid>,
    pub validator_name: Option<String>,
    pub outcome: String,
    pub source: String,
    pub source_reference: Option<String>,
    pub raw_serial_hex: Option<String>,
    pub witness: Option<String>,
    pub photo_reference: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
