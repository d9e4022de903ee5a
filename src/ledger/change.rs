//! The catalogue of every kind of event Retrace records, with its payload.
//! An event's `kind` is the serde tag below; its `payload` the variant's
//! content. docs/LEDGER.md lists them for auditors.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::AppError;
use crate::{
    auth, certificates, devices, donors, erasure, ledger::checkpoint, lots, media, sites,
    stock_audits, users,
};

/// A change to a record: its new version and the fields that changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Updated<C> {
    pub version: i64,
    pub changes: C,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload")]
pub enum Change {
    #[serde(rename = "site.created")]
    SiteCreated(sites::NewSite),
    #[serde(rename = "site.updated")]
    SiteUpdated(Updated<sites::SiteChanges>),
    #[serde(rename = "donor.created")]
    DonorCreated(donors::NewDonor),
    #[serde(rename = "donor.updated")]
    DonorUpdated(Updated<donors::DonorChanges>),
    #[serde(rename = "lot.created")]
    LotCreated(lots::LotCreated),
    #[serde(rename = "lot.updated")]
    LotUpdated(Updated<lots::LotChanges>),
    #[serde(rename = "device.registered")]
    DeviceRegistered(devices::Registered),
    #[serde(rename = "device.updated")]
    DeviceUpdated(Updated<devices::DeviceChanges>),
    #[serde(rename = "device.transitioned")]
    DeviceTransitioned(devices::Transitioned),
    #[serde(rename = "medium.added")]
    MediumAdded(media::Added),
    #[serde(rename = "medium.updated")]
    MediumUpdated(Updated<media::MediumChanges>),
    #[serde(rename = "medium.transitioned")]
    MediumTransitioned(media::MediumTransitioned),
    #[serde(rename = "erasure.recorded")]
    ErasureRecorded(Box<erasure::ErasureRecord>),
    #[serde(rename = "certificate.issued")]
    CertificateIssued(Box<certificates::Issued>),
    #[serde(rename = "user.created")]
    UserCreated(users::UserCreated),
    #[serde(rename = "user.updated")]
    UserUpdated(Updated<users::UserChanges>),
    /// The password changed. Its hash is a credential and stays out of the ledger.
    #[serde(rename = "user.password_set")]
    UserPasswordSet(users::PasswordSet),
    #[serde(rename = "token.created")]
    TokenCreated(auth::routes::TokenCreated),
    #[serde(rename = "token.revoked")]
    TokenRevoked(auth::routes::TokenRevoked),
    #[serde(rename = "stock_audit.started")]
    StockAuditStarted(stock_audits::Started),
    #[serde(rename = "stock_audit.scanned")]
    StockAuditScanned(stock_audits::ScanRecorded),
    #[serde(rename = "stock_audit.closed")]
    StockAuditClosed(Box<stock_audits::Closed>),
    #[serde(rename = "ledger.checkpoint")]
    Checkpoint(checkpoint::Checkpoint),
}

impl Change {
    /// The event's `kind` and `payload`.
    pub fn to_parts(&self) -> Result<(String, Value), AppError> {
        let mut tagged = serde_json::to_value(self).map_err(AppError::internal)?;
        let kind = tagged
            .get("kind")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| AppError::internal("untagged change"))?;
        let payload = tagged
            .get_mut("payload")
            .map(Value::take)
            .unwrap_or(Value::Null);
        Ok((kind, payload))
    }

    /// Reads back a stored event's change.
    pub fn from_parts(kind: &str, payload: Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({ "kind": kind, "payload": payload }))
    }
}
