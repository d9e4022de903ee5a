//! What every handler shares: one `Arc`, cloned by every middleware and
//! extractor of every request.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::db::reader::SqliteReader;
use crate::error::AppError;
use crate::ledger::keys::InstanceKey;
use crate::limits::sign_ins::LoginThrottle;
use crate::principal::RecentPrincipals;

/// The ledger writer, refusing with the application's errors.
pub type Ledger = crate::ledger::LedgerWriter<AppError>;
/// A write job's view of its batch.
pub type Tx = crate::ledger::Tx<AppError>;

/// The handle every handler holds: its fields are [`Shared`]'s, read
/// through it.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The application's shared parts, behind one `Arc`.
pub struct Shared {
    /// The read pool. Writes go through [`Shared::ledger`].
    pub db: DatabaseConnection,
    pub ledger: Ledger,
    pub settings: Arc<Settings>,
    pub key: Arc<InstanceKey>,
    /// Principals recently proven by a token or a session cookie.
    pub tokens: Arc<RecentPrincipals>,
    pub logins: Arc<LoginThrottle>,
    /// The rate limit on the pages anyone may open (`limits`).
    pub public: Arc<crate::limits::PublicPages>,
    /// Hot reads straight from the SQLite file (scans); `None` on PostgreSQL.
    pub scan_reader: Option<Arc<SqliteReader>>,
}
