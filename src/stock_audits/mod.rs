//! Stock audits (SPEC §4): start one for a site, scan what is on the
//! shelves, close it. The report lists what was expected but not found and
//! what was found but not expected. Starting, each scan and closing are
//! ledger events; the report is part of the closing event, so it reads the
//! same after a replay years later.

pub mod events;
pub mod queries;
pub mod refusals;
pub mod routes;
pub mod rules;
pub mod service;

use chrono::{DateTime, Utc};
use entities::stock_audit;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::error::AppError;
use crate::ids::{SiteId, StockAuditId};

pub use rules::{medium_on_the_shelf, on_the_shelf, report};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "audits",
        "Stock audits: what is on the shelves",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// An item the report names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Item {
    pub id: Uuid,
    /// `device` or `medium`.
    pub item_type: String,
    pub asset_tag: String,
    pub state: String,
    pub site_id: Uuid,
}

/// Why a scanned code was not expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unexpected {
    /// The code matches nothing on record.
    UnknownCode,
    /// The item belongs to another site.
    OtherSite,
    /// The item's state says it is not here (delivered, recycled, lost…).
    NotOnShelf,
}

impl Unexpected {
    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Surprise {
    pub code: String,
    pub reason: Unexpected,
    /// The item, when the code matched one.
    pub item: Option<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Report {
    pub expected_count: usize,
    pub found_count: usize,
    /// Expected on the shelves, not scanned.
    pub missing: Vec<Item>,
    /// Scanned, not expected.
    pub unexpected: Vec<Surprise>,
}

/// A scan as the report sees it: the code, and the item if it matched one.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub code: String,
    pub item: Option<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditState {
    Open,
    Closed,
}

/// A stock audit as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StockAudit {
    pub id: StockAuditId,
    pub site_id: SiteId,
    pub state: AuditState,
    pub started_by: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// How many codes were scanned so far.
    pub scan_count: u64,
    /// Once closed.
    pub report: Option<Report>,
    pub version: i64,
}

impl StockAudit {
    pub fn from_row(row: stock_audit::Model, scan_count: u64) -> Result<Self, AppError> {
        let state = match row.state.as_str() {
            "open" => AuditState::Open,
            "closed" => AuditState::Closed,
            other => return Err(AppError::internal(format!("audit state {other}"))),
        };
        let report = row
            .report
            .map(serde_json::from_value)
            .transpose()
            .map_err(AppError::internal)?;
        Ok(Self {
            id: StockAuditId(row.id),
            site_id: SiteId(row.site_id),
            state,
            started_by: row.started_by,
            started_at: row.created_at,
            closed_at: row.closed_at,
            scan_count,
            report,
            version: row.version,
        })
    }
}

/// `POST /api/v1/audits`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAudit {
    /// Needed only by users not bound to a site.
    pub site_id: Option<SiteId>,
}

/// `POST /api/v1/audits/{id}/scans`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScan {
    /// What the scanner read: an asset tag, a label URL or a serial number.
    #[validate(length(min = 1, max = 512))]
    #[schema(min_length = 1, max_length = 512)]
    pub code: String,
}

impl From<Item> for events::Item {
    fn from(i: Item) -> Self {
        Self {
            id: i.id,
            item_type: i.item_type,
            asset_tag: i.asset_tag,
            state: i.state,
            site_id: i.site_id,
        }
    }
}

impl From<Report> for events::Report {
    fn from(r: Report) -> Self {
        Self {
            expected_count: r.expected_count,
            found_count: r.found_count,
            missing: r.missing.into_iter().map(Into::into).collect(),
            unexpected: r
                .unexpected
                .into_iter()
                .map(|s| events::Surprise {
                    code: s.code,
                    reason: s.reason.as_str().to_owned(),
                    item: s.item.map(Into::into),
                })
                .collect(),
        }
    }
}
