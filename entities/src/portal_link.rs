//! `portal_links`: the secret links through which donors follow a lot.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "portal_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub lot_id: Uuid,
    pub site_id: Uuid,
    /// SHA-256 of the secret in the link; the secret itself is shown once.
    #[sea_orm(unique)]
    pub secret_sha256: String,
    pub label: Option<String>,
    pub expires_on: Option<Date>,
    pub revoked_at: Option<DateTimeUtc>,
    pub opened_count: i64,
    pub last_opened_at: Option<DateTimeUtc>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
