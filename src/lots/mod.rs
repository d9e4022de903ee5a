//! Lots: one pickup or delivery from one donor, received by one site. A lot
//! is what a donor certificate covers.

pub mod routes;

use chrono::{DateTime, NaiveDate, Utc};
use entities::lot;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::ids::{DonorId, LotId, SiteId};
use crate::ledger::Event;
use crate::patch::double_option;

/// A lot as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lot {
    pub id: LotId,
    pub donor_id: DonorId,
    pub site_id: SiteId,
    pub received_on: NaiveDate,
    /// The donor's own reference (purchase order, asset list id).
    pub donor_reference: Option<String>,
    pub declared_count: Option<i32>,
    pub weight_kg: Option<f64>,
    pub notes: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<lot::Model> for Lot {
    fn from(m: lot::Model) -> Self {
        Self {
            id: LotId(m.id),
            donor_id: DonorId(m.donor_id),
            site_id: SiteId(m.site_id),
            received_on: m.received_on,
            donor_reference: m.donor_reference,
            declared_count: m.declared_count,
            weight_kg: m.weight_kg,
            notes: m.notes,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// `POST /api/v1/lots`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLot {
    pub donor_id: DonorId,
    /// Defaults to the user's own site.
    pub site_id: Option<SiteId>,
    pub received_on: NaiveDate,
    #[validate(length(max = 200))]
    pub donor_reference: Option<String>,
    #[validate(range(min = 0, max = 1_000_000))]
    pub declared_count: Option<i32>,
    #[validate(range(min = 0.0, max = 1_000_000.0))]
    pub weight_kg: Option<f64>,
    #[validate(length(max = 5000))]
    pub notes: Option<String>,
}

/// The payload of `lot.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LotCreated {
    pub donor_id: DonorId,
    pub site_id: SiteId,
    pub received_on: NaiveDate,
    pub donor_reference: Option<String>,
    pub declared_count: Option<i32>,
    pub weight_kg: Option<f64>,
    pub notes: Option<String>,
}

/// `PATCH /api/v1/lots/{id}`, and the changes `lot.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LotChanges {
    #[serde(default, skip_serializing)]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_on: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 200))]
    pub donor_reference: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i32>)]
    #[validate(range(min = 0, max = 1_000_000))]
    pub declared_count: Option<Option<i32>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<f64>)]
    #[validate(range(min = 0.0, max = 1_000_000.0))]
    pub weight_kg: Option<Option<f64>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 5000))]
    pub notes: Option<Option<String>>,
}

pub async fn apply_created(
    conn: &impl ConnectionTrait,
    event: &Event,
    new: &LotCreated,
) -> Result<(), DbErr> {
    lot::ActiveModel {
        id: Set(event.subject_id),
        donor_id: Set(new.donor_id.0),
        site_id: Set(new.site_id.0),
        received_on: Set(new.received_on),
        donor_reference: Set(new.donor_reference.clone()),
        declared_count: Set(new.declared_count),
        weight_kg: Set(new.weight_kg),
        notes: Set(new.notes.clone()),
        version: Set(1),
        created_at: Set(event.at),
        updated_at: Set(event.at),
    }
    .insert(conn)
    .await?;
    Ok(())
}
