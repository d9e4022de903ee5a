//! Retrace's tables as sea-orm entities. These are storage shapes only: the
//! rules live in the domain modules of the application, and request/response
//! types are never these models.

pub mod api_token;
pub mod certificate;
pub mod device;
pub mod document;
pub mod donor;
pub mod erasure_record;
pub mod event;
pub mod idempotency_key;
pub mod ledger_head;
pub mod lot;
pub mod medium;
pub mod site;
pub mod stock_audit;
pub mod stock_audit_scan;
pub mod user;
