//! Retrace's tables as sea-orm entities. These are storage shapes only: the
//! rules live in the domain modules of the application, and request/response
//! types are never these models.

pub mod allocation;
pub mod allocation_signature;
pub mod api_token;
pub mod beneficiary;
pub mod beneficiary_personal_data;
pub mod certificate;
pub mod complaint;
pub mod daily_tally;
pub mod device;
pub mod device_departure;
pub mod device_work;
pub mod document;
pub mod donor;
pub mod erasure_record;
pub mod event;
pub mod event_personal_field;
pub mod idempotency_key;
pub mod ledger_head;
pub mod lot;
pub mod medium;
pub mod part;
pub mod pending_rebuild;
pub mod portal_link;
pub mod site;
pub mod stock_audit;
pub mod stock_audit_scan;
pub mod timesheet_entry;
pub mod user;
pub mod waste_shipment;
pub mod waste_shipment_item;
pub mod web_session;
pub mod worker;
pub mod worker_personal_data;
