//! `certificates`: every issued certificate, a projection of the ledger.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub kind: String,
    pub revision: i32,
    pub supersedes: Option<String>,
    pub site_id: Uuid,
    pub subject_id: Uuid,
    pub language: String,
    pub holder: String,
    pub device_count: i32,
    /// The calendar year a donor's impact statement covers.
    pub year: Option<i32>,
    pub issued_at: DateTimeUtc,
    pub file_sha256: String,
    pub content_sha256: String,
    pub signature: String,
    pub key_id: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
