//! The test harness: a fresh, migrated database per test (SQLite in a
//! temporary directory, or a new PostgreSQL database when
//! `RETRACE_TEST_DATABASE_URL` points at a server), the real router driven
//! in-process, and shortcuts to create the users and records tests need.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use retrace::config::Settings;
use retrace::ids::{SiteId, UserId};
use retrace::users::service::{Token, enrol};

use retrace::principal::{Principal, Role};
use retrace::state::AppState;
use retrace::users::NewUser;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tower::ServiceExt;

#[path = "../support/scratch_database.rs"]
mod scratch_database;
pub use scratch_database::TestDatabase;

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    /// A network admin's token.
    pub admin: String,
    /// Keeps the data directory (SQLite file, signing key) alive.
    pub dir: tempfile::TempDir,
    /// The PostgreSQL database, if any: dropped with the app.
    pub _database: Option<TestDatabase>,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// Asserts a problem+json answer with this status, and returns its body.
    #[track_caller]
    pub fn problem(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.content_type(),
            "application/problem+json",
            "{}",
            self.text
        );
        assert_eq!(self.body["status"], status.as_u16(), "{}", self.text);
        assert!(
            self.body["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("/problems/")),
            "{}",
            self.text
        );
        assert!(
            self.body["title"].is_string() && self.body["detail"].is_string(),
            "{}",
            self.text
        );
        &self.body
    }

    /// The `field`s of a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The PostgreSQL server's URL when `RETRACE_TEST_DATABASE_URL` names one.
