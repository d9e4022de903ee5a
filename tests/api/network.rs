//! A network of workshops on one database: two `retrace serve` processes
//! (two hosts of the network) share one database — PostgreSQL in the
//! suite's second run, the SQLite file in the first — and are written to at
//! once. The ledger stays one chain with no gap and no fork, every write a
//! client saw acknowledged is there, and the tables equal a replay.

use std::process::{Child, Stdio};
use std::time::Duration;

use axum::body::Bytes;
use entities::event;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use retrace::ledger::replay;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_same_projections, empty_database, free_addresses};

/// Clients per process, and devices each client registers and moves.
const CLIENTS: usize = 4;
const DEVICES: usize = 12;

/// A `retrace serve` on the test's database and data directory (the same
/// signing key, as the hosts of a network share it).
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(app: &TestApp) -> Server {
    let [address] = free_addresses();
    let child = app
        .command()
        .arg("serve")
        .env("RETRACE_BIND", address.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Server {
        child,
        base: format!("http://{address}"),
    }
}

type Http = Client<HttpConnector, Full<Bytes>>;

async fn call(
    http: &Http,
    base: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Option<(StatusCode, Value)> {
    let request = Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(
            body.map(|b| b.to_string()).unwrap_or_default(),
        )))
        .unwrap();
    let response = http.request(request).await.ok()?;
    let status = response.status();
    let bytes = response.into_body().collect().await.ok()?.to_bytes();
    Some((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// What a client saw acknowledged: a device and its version after its last move.
#[derive(Debug)]
struct Acknowledged {
    id: String,
    version: i64,
    state: String,
}

/// Registers `DEVICES` devices through `base` and moves each to `inventoried`.
async fn client(
    http: Http,
    base: String,
    token: String,
    lot: String,
    n: usize,
) -> Vec<Acknowledged> {
    let mut seen = Vec::new();
    for i in 0..DEVICES {
        let body =
            json!({"lot_id": lot, "kind": "laptop", "serial_number": format!("NET-{n}-{i}")});
        let (status, device) = call(
            &http,
            &base,
            &token,
            Method::POST,
            "/api/v1/devices",
            Some(body),
        )
        .await
        .expect("the server answers");
        assert_eq!(status, StatusCode::CREATED, "{device}");
        let id = device["id"].as_str().unwrap().to_owned();
        let (status, moved) = call(
            &http,
            &base,
            &token,
            Method::POST,
            &format!("/api/v1/devices/{id}/events"),
            Some(json!({"action": "audit", "expected_version": device["version"]})),
        )
        .await
        .expect("the server answers");
        assert_eq!(status, StatusCode::CREATED, "{moved}");
        seen.push(Acknowledged {
            id,
            version: moved["device"]["version"].as_i64().unwrap(),
            state: moved["device"]["state"].as_str().unwrap().to_owned(),
        });
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_keep_one_chain_and_every_acknowledged_write() {
    let app = TestApp::spawn().await;
    let admin = app.admin.clone();
    let site = app.site("NET").await;
    let lot = app.lot(&admin, site).await;
    let servers = [serve(&app), serve(&app)];
    let http: Http = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    for server in &servers {
        let mut ready = false;
        for _ in 0..200 {
            if let Some((StatusCode::OK, _)) =
                call(&http, &server.base, &admin, Method::GET, "/readyz", None).await
            {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(ready, "{} never became ready", server.base);
    }

    let clients: Vec<_> = (0..2 * CLIENTS)
        .map(|n| {
            let base = servers[n % 2].base.clone();
            tokio::spawn(client(http.clone(), base, admin.clone(), lot.clone(), n))
        })
        .collect();
    let mut acknowledged = Vec::new();
    for handle in clients {
        acknowledged.extend(handle.await.unwrap());
    }
    drop(servers);
    assert_eq!(acknowledged.len(), 2 * CLIENTS * DEVICES);

    // One chain: numbered without a gap, each event naming the one before.
    let events = event::Entity::find()
        .order_by_asc(event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    let mut previous = String::from(retrace::ledger::chain::GENESIS_HASH);
    for (i, event) in events.iter().enumerate() {
        assert_eq!(
            event.seq,
            i64::try_from(i).unwrap() + 1,
            "a gap before {}",
            event.seq
        );
        assert_eq!(event.prev_hash, previous, "a fork at {}", event.seq);
        previous = event.hash.clone();
    }
    let (verified, said, _) = app.cli(&["ledger", "verify"], None);
    assert!(verified && said.starts_with("ok "), "{said}");

    // Every acknowledged write, as it was acknowledged.
    for seen in &acknowledged {
        let device = app.fetch_device(&admin, &seen.id).await;
        assert_eq!(device["version"], seen.version, "{device}");
        assert_eq!(device["state"], seen.state.as_str(), "{device}");
    }

    // The tables the servers wrote equal a replay of the ledger.
    let target = empty_database().await;
    replay::replay_into(&app.state.db, &target.conn, retrace::catalogue::catalogue())
        .await
        .unwrap();
    assert_same_projections(&app.state.db, &target.conn).await;
}

/// Every process of a network runs the daily checkpoint chore: asked at
/// once, two of them sign one checkpoint between them.
#[tokio::test]
async fn two_processes_sign_one_checkpoint_between_them() {
    let app = TestApp::spawn().await;
    let other = retrace::start(app.state.settings.as_ref().clone())
        .await
        .unwrap();
    let (first, second) = tokio::join!(
        retrace::checkpoint_if_due(&app.state),
        retrace::checkpoint_if_due(&other)
    );
    let signed = [first.unwrap(), second.unwrap()];
    assert_eq!(signed.iter().filter(|s| **s).count(), 1, "{signed:?}");
    let checkpoints = event::Entity::find()
        .filter(event::Column::Kind.eq("ledger.checkpoint"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(checkpoints.len(), 1);
}
