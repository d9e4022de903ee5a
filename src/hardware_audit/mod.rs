//! The hardware audit (SPEC §3): `lshw -json` output becomes a device's
//! identity and specs and its list of storage media, and a device just
//! received becomes `inventoried` — one report of the audit tool instead of
//! typing. It composes the devices and media domains, through their services.
//!
//! - [`lshw`]: reading lshw's report (pure);
//! - [`service`]: recording what it found; [`routes`]: `POST /api/v1/devices/{id}/audit`.

pub mod lshw;
pub mod routes;
pub mod service;

use crate::domain::Domain;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router);