fn test_server() -> Option<String> {
    std::env::var("RETRACE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A fresh, empty database: a new PostgreSQL database when
/// `RETRACE_TEST_DATABASE_URL` points at a server, or `None` for SQLite.
pub async fn fresh_database() -> Option<TestDatabase> {
    Some(TestDatabase::create(&test_server()?, "retrace_test").await)
}

/// A fresh database with every migration applied, as `retrace::start`
/// leaves it; `None` for SQLite. On PostgreSQL, a copy of one database
/// migrated once for the run: migrating each test's own took about a quarter of
/// the suite's time there.
pub async fn migrated_database() -> Option<TestDatabase> {
    // A static is never dropped: the template outlives the run.
    static TEMPLATE: tokio::sync::OnceCell<TestDatabase> = tokio::sync::OnceCell::const_new();
    let server = test_server()?;
    let template = TEMPLATE.get_or_init(|| migrated_template(&server)).await;
    Some(TestDatabase::copy(&server, "retrace_test", &template.name).await)
}

/// Creates and migrates the run's template. It outlives the run (no test
/// ends last), so each run first drops the templates of runs a day old,
/// dated by their names' UUIDv7.
async fn migrated_template(server: &str) -> TestDatabase {
    const PREFIX: &str = "retrace_test_template_";
    let admin = sea_orm::Database::connect(server).await.unwrap();
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"),
        ))
        .await
        .unwrap();
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(24 * 3600);
    for name in rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
    {
        let made = uuid::Uuid::parse_str(&name[PREFIX.len()..])
            .ok()
            .and_then(|id| id.get_timestamp())
            .map(|t| std::time::UNIX_EPOCH + std::time::Duration::from_secs(t.to_unix().0));
        if made.is_some_and(|made| made < day_ago) {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
    admin.close().await.unwrap();
    let template = TestDatabase::create(server, PREFIX.trim_end_matches('_')).await;
    let dir = tempfile::tempdir().unwrap();
    retrace::migrate_alone(&Settings::for_data_dir(
        dir.path().to_path_buf(),
        Some(template.url.clone()),
    ))
    .await
    .unwrap();
    template
}

impl TestApp {
    pub async fn spawn() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = migrated_database().await;
        Self::open(dir, database).await
    }

    /// Starts with the ledger's clock set by hand at `at`: the test moves it
    /// forward (`app.clock().set(…)`) to write a history spread over time.
    pub async fn spawn_at(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self::spawn_with(|settings| {
            settings.clock = retrace::ledger::clock::Clock::manual(at);
        })
        .await
    }

    /// Starts with settings of the test's own (as a `retrace.toml` would set them).
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = migrated_database().await;
        Self::start(dir, database, configure).await
    }

    /// The clock that stamps the ledger's events.
    pub fn clock(&self) -> &retrace::ledger::clock::Clock {
        &self.state.settings.clock
    }

    /// Starts on the data directory `dir` (its SQLite file, or the
    /// PostgreSQL database `database`), as `serve` would on an existing
    /// instance, and adds a network admin with a token.
    pub async fn open(dir: tempfile::TempDir, database: Option<TestDatabase>) -> Self {
        Self::start(dir, database, |_| {}).await
    }

    async fn start(
        dir: tempfile::TempDir,
        database: Option<TestDatabase>,
        configure: impl FnOnce(&mut Settings),
    ) -> Self {
        let mut settings = Settings::for_data_dir(
            dir.path().to_path_buf(),
            database.as_ref().map(|d| d.url.clone()),
        );
        configure(&mut settings);
        let state = retrace::start(settings).await.expect("start");
        let router = retrace::app(state.clone());
        let mut app = Self {
            router,
            state,
            admin: String::new(),
            dir,
            _database: database,
        };
        let email = format!("admin-{}@retrace.test", uuid::Uuid::now_v7().simple());
        let (_, admin) = app.user_with_token(&email, Role::Admin, None).await;
        app.admin = admin;
        app
    }

    /// Creates a user directly through the ledger writer, with an API token.
    pub async fn user_with_token(
        &self,
        email: &str,
        role: Role,
        site: Option<SiteId>,
    ) -> (UserId, String) {
        let new = NewUser {
            email: email.into(),
            display_name: None,
            role,
            site_id: site,
            locale: None,
            password: None,
        };
        let token = Token {
            name: "tests",
            days: 30,
        };
        let (user, issued) = self
            .state
            .write_now(&Principal::instance(), move |tx, instance| {
                Box::pin(enrol(tx, instance, new, None, token))
            })
            .await
            .expect("create user");
        (user.id, issued.secret.expect("a new token's secret"))
    }

    /// A token for a new user of `role` in `site`.
    pub async fn token(&self, role: Role, site: Option<SiteId>) -> String {
        let email = format!(
            "{}-{}@retrace.test",
            role.as_str(),
            uuid::Uuid::now_v7().simple()
        );
        self.user_with_token(&email, role, site).await.1
    }

    /// A GET without signing in: as JSON (`Accept: application/json`), or
    /// as the page a person sees.
    pub async fn anonymous(&self, path: &str, json: bool) -> TestResponse {
        let accept: &[(&str, &str)] = if json {
            &[("accept", "application/json")]
        } else {
            &[]
        };
        self.call(Method::GET, path, None, Body::empty(), accept)
            .await
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Body,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.call_from(None, method, path, token, body, headers)
            .await
    }

    /// [`Self::call`] as a client at `peer` (what the listening socket
    /// tells the server in production).
    pub async fn call_from(
        &self,
        peer: Option<std::net::SocketAddr>,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Body,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(peer) = peer {
            request = request.extension(axum::extract::ConnectInfo(peer));
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            body,
            text,
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> TestResponse {
        self.call(Method::GET, path, Some(token), Body::empty(), &[])
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> TestResponse {
        self.send(Method::POST, path, token, body, &[]).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> TestResponse {
        self.send(Method::PATCH, path, token, body, &[]).await
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Value,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.call(
            method,
            path,
            Some(token),
            Body::from(body.to_string()),
            &all,
        )
        .await
    }

    /// The ledger's last seq, to prove that a refused request wrote nothing.
    pub async fn ledger_seq(&self) -> i64 {
        let head = self.get("/api/v1/ledger/head", &self.admin).await;
        assert_eq!(head.status, StatusCode::OK, "{}", head.text);
        head.body["seq"].as_i64().unwrap()
    }

    pub async fn site(&self, code: &str) -> SiteId {
        let response = self
            .post(
                "/api/v1/sites",
                &self.admin,
                json!({"name": format!("Atelier {code}"), "code": code}),
            )
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        SiteId(response.body["id"].as_str().unwrap().parse().unwrap())
    }

    pub async fn donor(&self, token: &str) -> String {
        let response = self
            .post("/api/v1/donors", token, json!({"name": "Mairie de Brest", "kind": "public_body", "siret": "21290019700014"}))
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        response.body["id"].as_str().unwrap().to_owned()
    }

    pub async fn lot(&self, token: &str, site: SiteId) -> String {
        let donor = self.donor(token).await;
        let response = self
            .post("/api/v1/lots", token, json!({"donor_id": donor, "site_id": site, "received_on": "2026-11-02", "declared_count": 12}))
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        response.body["id"].as_str().unwrap().to_owned()
    }

    /// Registers a device and returns its JSON.
    /// Registers a device that must be accepted; returns the answer — which
    /// must be the device as it is stored (the writer answers without
    /// reading the row back).
    pub async fn device(&self, token: &str, body: Value) -> Value {
        let response = self.post("/api/v1/devices", token, body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        let stored = self
            .fetch_device(token, response.body["id"].as_str().unwrap())
            .await;
        assert_eq!(response.body, stored, "the answer is not the device stored");
        response.body
    }

    pub async fn add_medium(&self, token: &str, device: &str, serial: &str) -> Value {
        let response =
            self.post(&format!("/api/v1/devices/{device}/media"), token, json!({"kind": "ssd", "serial_number": serial, "capacity_bytes": 256_000_000_000i64})).await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
        response.body
    }

    /// Records a device action and returns the answer.
    pub async fn act(
        &self,
        token: &str,
        device: &Value,
        action: &str,
        extra: Value,
    ) -> TestResponse {
        let mut body = json!({"action": action, "expected_version": device["version"]});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        self.post(
            &format!("/api/v1/devices/{}/events", device["id"].as_str().unwrap()),
            token,
            body,
        )
        .await
    }

    /// Records a device action that must succeed; returns the device after
    /// it — which must be the device as it is stored (the writer answers
    /// without reading the row back).
    pub async fn step(&self, token: &str, device: &Value, action: &str, extra: Value) -> Value {
        let response = self.act(token, device, action, extra).await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{action}: {}",
            response.text
        );
        let answered = response.body["device"].clone();
        let stored = self
            .fetch_device(token, answered["id"].as_str().unwrap())
            .await;
        assert_eq!(
            answered, stored,
            "{action}: the answer is not the device stored"
        );
        answered
    }

    pub async fn fetch_device(&self, token: &str, id: &str) -> Value {
        let response = self.get(&format!("/api/v1/devices/{id}"), token).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        response.body
    }

    /// Records a medium action that must succeed; returns the answer.
    pub async fn medium_step(
        &self,
        token: &str,
        medium: &Value,
        action: &str,
        extra: Value,
    ) -> Value {
        let mut body = json!({"action": action, "expected_version": medium["version"]});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let response = self
            .post(
                &format!("/api/v1/media/{}/events", medium["id"].as_str().unwrap()),
                token,
                body,
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::CREATED,
            "{action}: {}",
            response.text
        );
        response.body
    }

    /// The `retrace` command on this instance's data directory and database
    /// (and no `retrace.toml`), as an operator on its host would run it.
    pub fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_retrace"));
        command
            .env(
                "RETRACE_DATABASE_URL",
                self.state.settings.database_url.expose(),
            )
            .env("RETRACE_DATA_DIR", &self.state.settings.data_dir)
            .env("RETRACE_CONFIG", self.dir.path().join("absent.toml"));
        command
    }

    /// Runs the `retrace` command on this instance's data directory and
    /// database: whether it succeeded, its stdout and its stderr.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
        use std::io::Write;
        let mut command = self.command();
        command
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.unwrap_or("").as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        (
            output.status.success(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    }

    /// Every item of a list the API answers, page after page, as an admin reads it.
    pub async fn listed(&self, path: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let join = if path.contains('?') { '&' } else { '?' };
        loop {
            let page = match &cursor {
                Some(c) => format!("{path}{join}limit=100&cursor={c}"),
                None => format!("{path}{join}limit=100"),
            };
            let answer = self.get(&page, &self.admin).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
            // A list that is not paged (the hours of a period) is the whole answer.
            if let Some(all) = answer.body.as_array() {
                return all.clone();
            }
            items.extend(answer.body["items"].as_array().unwrap().iter().cloned());
            match answer.body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }

    /// Runs raw SQL against the database, as an attacker with file access would.
    pub async fn sql(&self, statement: &str) {
        self.state
            .db
            .execute_unprepared(statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// The text of a PDF as `pdftotext -layout` reads it.
pub fn pdftotext(path: &std::path::Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Checks that `pdf` is what an archive keeps (PDF/A-2b), with the tools an
/// auditor has at hand: qpdf finds the file sound, pdffonts finds every font
/// embedded, and the file declares PDF/A-2b in XMP metadata that repeats its
/// information dictionary, with the sRGB output intent its colours rely on.
pub fn assert_archival(pdf: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let run = |program: &str, args: &[&str]| {
        let output = std::process::Command::new(program)
            .args(args)
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("{program} is installed: {e}"));
        assert!(
            output.status.success(),
            "{program}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    run("qpdf", &["--check"]);
    assert!(pdf.starts_with(b"%PDF-1.7\n"), "PDF/A-2 is PDF 1.7");
    let fonts = run("pdffonts", &[]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no font at all: {fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let embedded = columns[columns.len() - 5];
        assert_eq!(embedded, "yes", "a font is not embedded: {row}");
    }
    let info = run("pdfinfo", &["-meta"]);
    for needle in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<xmp:CreatorTool>Retrace</xmp:CreatorTool>",
        "<pdf:Producer>Retrace</pdf:Producer>",
    ] {
        assert!(
            info.contains(needle),
            "{needle} missing from the XMP: {info}"
        );
    }
    let details = run("pdfinfo", &[]);
    let field = |name: &str| {
        details
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    let title = field("Title:");
    assert!(
        info.contains(&format!(">{title}</rdf:li>")),
        "the XMP title is not the document's ({title}): {info}"
    );
    // The output intent lives in the catalogue, which qpdf shows decoded.
    let catalogue = run("qpdf", &["--show-object=trailer", "--filtered-stream-data"]);
    let root = catalogue
        .split("/Root ")
        .nth(1)
        .and_then(|r| r.split(" R").next())
        .map(|r| r.replace(' ', ","))
        .expect("a trailer names its catalogue");
    let catalogue = run("qpdf", &[&format!("--show-object={root}")]);
    assert!(
        catalogue.contains("/GTS_PDFA1") && catalogue.contains("/DestOutputProfile"),
        "no PDF/A output intent: {catalogue}"
    );
}

/// Every QR code of every page of a PDF, as a phone would read the printed
/// page: rendered by `pdftoppm` at `dpi`, decoded by `zbarimg`; page by page.
pub fn qr_codes_by_page(pdf: &[u8], dpi: u32) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let render = std::process::Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png"])
        .arg(&path)
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(render.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|page| {
            let output = std::process::Command::new("zbarimg")
                .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
                .arg(page)
                .output()
                .expect("zbarimg (zbar-tools) is installed");
            String::from_utf8(output.stdout)
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// Every row of a table, in key order, as JSON.
pub async fn rows<E>(db: &sea_orm::DatabaseConnection) -> Vec<Value>
where
    E: sea_orm::EntityTrait,
    E::Model: serde::Serialize,
{
    use sea_orm::{Iterable, QueryOrder};
    let column = E::Column::iter().next().unwrap();
    let mut rows: Vec<Value> = E::find()
        .order_by_asc(column)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect();
    // Rows sharing a first column (a shipment's items) come in no set order.
    rows.sort_by_cached_key(Value::to_string);
    rows
}

/// Asserts that two databases hold the same projections: what the API reads
/// is what the ledger says. Password hashes are credentials kept out of the
/// ledger; everything else must match.
pub async fn assert_same_projections(
    source: &sea_orm::DatabaseConnection,
    target: &sea_orm::DatabaseConnection,
) {
    use entities::*;
    macro_rules! same {
        ($($entity:ident),*) => {$(
            assert_eq!(
                rows::<$entity::Entity>(source).await,
                rows::<$entity::Entity>(target).await,
                stringify!($entity)
            );
        )*};
    }
    same!(
        site,
        donor,
        lot,
        device,
        device_departure,
        daily_tally,
        medium,
        erasure_record,
        certificate,
        api_token,
        stock_audit,
        stock_audit_scan,
        beneficiary,
        allocation,
        complaint,
        device_work,
        part,
        waste_shipment,
        waste_shipment_item,
        worker,
        timesheet_entry,
        portal_link,
        event_personal_field,
        ledger_head
    );
    let without_password = |rows: Vec<Value>| {
        rows.into_iter()
            .map(|mut r| {
                r["password_hash"] = Value::Null;
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        without_password(rows::<user::Entity>(source).await),
        without_password(rows::<user::Entity>(target).await),
        "users"
    );
}

/// A fresh, migrated, empty database, on the same kind of server as the
/// tests'; it lives as long as the value.
pub struct EmptyDatabase {
    pub conn: sea_orm::DatabaseConnection,
    _dir: tempfile::TempDir,
    _database: Option<TestDatabase>,
}

pub async fn empty_database() -> EmptyDatabase {
    let dir = tempfile::tempdir().unwrap();
    let database = migrated_database().await;
    let conn = retrace::db::connect(&Settings::for_data_dir(
        dir.path().to_path_buf(),
        database.as_ref().map(|d| d.url.clone()),
    ))
    .await
    .unwrap();
    retrace::migrate(&conn).await.unwrap();
    EmptyDatabase {
        conn,
        _dir: dir,
        _database: database,
    }
}

/// The files the database keeps this test's data in, each with its bytes,
/// read as an attacker with the disk would read them. SQLite: the data
/// directory's database file, its WAL and shared memory. PostgreSQL: every
/// file of this test's database (`base/<oid>/`) after a `CHECKPOINT` has
/// written the server's buffers to them; the server's WAL (`pg_wal`), shared
/// by every database of the server and recycled by PostgreSQL itself, is not
/// read (docs/DECISIONS.md says what that means for an erasure).
pub async fn database_files(app: &TestApp) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    use sea_orm::{DbBackend, Statement};
    let directory = match app.state.db.get_database_backend() {
        DbBackend::Postgres => {
            app.sql("CHECKPOINT").await;
            let row = app
                .state
                .db
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT current_setting('data_directory') || '/base/' || oid::text \
                     FROM pg_database WHERE datname = current_database()",
                ))
                .await
                .unwrap()
                .unwrap();
            std::path::PathBuf::from(row.try_get_by_index::<String>(0).unwrap())
        }
        _ => app.state.settings.data_dir.clone(),
    };
    let entries = std::fs::read_dir(&directory).unwrap_or_else(|e| {
        panic!(
            "cannot read the database's files in {} ({e}): the erasure checks read them as bytes, \
             so the tests must run where the database's files are readable",
            directory.display()
        )
    });
    let sqlite = app.state.db.get_database_backend() == DbBackend::Sqlite;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !path.is_file() || (sqlite && !name.contains(".db")) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        files.push((path, bytes));
    }
    let total: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();
    assert!(
        !files.is_empty() && total > 0,
        "no database file found in {}: a scan of nothing proves nothing",
        directory.display()
    );
    files
}

fn holds(bytes: &[u8], secret: &str) -> bool {
    let secret = secret.as_bytes();
    bytes.windows(secret.len()).any(|w| w == secret)
}

/// The positive control of an erasure check: each secret is in the database's
/// files now, so that not finding it later means it was erased.
pub async fn assert_in_database_files(app: &TestApp, secrets: &[&str]) {
    let files = database_files(app).await;
    for secret in secrets {
        assert!(
            files.iter().any(|(_, bytes)| holds(bytes, secret)),
            "{secret} is in none of the database's files: the scan could not find it anyway"
        );
    }
}

/// No secret in any byte of any of the database's files.
pub async fn assert_not_in_database_files(app: &TestApp, secrets: &[&str]) {
    for (path, bytes) in database_files(app).await {
        for secret in secrets {
            if holds(&bytes, secret) {
                panic!(
                    "{} ({}) still holds {secret}",
                    path.display(),
                    relation_of(app, &path).await
                );
            }
        }
    }
}

/// The table or index a PostgreSQL file belongs to, for a failure to name.
async fn relation_of(app: &TestApp, path: &std::path::Path) -> String {
    use sea_orm::{DbBackend, Statement};
    let Some(node) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.split(['_', '.']).next())
        .and_then(|n| n.parse::<u32>().ok())
    else {
        return "a file of the database".into();
    };
    if app.state.db.get_database_backend() != DbBackend::Postgres {
        return "a file of the database".into();
    }
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT relname::text FROM pg_class WHERE pg_relation_filenode(oid) = {node}"),
        ))
        .await
        .ok()
        .flatten();
    row.and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_else(|| format!("file node {node}"))
}

/// Loopback addresses no one listens on, for servers a test starts: held
/// together until all are chosen, so that no two are the same.
pub fn free_addresses<const N: usize>() -> [std::net::SocketAddr; N] {
    let listeners = [(); N].map(|()| std::net::TcpListener::bind("127.0.0.1:0").unwrap());
    listeners.map(|l| l.local_addr().unwrap())
}
