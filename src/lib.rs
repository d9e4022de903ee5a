//! Retrace: traceability of donated computers, from the donor through data
//! erasure and refurbishment to the person or association that receives
//! them. See docs/ARCHITECTURE.md for the map of these modules.

pub mod allocations;
pub mod asset_list;
pub mod auth;
pub mod beneficiaries;
pub mod catalogue;
pub mod certificates;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod devices;
pub mod domain;
pub mod donors;
pub mod erasure;
pub mod error;
pub mod extract;
pub mod hardware_audit;
pub mod headers;
pub mod health;
pub mod i18n;
pub mod ids;
pub mod impact;
pub mod input;
pub mod labels;
pub mod ledger;
pub mod ledger_api;
pub mod limits;
pub mod lots;
pub mod media;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod patch;
pub mod pdf;
pub mod policies;
pub mod portal;
pub mod principal;
pub mod privacy;
pub mod pseudonym;
pub mod refurbishment;
pub mod reports;
pub mod scan;
pub mod search;
pub mod sites;
pub mod spreadsheet;
pub mod state;
pub mod stock;
pub mod stock_audits;
pub use retrace_rules::tags;
pub mod telemetry;
pub mod timesheets;
pub mod users;
pub mod waste;
pub mod web;
pub mod words;
pub mod workers;
pub mod workload;
pub mod write;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use tower::ServiceBuilder;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::config::Settings;
use crate::error::AppError;
use crate::ledger::keys::InstanceKey;
use crate::state::{AppState, Ledger, Shared};

/// Largest JSON body accepted: generous for a device with its specs, small
/// enough that a runaway client cannot tie up memory.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// Every domain, in the order the API document lists their sections: a new
/// domain is its folder, its `pub mod` above and one line here.
pub const DOMAINS: &[domain::Domain] = &[
    sites::DOMAIN,
    donors::DOMAIN,
    lots::DOMAIN,
    asset_list::DOMAIN,
    devices::DOMAIN,
    hardware_audit::DOMAIN,
    media::DOMAIN,
    erasure::DOMAIN,
    certificates::DOMAIN,
    labels::DOMAIN,
    scan::DOMAIN,
    stock_audits::DOMAIN,
    refurbishment::DOMAIN,
    beneficiaries::DOMAIN,
    allocations::DOMAIN,
    waste::DOMAIN,
    stock::DOMAIN,
    workers::DOMAIN,
    timesheets::DOMAIN,
    reports::DOMAIN,
    portal::DOMAIN,
    users::DOMAIN,
    auth::DOMAIN,
];

/// Every route and the OpenAPI document that describes them.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut document) = DOMAINS
        .iter()
        .fold(
            OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
                .merge(health::router())
                .merge(ledger_api::router()),
            |router, domain| router.merge((domain.routes)()),
        )
        .split_for_parts();
    // The domains' sections first, then the plumbing's (ledger, operations).
    let mut tags: Vec<utoipa::openapi::tag::Tag> = DOMAINS
        .iter()
        .flat_map(|domain| domain.tags)
        .map(|tag| {
            utoipa::openapi::tag::TagBuilder::new()
                .name(tag.name)
                .description(tag.description)
                .build()
        })
        .collect();
    tags.extend(document.tags.take().unwrap_or_default());
    document.tags = Some(tags);
    // Enums used only as query parameters are referred to, not collected by
    // utoipa: their schemas are added here, so that every `$ref` resolves.
    let components = document.components.get_or_insert_with(Default::default);
    for (name, schema) in [
        (
            <labels::LabelFormat as utoipa::ToSchema>::name(),
            <labels::LabelFormat as utoipa::PartialSchema>::schema(),
        ),
        (
            <reports::routes::Format as utoipa::ToSchema>::name(),
            <reports::routes::Format as utoipa::PartialSchema>::schema(),
        ),
    ] {
        components.schemas.insert(name.into_owned(), schema);
    }
    openapi::describe_headers(&mut document);
    openapi::describe_files(&mut document);
    openapi::links::add(&mut document);
    openapi::complete_refusals(&mut document);
    openapi::bound_dates(&mut document);
    openapi::close_variants(
        &mut document,
        &[
            &<refurbishment::Work as utoipa::ToSchema>::name(),
            &<allocations::Conditions as utoipa::ToSchema>::name(),
        ],
    );
    (router, document)
}

/// Applies the migrations, then derives any projection a migration added to
/// a ledger that already had events (each domain's rebuilds, in order).
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db::migrate(db).await?;
    for rebuild in DOMAINS.iter().flat_map(|domain| domain.rebuilds) {
        rebuild(db).await?;
    }
    Ok(())
}

/// Migrates on a connection of its own. Through the pool, a migration's
/// statements went to different SQLite connections, and one that had not
/// yet seen a dropped table still saw its indexes.
pub async fn migrate_alone(settings: &Settings) -> Result<(), sea_orm::DbErr> {
    let db = db::connect_with(settings, 1).await?;
    migrate(&db).await?;
    db.close().await
}

