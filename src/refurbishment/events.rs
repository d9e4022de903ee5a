//! What the ledger records about refurbishment: each piece of work on a
//! device, and each part harvested from a dismantled one.

use entities::{device, device_work, part};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::db::conn::Conn;
use crate::devices::Grade;
use crate::ids::{DeviceId, PartId, SiteId};
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};

pub const PART: SubjectType = SubjectType("part");

/// A part put in, as recorded: a harvested part names where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartFitted {
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_id: Option<PartId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_device_id: Option<DeviceId>,
}

/// The work, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Work {
    Repair {
        description: String,
        parts: Vec<PartFitted>,
    },
    Grade {
        grade: Grade,
    },
    Battery {
        health_percent: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cycle_count: Option<u32>,
    },
    Os {
        distribution: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
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
}

/// `device.work_recorded` (subject: the device).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkRecorded {
    pub version: i64,
    pub work: Work,
}

impl Payload for WorkRecorded {
    const KIND: &'static str = "device.work_recorded";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let row = projection::row::<device::Entity>(conn, event.subject_id).await?;
        device_work::ActiveModel {
            id: Set(event.id),
            device_id: Set(row.id),
            site_id: Set(row.site_id),
            work_type: Set(self.work.type_name().to_owned()),
            details: Set(serde_json::to_value(&self.work).map_err(|e| DbErr::Json(e.to_string()))?),
            actor_id: Set(event.actor_id),
            recorded_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        let mut specs = row.specs.clone();
        let mut device: device::ActiveModel = row.into();
        match &self.work {
            Work::Repair { parts, .. } => {
                for fitted in parts.iter().filter_map(|p| p.part_id) {
                    part::Entity::update_many()
                        .col_expr(
                            part::Column::FittedInDeviceId,
                            Expr::value(event.subject_id),
                        )
                        .col_expr(part::Column::UpdatedAt, Expr::value(event.at))
                        .filter(part::Column::Id.eq(fitted.0))
                        .exec(conn)
                        .await?;
                }
            }
            Work::Grade { grade } => device.grade = Set(Some(format!("{grade:?}"))),
            Work::Battery { health_percent, .. } => {
                if let Some(map) = specs.as_object_mut() {
                    map.insert("battery_health_percent".into(), (*health_percent).into());
                }
                device.specs = Set(specs);
            }
            Work::Os {
                distribution,
                version,
                ..
            } => {
                let os = match version {
                    Some(v) => format!("{distribution} {v}"),
                    None => distribution.clone(),
                };
                device.os = Set(Some(os));
            }
        }
        device.version = Set(self.version);
        device.updated_at = Set(event.at);
        device.update(conn).await?;
        Ok(())
    }
}

/// `part.harvested`: a part kept from a dismantled device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Harvested {
    pub site_id: SiteId,
    pub origin_device_id: DeviceId,
    pub description: String,
}

impl Payload for Harvested {
    const KIND: &'static str = "part.harvested";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        part::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            origin_device_id: Set(self.origin_device_id.0),
            description: Set(self.description.clone()),
            fitted_in_device_id: Set(None),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

pub const KINDS: &[Entry] = &[entry::<WorkRecorded>(), entry::<Harvested>()];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). Hardware: what was repaired, installed or harvested (the forms ask
/// for the hardware, not the people).
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[
    (
        "device.work_recorded",
        &[
            "work.description",
            "work.parts[].description",
            "work.distribution",
            "work.version",
            "work.image_id",
        ],
    ),
    ("part.harvested", &["description"]),
];
