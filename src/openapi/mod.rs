//! The OpenAPI 3.1 document. Every route is registered through utoipa-axum's
//! `routes!`, which adds it to the router and to this document together, so
//! the two cannot drift apart; a test checks the rest.

pub mod links;

use axum::Json;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Retrace", description = "Traceability of donated computers: donors, devices, erasure, delivery. No text of a request may hold a NUL character, and every date lies between 1900-01-01 and 2200-12-31: anything else is refused with 422."),
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

/// The refusals a route may answer because of the plumbing it goes through,
/// whatever the route: the document lists them on every operation they
/// concern, beside the route's own (which keep their descriptions).
///
/// - a token (`security`): 401 without a valid one, 403 for a role that may not;
/// - a path with an identifier: 400 when it is malformed, 404 when there is none;
/// - query parameters: 400 when they cannot be read, 422 when a value is out of bounds;
/// - a body: 400 unreadable, 413 too large, 415 not the declared type, 422 invalid fields;
/// - an `Idempotency-Key`: 400 malformed, 422 reused for another request;
/// - an expected version (`If-Match`): 409 stale, 428 missing;
/// - no token at all (the public pages' API): 429 when one address asks too often.
pub fn complete_refusals(document: &mut Document) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

    let versioned_bodies = versioned_bodies(document);
    for (path, item) in document.paths.paths.iter_mut() {
        let identified = path.contains('{');
        let public = crate::limits::is_public(path);
        for operation in operations_mut(item) {
            let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            let (queried, idempotent, if_match) = {
                let parameters: Vec<_> = parameters_mut(operation).map(|p| &*p).collect();
                let header = |name: &str| {
                    parameters.iter().any(|p| {
                        p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case(name)
                    })
                };
                let queried = parameters
                    .iter()
                    .any(|p| p.parameter_in == ParameterIn::Query);
                (queried, header("Idempotency-Key"), header("If-Match"))
            };
            let body = operation.request_body.is_some();
            let versioned = if_match
                || body_schema(operation).is_some_and(|name| versioned_bodies.contains(&name));
            let mut wanted: Vec<(&str, &str)> = Vec::new();
            if secured {
                wanted.push(("401", "No valid API token"));
                wanted.push(("403", "The principal's role may not do this"));
            } else if public {
                wanted.push((
                    "429",
                    "Too many requests from this address; see `Retry-After`",
                ));
            }
            if identified || queried || body || idempotent {
                wanted.push(("400", "A path, query, header or body that cannot be read"));
            }
            if identified {
                wanted.push(("404", "No such item, or not one the principal may see"));
            }
            if queried || body || idempotent {
                wanted.push(("422", "Invalid fields; see `errors`"));
            }
            if body {
                wanted.push(("413", "The body is larger than this route takes"));
                wanted.push(("415", "The body is not of the declared content type"));
            }
            if versioned {
                wanted.push(("409", "The item changed since the version expected"));
                wanted.push((
                    "428",
                    "No expected version (`expected_version` or `If-Match`)",
                ));
            }
            for (status, description) in wanted {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/problem+json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("Problem")))
                                        .build(),
                                )
                                .build(),
                        )
                    });
            }
        }
    }
}

/// Closes each variant of the named tagged enums to fields it does not
/// declare, as `#[serde(deny_unknown_fields)]` on the enum does: utoipa says
/// so of a struct with that attribute, but not of an enum's variants.
pub fn close_variants(document: &mut Document, enums: &[&str]) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{AdditionalProperties, Schema};

    let Some(components) = document.components.as_mut() else {
        return;
    };
    for name in enums {
        let Some(RefOr::T(Schema::OneOf(one))) = components.schemas.get_mut(*name) else {
            panic!("`{name}` is not a tagged enum of the document");
        };
        for variant in &mut one.items {
            if let RefOr::T(Schema::Object(object)) = variant {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// A date's year as `input::check` bounds every date-shaped text (1900 to
/// 2200), as a pattern on every `date` and `date-time` of the document.
const YEAR_PATTERN: &str = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-";

/// Writes the bounds `input::check` puts on every date into the schemas:
/// the components', the parameters', and those inline in bodies.
pub fn bound_dates(document: &mut Document) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ArrayItems, KnownFormat, Schema, SchemaFormat};

    fn walk(schema: &mut RefOr<Schema>) {
        let RefOr::T(schema) = schema else { return };
        match schema {
            Schema::Object(object) => {
                if matches!(
                    object.format,
                    Some(SchemaFormat::KnownFormat(
                        KnownFormat::Date | KnownFormat::DateTime
                    ))
                ) && object.pattern.is_none()
                {
                    object.pattern = Some(YEAR_PATTERN.to_owned());
                }
                object.properties.values_mut().for_each(walk);
            }
            Schema::Array(array) => {
                if let ArrayItems::RefOrSchema(items) = &mut array.items {
                    walk(items);
                }
            }
            Schema::OneOf(one) => one.items.iter_mut().for_each(walk),
            Schema::AllOf(all) => all.items.iter_mut().for_each(walk),
            Schema::AnyOf(any) => any.items.iter_mut().for_each(walk),
            _ => {}
        }
    }

    if let Some(components) = document.components.as_mut() {
        components.schemas.values_mut().for_each(walk);
    }
    for item in document.paths.paths.values_mut() {
        for operation in operations_mut(item) {
            for parameter in parameters_mut(operation) {
                if let Some(schema) = parameter.schema.as_mut() {
                    walk(schema);
                }
            }
            if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let RefOr::T(content) = content
                        && let Some(schema) = content.schema.as_mut()
                    {
                        walk(schema);
                    }
                }
            }
        }
    }
}

