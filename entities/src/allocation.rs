//! `allocations`: a device given, lent or sold at a solidarity price to a beneficiary.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "allocations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    pub device_id: Uuid,
    pub beneficiary_id: Uuid,
    /// `reserved`, `delivered`, `released` or `returned`.
    pub state: String,
    pub conditions: Json,
    pub warranty_months: i32,
    pub delivered_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub return_details: Option<Json>,
    /// `pending`, `signed_on_device` or `signed_on_paper`.
    pub acceptance: String,
    pub signature_sha256: Option<String>,
    pub accepted_at: Option<DateTimeUtc>,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
