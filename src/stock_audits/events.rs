//! What the ledger records about stock audits. The report is part of the
//! closing event, so it reads the same after a replay years later.

use entities::{stock_audit, stock_audit_scan};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::conn::Conn;
use crate::ids::SiteId;
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};

pub const SUBJECT: SubjectType = SubjectType("stock_audit");

/// `stock_audit.started`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Started {
    pub site_id: SiteId,
}

impl Payload for Started {
    const KIND: &'static str = "stock_audit.started";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        stock_audit::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            state: Set("open".into()),
            started_by: Set(event.actor_id),
            closed_at: Set(None),
            report: Set(None),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// `stock_audit.scanned`: the code as read, and what it matched (`null`
/// members for an unknown code).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scanned {
    pub code: String,
    pub item_type: Option<String>,
    pub item_id: Option<Uuid>,
    pub asset_tag: Option<String>,
}

impl Payload for Scanned {
    const KIND: &'static str = "stock_audit.scanned";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        stock_audit_scan::ActiveModel {
            id: Set(event.id),
            audit_id: Set(event.subject_id),
            code: Set(self.code.clone()),
            item_type: Set(self.item_type.clone()),
            item_id: Set(self.item_id),
            asset_tag: Set(self.asset_tag.clone()),
            scanned_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// An item a closing report names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: Uuid,
    pub item_type: String,
    pub asset_tag: String,
    pub state: String,
    pub site_id: Uuid,
}

/// A scan the closing report found unexpected, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surprise {
    pub code: String,
    /// `unknown_code`, `other_site` or `not_on_shelf`.
    pub reason: String,
    pub item: Option<Item>,
}

/// The report a closing records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub expected_count: usize,
    pub found_count: usize,
    pub missing: Vec<Item>,
    pub unexpected: Vec<Surprise>,
}

/// `stock_audit.closed`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Closed {
    pub version: i64,
    pub report: Report,
}

impl Payload for Closed {
    const KIND: &'static str = "stock_audit.closed";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let row = projection::row::<stock_audit::Entity>(conn, event.subject_id).await?;
        let mut row: stock_audit::ActiveModel = row.into();
        row.state = Set("closed".into());
        row.closed_at = Set(Some(event.at));
        row.report = Set(Some(
            serde_json::to_value(&self.report).map_err(|e| DbErr::Json(e.to_string()))?,
        ));
        row.version = Set(self.version);
        row.updated_at = Set(event.at);
        row.update(conn).await?;
        Ok(())
    }
}

pub const KINDS: &[Entry] = &[entry::<Started>(), entry::<Scanned>(), entry::<Closed>()];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). What was scanned and what is missing: tags, kinds and states.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[
    ("stock_audit.scanned", &["code", "asset_tag", "item_type"]),
    (
        "stock_audit.closed",
        &[
            "report.missing[].asset_tag",
            "report.missing[].item_type",
            "report.missing[].state",
        ],
    ),
];
