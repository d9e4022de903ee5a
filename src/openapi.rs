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
    // Each domain's sections come from its `DOMAIN`; these are the plumbing's.
    tags(
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
