//! `beneficiaries`: who received devices, pseudonymous: no name, no contact (see `beneficiary_personal_data`).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "beneficiaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub site_id: Uuid,
    #[sea_orm(unique)]
    pub reference: String,
    pub category: String,
    pub postcode: Option<String>,
    pub referring_partner: Option<String>,
    pub has_personal_data: bool,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