/// The whole HTTP application. Tests call this and drive it in-process.
pub fn app(state: AppState) -> Router {
    let (router, mut document) = routes();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    router
        .route("/api/v1/openapi.json", axum::routing::get(openapi::handler(document)))
        .route("/metrics", axum::routing::get(metrics::handler))
        .merge(web::router())
        .fallback(|| async { AppError::UnknownRoute })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        // Applied to each route, where the route's template is known, as
        // one stack: each `.layer` of its own would box the route again, and
        // every middleware clones what it wraps on every request.
        .layer(
            ServiceBuilder::new()
                // A panic that still happens answers a problem, not a
                // dropped connection; what it was is logged, without the
                // path's secrets.
                .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_answer))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                    tracing::info_span!("request", http.method = %request.method(), http.path = %telemetry::loggable_path(request.uri().path()))
                }))
                .layer(axum::middleware::from_fn_with_state(
                    headers::Https(state.settings.public_url.starts_with("https://")),
                    headers::secure,
                ))
                // Outside the checks and limits, so that their refusals too
                // reach a browser as a page.
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    web::errors::as_pages,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    state.public.clone(),
                    limits::public,
                ))
                .layer(axum::middleware::from_fn(input::checked))
                .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
                .layer(axum::middleware::from_fn(metrics::timed)),
        )
        .with_state(state)
}

/// What a request that panicked answers: a 500 problem, the panic's message
/// logged (the span around it holds the path without its secrets).
fn panic_answer(panic: Box<dyn std::any::Any + Send>) -> axum::response::Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    tracing::error!(panic = message, "a request panicked");
    axum::response::IntoResponse::into_response(AppError::internal(
        "the server failed on this request",
    ))
}

/// Opens the database, applies migrations, loads the key and starts the
/// ledger writer: everything `serve` and the CLI commands need.
pub async fn start(settings: Settings) -> anyhow::Result<AppState> {
    // Each domain's own section of the settings, checked before anything runs.
    impact::Factors::of(&settings).map_err(anyhow::Error::msg)?;
    migrate_alone(&settings).await?;
    let db = db::connect(&settings).await?;
    let key = InstanceKey::load_or_create(&settings.data_dir)?;
    let scan_reader =
        db::reader::SqliteReader::for_url(settings.database_url.expose()).map(Arc::new);
    Ok(AppState::new(Shared {
        ledger: Ledger::start(&settings, Arc::new(policies::Consequences)).await?,
        db,
        settings: Arc::new(settings),
        key: Arc::new(key),
        tokens: Arc::default(),
        logins: Arc::default(),
        public: Arc::default(),
        scan_reader,
    }))
}

/// The hourly chores, until the process stops: a signed checkpoint whenever
/// one is due (daily); the idempotency keys and web sessions past their time
/// deleted; beneficiaries' personal data past its retention erased.
pub fn spawn_checkpoints(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match state.ledger.prune_idempotency_keys().await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "expired idempotency keys pruned"),
                Err(err) => tracing::error!(error = %err, "cannot prune idempotency keys"),
            }
            match beneficiaries::service::erase_past_retention(&state).await {
                Ok(0) => {}
                Ok(erased) => tracing::info!(
                    erased,
                    "beneficiaries' personal data erased past its retention"
                ),
                Err(err) => {
                    tracing::error!(error = %err, "cannot erase personal data past its retention")
                }
            }
            match auth::sessions::prune(&state.db).await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "expired web sessions deleted"),
                Err(err) => tracing::error!(error = %err, "cannot delete expired web sessions"),
            }
            match checkpoint_if_due(&state).await {
                Ok(true) => tracing::info!("ledger checkpoint recorded"),
                Ok(false) => {}
                Err(err) => tracing::error!(error = %err, "ledger checkpoint failed"),
            }
        }
    });
}

/// Signs the head of the chain if a checkpoint is due; whether it did. Due
/// is decided inside the writer, the chain's head locked: the processes of a
/// network sharing the database sign one checkpoint between them.
pub async fn checkpoint_if_due(state: &AppState) -> Result<bool, AppError> {
    let key = state.key.clone();
    state
        .write_now(&principal::Principal::instance(), move |tx, _| {
            Box::pin(async move {
                if !ledger::checkpoint::is_due(tx.conn()).await? {
                    return Ok(false);
                }
                ledger::checkpoint::record(tx, &key).await?;
                Ok(true)
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt;

    /// A handler that panics answers a 500 problem, not a dropped connection.
    #[tokio::test]
    async fn a_panic_answers_a_problem() {
        let router = axum::Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    let empty: Vec<u8> = Vec::new();
                    // Indexing past the end: the kind of bug the layer is for.
                    empty[usize::from(empty.is_empty())].to_string()
                }),
            )
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                super::panic_answer,
            ));
        let answer = router
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            answer.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let body = http_body_util::BodyExt::collect(answer.into_body())
            .await
            .unwrap()
            .to_bytes();
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem["status"], 500);
        assert!(!String::from_utf8_lossy(&body).contains("index out of bounds"));
    }
}
