//! The OpenAPI 3.1 document. Every route is registered through utoipa-axum's
//! `routes!`, which adds it to the router and to this document together, so
//! the two cannot drift apart; a test checks the rest.

use axum::Json;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Retrace", description = "Traceability of donated computers: donors, devices, erasure, delivery."),
    modifiers(&BearerAuth),
    tags(
        (name = "sites", description = "Workshops"),
        (name = "donors"), (name = "lots", description = "Donations received"),
        (name = "devices"), (name = "media", description = "Storage media"),
        (name = "erasures", description = "Sanitization records and nwipe imports"),
        (name = "certificates", description = "Signed certificates and their public verification"),
        (name = "labels", description = "QR labels to print"), (name = "scan", description = "What a scanned code is"),
        (name = "audits", description = "Stock audits: what is on the shelves"),
        (name = "refurbishment", description = "Repairs, parts, grade, battery, OS: the work on a device"),
        (name = "beneficiaries", description = "Who receives devices: pseudonymous, personal data erasable"),
        (name = "allocations", description = "Devices reserved for, handed over to and returned by beneficiaries"),
        (name = "waste", description = "Waste shipments and the outgoing waste register"),
        (name = "workers", description = "The team: contracts, exits, names erasable"),
        (name = "timesheets", description = "Hours worked, by day and activity"),
        (name = "reports", description = "The funders' impact report"),
        (name = "users"), (name = "tokens", description = "API tokens"),
        (name = "ledger", description = "The hash-chained event log"),
        (name = "operations"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Serves the document built alongside the router.
pub fn handler(document: Document) -> impl Fn() -> std::future::Ready<Json<Document>> + Clone {
    move || std::future::ready(Json(document.clone()))
}