/// The forms of the two headers every write may carry, as `extract` reads them.
pub fn describe_headers(document: &mut Document) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{RefOr, Schema};

    let operations = document.paths.paths.values_mut().flat_map(operations_mut);
    for operation in operations {
        for parameter in parameters_mut(operation) {
            if parameter.parameter_in != ParameterIn::Header {
                continue;
            }
            // Visible ASCII, quotes allowed around it; a version, quoted or not.
            let pattern = match parameter.name.to_ascii_lowercase().as_str() {
                "idempotency-key" => r#"^"?[!#-~]{1,255}"?$"#,
                "if-match" => r#"^(W/)?"?-?[0-9]{1,18}"?$"#,
                _ => continue,
            };
            parameter.schema = Some(RefOr::T(Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(pattern))
                    .build(),
            )));
        }
    }
}

/// Files in and out — a PDF, a donor's spreadsheet as it came — are bytes:
/// utoipa writes `Vec<u8>` as an array of integers, which no client sends or
/// reads. Any array under a media type that is not JSON is such a file.
pub fn describe_files(document: &mut Document) {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::{Content, RefOr, Schema};

    let file = |content: &mut RefOr<Content>, media_type: &str| {
        if let RefOr::T(content) = content
            && !media_type.contains("json")
            && matches!(content.schema, Some(RefOr::T(Schema::Array(_))))
        {
            content.schema = Some(RefOr::T(Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                    .build(),
            )));
        }
    };
    let operations = document.paths.paths.values_mut().flat_map(operations_mut);
    for operation in operations {
        if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
            for (media_type, content) in &mut body.content {
                file(content, media_type);
            }
        }
        for response in operation.responses.responses.values_mut() {
            if let RefOr::T(response) = response {
                for (media_type, content) in &mut response.content {
                    file(content, media_type);
                }
            }
        }
    }
}

/// The operations of a path, for the methods Retrace routes.
fn operations_mut(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// An operation's parameters written out in it (utoipa writes no `$ref` ones).
fn parameters_mut(
    operation: &mut utoipa::openapi::path::Operation,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Parameter> {
    use utoipa::openapi::RefOr;
    operation
        .parameters
        .iter_mut()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        })
}

/// The name of the component an operation's JSON body refers to, if any.
fn body_schema(operation: &utoipa::openapi::path::Operation) -> Option<String> {
    use utoipa::openapi::RefOr;
    let RefOr::T(body) = operation.request_body.as_ref()? else {
        return None;
    };
    let RefOr::T(content) = body.content.get("application/json")? else {
        return None;
    };
    match content.schema.as_ref()? {
        RefOr::Ref(reference) => reference
            .ref_location
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned),
        RefOr::T(_) => None,
    }
}

/// The components that carry the version a write expects (`expected_version`).
fn versioned_bodies(document: &Document) -> Vec<String> {
    use utoipa::openapi::{RefOr, Schema};
    let Some(components) = document.components.as_ref() else {
        return Vec::new();
    };
    components
        .schemas
        .iter()
        .filter(|(_, schema)| match schema {
            RefOr::T(Schema::Object(object)) => object.properties.contains_key("expected_version"),
            RefOr::T(Schema::AllOf(all)) => all.items.iter().any(|item| {
                matches!(item, RefOr::T(Schema::Object(o)) if o.properties.contains_key("expected_version"))
            }),
            _ => false,
        })
        .map(|(name, _)| name.clone())
        .collect()
}
