//! The ledger: every write of Retrace is an event appended here, in one
//! global gap-free sequence, each event chained to the previous one by its
//! hash. The tables the API reads are projections of these events, written by
//! each event's [`Payload::project`] in the same transaction as the append.
//!
//! The ledger knows no domain. Domains define their payloads (one type per
//! kind and version, [`Payload`]) and list them in the catalogue above them
//! (`crate::catalogue`); consequences that cross domains are the
//! [`Policies`] the writer runs after each event.
//!
//! - [`chain`]: how a hash is computed;
//! - [`payload`]: what an event kind is, its versions, and how it is replayed;
//! - [`writer`]: the single writer that batches requests into one commit;
//! - [`clock`]: when events happen;
//! - [`verify`]: recomputing the chain; [`checkpoint`]: signed heads;
//! - [`replay`]: rebuilding projections from the events alone;
//! - [`keys`]: the instance's Ed25519 signing key.

pub use retrace_rules::chain;
pub mod checkpoint;
pub mod clock;
pub mod error;
pub mod history;
pub mod keys;
pub mod payload;
pub mod personal;
pub mod projection;
pub mod redaction;
pub mod replay;
pub mod verify;
pub mod writer;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

pub use error::Error;
pub use payload::{Entry, Payload};
pub use projection::Updated;
pub use writer::{LedgerWriter, Outcome, Policies, Recorded, Reply, Tx};

/// What kind of record an event is about: `device`, `medium`, `lot`…
/// Each domain names its own; the ledger only stores the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubjectType(pub &'static str);

impl SubjectType {
    /// The ledger itself, for checkpoints.
    pub const LEDGER: Self = Self("ledger");

    pub fn as_str(self) -> &'static str {
        self.0
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
    /// The payload as stored: a version after the first carries `"v": N`.
    #[schema(value_type = Object)]
    pub payload: Value,
    pub prev_hash: String,
    pub hash: String,
    /// What the event says of people (names, e-mails, witnesses, notes), by
    /// path in the payload: held beside the chain, not covered by the hash,
    /// and erasable (docs/LEDGER.md). Absent when it says nothing of anyone,
    /// when that was erased, or when the reader may not read people.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub personal: Option<personal::Fields>,
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
            personal: None,
        })
    }

    /// The version of its kind the payload is written in.
    pub fn version(&self) -> u32 {
        payload::version_of(&self.payload)
    }
}

/// The last `seq` and `hash` of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}
