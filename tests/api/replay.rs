//! Property: whatever sequence of actions clients send (accepted or refused),
//! the tables the API reads equal a replay of the ledger into an empty
//! database, and the chain verifies.

use proptest::prelude::*;
use retrace::ledger::{replay, verify};
use serde_json::json;

use crate::helpers::{TestApp, assert_same_projections, empty_database};

#[derive(Debug, Clone)]
enum Op {
    Device {
        device: usize,
        action: &'static str,
        stale: bool,
    },
    Medium {
        medium: usize,
        action: &'static str,
        passed: bool,
    },
    AddMedium {
        device: usize,
    },
    Edit {
        device: usize,
    },
    Erasure {
        medium: usize,
        passed: bool,
    },
}

const DEVICE_ACTIONS: [&str; 14] = [
    "audit",
    "start_erasure",
    "sanitize_not_applicable",
    "start_refurbish",
    "install_os",
    "pass_qc",
    "reserve",
    "release",
    "deliver",
    "return",
    "dismantle",
    "recycle",
    "declare_lost",
    "correct",
];
const MEDIUM_ACTIONS: [&str; 4] = ["remove", "reinstall", "record_erasure", "destroy"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..3, prop::sample::select(DEVICE_ACTIONS.to_vec()), prop::bool::weighted(0.1))
            .prop_map(|(device, action, stale)| Op::Device { device, action, stale }),
        3 => (0usize..4, prop::sample::select(MEDIUM_ACTIONS.to_vec()), prop::bool::weighted(0.8))
            .prop_map(|(medium, action, passed)| Op::Medium { medium, action, passed }),
        1 => (0usize..3).prop_map(|device| Op::AddMedium { device }),
        1 => (0usize..3).prop_map(|device| Op::Edit { device }),
        2 => (0usize..4, prop::bool::weighted(0.8)).prop_map(|(medium, passed)| Op::Erasure { medium, passed }),
    ]
}

async fn run(app: &TestApp, device_ids: &[String], media: &mut Vec<String>, op: Op) {
    let admin = &app.admin;
    match op {
        Op::Device {
            device,
            action,
            stale,
        } => {
            let current = app.fetch_device(admin, &device_ids[device]).await;
            let version = current["version"].as_i64().unwrap() - i64::from(stale);
            let body = json!({
                "action": action, "expected_version": version, "note": "n", "os": "Debian 13", "target_state": "ready",
                "checklist": {"boot": true, "keyboard": true, "screen": true, "battery": true, "network": true, "os": true},
            });
            let answer = app
                .post(
                    &format!("/api/v1/devices/{}/events", device_ids[device]),
                    admin,
                    body,
                )
                .await;
            assert!(!answer.status.is_server_error(), "{}", answer.text);
        }
        Op::Medium {
            medium,
            action,
            passed,
        } => {
            let Some(id) = media.get(medium % media.len().max(1)) else {
                return;
            };
            let current = app.get(&format!("/api/v1/media/{id}"), admin).await.body;
            let body = json!({
                "action": action, "expected_version": current["version"], "outcome": if passed { "passed" } else { "failed" },
                "device_id": current["source_device_id"],
            });
            let answer = app
                .post(&format!("/api/v1/media/{id}/events"), admin, body)
                .await;
            assert!(!answer.status.is_server_error(), "{}", answer.text);
        }
        Op::AddMedium { device } => {
            let answer = app
                .post(
                    &format!("/api/v1/devices/{}/media", device_ids[device]),
                    admin,
                    json!({"kind": "hdd"}),
                )
                .await;
            assert!(!answer.status.is_server_error(), "{}", answer.text);
            if let Some(id) = answer.body["id"].as_str() {
                media.push(id.to_owned());
            }
        }
        Op::Erasure { medium, passed } => {
            let Some(id) = media.get(medium % media.len().max(1)) else {
                return;
            };
            let outcome = if passed { "passed" } else { "failed" };
            let body = json!({
                "medium_id": id, "category": "clear", "technique": "overwrite", "verification": "full",
                "verification_result": outcome, "outcome": outcome, "destination": "reuse_internal", "method": "PRNG Stream",
            });
            let answer = app.post("/api/v1/erasures", admin, body).await;
            assert!(!answer.status.is_server_error(), "{}", answer.text);
        }
        Op::Edit { device } => {
            let current = app.fetch_device(admin, &device_ids[device]).await;
            let body = json!({"expected_version": current["version"], "model": format!("Model v{}", current["version"]), "weight_kg": 2.25});
            let answer = app
                .patch(
                    &format!("/api/v1/devices/{}", device_ids[device]),
                    admin,
                    body,
                )
                .await;
            assert!(!answer.status.is_server_error(), "{}", answer.text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn projections_always_equal_a_replay_of_the_ledger(ops in prop::collection::vec(op(), 1..40)) {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let app = TestApp::spawn().await;
            let site = app.site("BRE").await;
            let lot = app.lot(&app.admin, site).await;
            let mut device_ids = Vec::new();
            let mut media = Vec::new();
            for kind in ["laptop", "desktop", "monitor"] {
                let device = app.device(&app.admin, json!({"lot_id": lot, "kind": kind})).await;
                device_ids.push(device["id"].as_str().unwrap().to_owned());
            }
            for device in &device_ids[..2] {
                media.push(app.add_medium(&app.admin, device, &format!("SN-{device}")).await["id"].as_str().unwrap().to_owned());
            }
            for op in ops {
                run(&app, &device_ids, &mut media, op).await;
            }

            let key = app.state.key.verifying_key();
            verify::verify(&app.state.db, Some(&key)).await.expect("the chain verifies");

            let target = empty_database().await;
            replay::replay_into(&app.state.db, &target.conn, retrace::catalogue::catalogue()).await.unwrap();
            assert_same_projections(&app.state.db, &target.conn).await;
        });
    }
}
