//! The ledger: every write of Retrace is an event appended here, in one
//! global gap-free sequence, each event chained to the previous one by its
//! hash. The tables the API reads are projections of these events, updated by
//! [`projection::apply`] in the same transaction as the append.
//!
//! - [`chain`]: how a hash is computed;
//! - [`change`]: the catalogue of every kind of event and its payload;
//! - [`writer`]: the single writer that batches requests into one commit;
//! - [`verify`]: recomputing the chain; [`checkpoint`]: signed heads;
//! - [`keys`]: the instance's Ed25519 signing key.

pub mod chain;
pub mod change;
pub mod checkpoint;
pub mod history;
pub mod keys;
pub mod projection;
pub mod replay;
pub mod routes;
pub mod update;
pub mod verify;
pub mod writer;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

pub use change::Change;
pub use writer::{LedgerWriter, Reply, Tx};

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Site,
    Donor,
    Lot,
    Device,
    Medium,
    User,
    Token,
    Erasure,
    Certificate,
    StockAudit,
    Ledger,
}

impl SubjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Site => "site",
            Self::Donor => "donor",
            Self::Lot => "lot",
            Self::Device => "device",
            Self::Medium => "medium",
            Self::User => "user",
            Self::Token => "token",
            Self::Erasure => "erasure",
            Self::Certificate => "certificate",
            Self::StockAudit => "stock_audit",
            Self::Ledger => "ledger",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub kind: SubjectType,
    pub id: Uuid,
}

impl Subject {
    pub fn new(kind: SubjectType, id: impl Into<Uuid>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }
}

/// One entry of the ledger, as stored and as served.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Event {
    pub seq: i64,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The user who caused it; `null` for the instance itself (CLI, schedules).
    pub actor_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    pub subject_type: String,
    pub subject_id: Uuid,
    /// e.g. `device.transitioned`; see docs/LEDGER.md for the catalogue.
    pub kind: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    pub prev_hash: String,
    pub hash: String,
}

impl Event {
    /// Reads a stored row; `None` if its payload is not JSON (a tampered row).
    pub fn from_row(row: entities::event::Model) -> Option<Self> {
        let payload = serde_json::from_str(&row.payload).ok()?;
        Some(Self {
            seq: row.seq,
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            site_id: row.site_id,
            subject_type: row.subject_type,
            subject_id: row.subject_id,
            kind: row.kind,
            payload,
            prev_hash: row.prev_hash,
            hash: row.hash,
        })
    }
}

/// The last `seq` and `hash` of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// Optimistic locking: a write expecting another version than the current one is stale.
pub fn check_version(current: i64, expected: i64) -> Result<(), crate::error::AppError> {
    if current == expected {
        Ok(())
    } else {
        Err(crate::error::AppError::StaleVersion { current })
    }
}
