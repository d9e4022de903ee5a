//! Sites: the workshops of a network. A site's `code` (2–5 capital letters)
//! prefixes its asset tags, so it never changes once created.

pub mod routes;

use chrono::{DateTime, Utc};
use entities::site;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::ids::SiteId;
use crate::ledger::Event;
use crate::patch::double_option;

/// A site as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    /// Prefix of the site's asset tags, e.g. `BRE`.
    pub code: String,
    pub address: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<site::Model> for Site {
    fn from(m: site::Model) -> Self {
        Self {
            id: SiteId(m.id),
            name: m.name,
            code: m.code,
            address: m.address,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

pub fn validate_code(code: &str) -> Result<(), ValidationError> {
    if (2..=5).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ValidationError::new("site_code")
            .with_message("must be 2 to 5 capital letters, e.g. BRE".into()))
    }
}

/// `POST /api/v1/sites`, and the payload of `site.created`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSite {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    #[validate(custom(function = "validate_code"))]
    #[schema(example = "BRE")]
    pub code: String,
    #[validate(length(max = 1000))]
    pub address: Option<String>,
}

/// `PATCH /api/v1/sites/{id}`: the fields of a site that can change, as sent
/// and as `site.updated` records them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteChanges {
    /// The version the client read (or send `If-Match`); not recorded.
    #[serde(default, skip_serializing)]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
}

pub async fn apply_created(
    conn: &impl ConnectionTrait,
    event: &Event,
    new: &NewSite,
) -> Result<(), DbErr> {
    site::ActiveModel {
        id: Set(event.subject_id),
        name: Set(new.name.clone()),
        code: Set(new.code.clone()),
        address: Set(new.address.clone()),
        last_tag_sequence: Set(0),
        version: Set(1),
        created_at: Set(event.at),
        updated_at: Set(event.at),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Records that a tag sequence number was used, so the next one is larger.
pub async fn note_tag_used(
    conn: &impl ConnectionTrait,
    site_id: uuid::Uuid,
    sequence: i64,
) -> Result<(), DbErr> {
    let row = crate::ledger::projection::row::<site::Entity>(conn, site_id).await?;
    if sequence > row.last_tag_sequence {
        let mut row: site::ActiveModel = row.into();
        row.last_tag_sequence = Set(sequence);
        row.update(conn).await?;
    }
    Ok(())
}

/// Loads a site by id; `None` if it does not exist.
pub async fn find(conn: &impl ConnectionTrait, id: SiteId) -> Result<Option<site::Model>, DbErr> {
    site::Entity::find_by_id(id.0).one(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_codes_are_two_to_five_capitals() {
        for ok in ["BR", "BRE", "LYONS"] {
            assert!(validate_code(ok).is_ok(), "{ok}");
        }
        for bad in ["B", "BRESTS", "bre", "BR3", "BRÉ", ""] {
            assert!(validate_code(bad).is_err(), "{bad}");
        }
    }
}
