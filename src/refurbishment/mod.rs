//! Refurbishment as recorded work: repairs (with the parts replaced, a
//! harvested part keeping its origin device), cosmetic grade, battery
//! health, the operating system installed; and dismantling, whose harvested
//! parts are each traceable to the device they came from.
//!
//! - [`events`]: `device.work_recorded`, `part.harvested`;
//! - [`service`]: recording work, dismantling;
//! - [`queries`]: a device's work, the parts in stock;
//! - [`routes`]: the HTTP API.

pub mod events;
pub mod queries;
pub mod routes;
pub mod service;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::devices::Grade;
use crate::domain::{Domain, Tag};
use crate::ids::{DeviceId, PartId, SiteId};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "refurbishment",
        "Repairs, parts, grade, battery, OS: the work on a device",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// A part put into a device during a repair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplacedPart {
    /// e.g. "8 GB DDR4 SO-DIMM", "keyboard FR".
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub description: String,
    /// A part harvested from a dismantled device, if it is one.
    pub part_id: Option<PartId>,
}

/// One piece of work on a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Work {
    /// A repair, with the parts replaced.
    Repair {
        #[schema(min_length = 1, max_length = 2000)]
        description: String,
        #[serde(default)]
        #[schema(max_items = 50)]
        parts: Vec<ReplacedPart>,
    },
    /// The cosmetic grade, A (like new) to C (visible wear).
    Grade { grade: Grade },
    /// The battery's health as measured (full charge capacity / design capacity).
    Battery {
        #[schema(maximum = 100)]
        health_percent: u8,
        cycle_count: Option<u32>,
    },
    /// The operating system installed.
    Os {
        /// e.g. Linux Mint, Ubuntu, Debian, Emmabuntüs, PrimTux.
        #[schema(min_length = 1, max_length = 100)]
        distribution: String,
        #[schema(min_length = 1, max_length = 50)]
        version: Option<String>,
        /// The workshop's master image, if installed from one.
        #[schema(min_length = 1, max_length = 100)]
        image_id: Option<String>,
    },
}

impl Work {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Repair { .. } => "repair",
            Self::Grade { .. } => "grade",
            Self::Battery { .. } => "battery",
            Self::Os { .. } => "os",
        }
    }

    /// The checks `validator` cannot express on a tagged enum.
    pub fn check(&self) -> Result<(), crate::error::AppError> {
        use crate::error::AppError;
        let text = |field: &str, value: &str, max: usize| {
            written_text(format!("work.{field}"), value, max)
        };
        match self {
            Self::Repair { description, parts } => {
                text("description", description, 2000)?;
                if parts.len() > 50 {
                    return Err(AppError::bound("work.parts", "length", "at most 50 parts"));
                }
                for part in parts {
                    part.validate()?;
                }
                Ok(())
            }
            Self::Grade { .. } => Ok(()),
            Self::Battery { health_percent, .. } if *health_percent > 100 => Err(AppError::bound(
                "work.health_percent",
                "range",
                "must be 0 to 100",
            )),
            Self::Battery { .. } => Ok(()),
            Self::Os {
                distribution,
                version,
                image_id,
            } => {
                text("distribution", distribution, 100)?;
                if let Some(v) = version {
                    text("version", v, 50)?;
                }
                if let Some(i) = image_id {
                    text("image_id", i, 100)?;
                }
                Ok(())
            }
        }
    }
}

/// `POST /api/v1/devices/{id}/work`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWork {
    pub expected_version: Option<i64>,
    #[validate(custom(function = "valid_work"))]
    pub work: Work,
}

/// `Work::check` as `validator` reports it, keeping the check's code (a
/// bound the document states, or none).
fn valid_work(work: &Work) -> Result<(), validator::ValidationError> {
    work.check().map_err(|error| {
        let (message, code) = match error {
            crate::error::AppError::Validation(fields) => (
                fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                fields.into_iter().find_map(|f| f.code),
            ),
            other => (other.to_string(), None),
        };
        let mut refused = validator::ValidationError::new("work").with_message(message.into());
        if let Some(code) = code {
            refused.code = code.into();
        }
        refused
    })
}

/// A piece of work as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkRecord {
    pub id: uuid::Uuid,
    pub device_id: DeviceId,
    pub work: serde_json::Value,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Option<uuid::Uuid>,
}

/// `POST /api/v1/devices/{id}/dismantle`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dismantling {
    pub expected_version: Option<i64>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The parts kept for reuse, e.g. "8 GB DDR4 SO-DIMM".
    #[validate(length(max = 50))]
    #[schema(schema_with = part_descriptions)]
    pub parts: Vec<String>,
}

/// A text a technician writes: 1 to `max` characters, as the document's
/// `maxLength` counts them (`length`), and not blank, a rule of its own
/// which the document does not state.
pub(crate) fn written_text(
    field: String,
    value: &str,
    max: usize,
) -> Result<(), crate::error::AppError> {
    use crate::error::AppError;
    if !(1..=max).contains(&value.chars().count()) {
        Err(AppError::bound(
            field,
            "length",
            format!("must be 1 to {max} characters"),
        ))
    } else if value.trim().is_empty() {
        Err(AppError::field(field, "must not be blank"))
    } else {
        Ok(())
    }
}

/// The most characters a dismantled part's description holds.
pub const PART_MAX_CHARS: usize = 200;

/// `Dismantling::parts`: utoipa states no bounds on a list's texts.
fn part_descriptions() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(PART_MAX_CHARS)),
        )
        .max_items(Some(50))
        .description(Some(
            r#"The parts kept for reuse, e.g. "8 GB DDR4 SO-DIMM"."#,
        ))
        .build()
}

/// A harvested part.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Part {
    pub id: PartId,
    pub site_id: SiteId,
    pub description: String,
    pub origin_device_id: DeviceId,
    pub origin_asset_tag: String,
    /// The device it was fitted in, once reused.
    pub fitted_in_device_id: Option<DeviceId>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document closes every variant (`openapi::close_variants`).
    #[test]
    fn every_kind_of_work_refuses_a_field_it_does_not_declare() {
        for (body, extra) in [
            (
                r#"{"type":"repair","description":"fan""#,
                r#""version":"1""#,
            ),
            (r#"{"type":"grade","grade":"B""#, r#""parts":[]"#),
            (r#"{"type":"battery","health_percent":80"#, r#""grade":"B""#),
            (r#"{"type":"os","distribution":"Debian""#, r#""parts":[]"#),
        ] {
            let read = |text: String| serde_json::from_str::<Work>(&text);
            assert!(read(format!("{body}}}")).is_ok(), "{body}");
            assert!(read(format!("{body},{extra}}}")).is_err(), "{body} {extra}");
        }
    }

    /// Lengths in characters, as the document's `maxLength` counts them.
    #[test]
    fn lengths_count_characters_not_bytes() {
        let os = |distribution: String| Work::Os {
            distribution,
            version: None,
            image_id: None,
        };
        assert!(os("é".repeat(100)).check().is_ok());
        assert!(os("é".repeat(101)).check().is_err());
        assert!(os(" ".into()).check().is_err());
    }
}
