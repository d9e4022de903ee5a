//! `sites`: a workshop of the network.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sites")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    #[sea_orm(unique)]
    pub code: String,
    pub address: Option<String>,
    /// The site as a waste holder (outgoing waste register): SIRET, postcode, city.
    pub siret: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    /// The last sequence number used in this site's asset tags.
    pub last_tag_sequence: i64,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
