//! The demo's devices: what offices give away, and each device's journey through the workshop.

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::client::Client;
use super::{MAIN_ROAD, loan_end};

/// Who the demo workshops gave to: site, category, postcode, referring
/// partner, and a name for some (erasable, never in the ledger).
pub(super) const BENEFICIARIES: [(&str, &str, &str, &str, Option<&str>); 12] = [
    (
        "BRE",
        "job_seeker",
        "29200",
        "France Travail Brest",
        Some("Gwenaëlle Le Roux"),
    ),
    (
        "BRE",
        "student",
        "29200",
        "Université de Bretagne Occidentale",
        None,
    ),
    (
        "BRE",
        "senior",
        "29000",
        "CCAS de Quimper",
        Some("Yves Morvan"),
    ),
    ("BRE", "school", "29800", "Académie de Rennes", None),
    ("BRE", "association", "22300", "", None),
    (
        "BRE",
        "low_income",
        "20090",
        "Secours populaire d’Ajaccio",
        None,
    ),
    (
        "NAN",
        "job_seeker",
        "44000",
        "Mission locale Nantes",
        Some("Inès Bernard"),
    ),
    ("NAN", "library", "44100", "", None),
    ("NAN", "student", "85000", "CROUS Nantes", None),
    ("NAN", "low_income", "97110", "CCAS de Pointe-à-Pitre", None),
    ("NAN", "senior", "49000", "", Some("Jean Guérin")),
    ("NAN", "association", "75011", "Emmaüs Connect", None),
];

/// One device: registered in its lot with a drive when it has one, then
/// taken through the workshop's steps until `stop`. A device bound for
/// recycling stops sanitized, its id returned, and leaves in a shipment.
pub(super) async fn journey(
    client: &Client,
    i: usize,
    lot: Value,
    stop: &str,
    beneficiary: Value,
) -> anyhow::Result<Option<Value>> {
    let Model {
        kind,
        manufacturer,
        model,
        drive,
    } = model_of(i);
    let mut device = client
        .post(
            "/api/v1/devices",
            json!({"lot_id": lot, "kind": kind, "manufacturer": manufacturer, "model": model,
                   "serial_number": format!("DEMO{i:05}")}),
        )
        .await?;
    let id = device["id"].as_str().context("device id")?.to_owned();
    let drive = match drive {
        Some((drive_kind, capacity_gb)) => Some(
            client
                .post(
                    &format!("/api/v1/devices/{id}/media"),
                    json!({"kind": drive_kind, "serial_number": format!("DRV{i:05}"), "capacity_bytes": capacity_gb * 1_000_000_000}),
                )
                .await?,
        ),
        None => None,
    };
    let steps: Vec<&str> = match stop {
        "received" => Vec::new(),
        "erasing" => vec!["audit", "start_erasure"],
        "dismantled" => vec!["audit", "sanitize", "dismantle"],
        "recycled" => vec!["audit", "sanitize"],
        "lost" => vec!["audit", "declare_lost"],
        "returned" => MAIN_ROAD
            .iter()
            .map(|(step, _)| *step)
            .chain(["return"])
            .collect(),
        // Along the main road, as far as `stop`.
        _ => {
            let last = MAIN_ROAD
                .iter()
                .position(|(_, reached)| *reached == stop)
                .with_context(|| format!("no demo journey ends in {stop}"))?;
            MAIN_ROAD[..=last].iter().map(|(step, _)| *step).collect()
        }
    };
    let mut allocation = Value::Null;
    for step in steps {
        device = match (step, &drive) {
            ("reserve", _) => {
                let conditions = match i % 3 {
                    0 => json!({"kind": "free"}),
                    1 => json!({"kind": "solidarity_price", "price_cents": 3000 + 500 * (i % 5)}),
                    // A loan ends in the future whenever the demo is written.
                    _ => json!({"kind": "loan", "until": loan_end()}),
                };
                let reserve = json!({"device_id": id, "beneficiary_id": beneficiary, "conditions": conditions,
                                     "warranty_months": if i.is_multiple_of(2) { 6 } else { 12 }});
                allocation = client.post("/api/v1/allocations", reserve.clone()).await?;
                if i.is_multiple_of(5) {
                    // Changed their mind: released, then reserved again.
                    let a = allocation["id"].as_str().context("allocation id")?;
                    client
                        .post(&format!("/api/v1/allocations/{a}/release"),
                              json!({"expected_version": allocation["version"], "note": "rendez-vous manqué"}))
                        .await?;
                    allocation = client.post("/api/v1/allocations", reserve).await?;
                }
                client.get(&format!("/api/v1/devices/{id}")).await?
            }
            ("deliver", _) => {
                let a = allocation["id"]
                    .as_str()
                    .context("allocation id")?
                    .to_owned();
                client
                    .post(&format!("/api/v1/allocations/{a}/acceptance"),
                          json!({"expected_version": allocation["version"], "method": "signed_on_paper"}))
                    .await?;
                allocation = client
                    .post(&format!("/api/v1/allocations/{a}/deliver"), json!({"expected_version": allocation["version"].as_i64().unwrap_or(1) + 1}))
                    .await?;
                if i.is_multiple_of(13) {
                    let complaint = client
                        .post(&format!("/api/v1/allocations/{a}/complaints"),
                              json!({"received_on": "2026-11-24", "description": "Le Wi-Fi décroche souvent"}))
                        .await?;
                    if i.is_multiple_of(2) {
                        let c = complaint["id"].as_str().context("complaint id")?;
                        client
                            .post(&format!("/api/v1/complaints/{c}/answer"),
                                  json!({"expected_version": 1, "answered_on": "2026-11-27", "answer": "Carte Wi-Fi remplacée en atelier."}))
                            .await?;
                    }
                }
                client.get(&format!("/api/v1/devices/{id}")).await?
            }
            ("return", _) => {
                let a = allocation["id"].as_str().context("allocation id")?;
                let reason = ["warranty_fault", "end_of_life", "no_longer_needed"][i % 3];
                client
                    .post(&format!("/api/v1/allocations/{a}/return"),
                          json!({"expected_version": allocation["version"], "reason": reason,
                                 "fault_description": (reason == "warranty_fault").then_some("ne démarre plus")}))
                    .await?;
                client.get(&format!("/api/v1/devices/{id}")).await?
            }
            ("dismantle", _) => {
                let answer = client
                    .post(&format!("/api/v1/devices/{id}/dismantle"),
                          json!({"expected_version": device["version"], "parts": ["Barrette RAM 8 Go", "Alimentation"]}))
                    .await?;
                answer["device"].clone()
            }
            ("sanitize", None) => {
                act(client, &device, "sanitize_not_applicable", json!({})).await?
            }
            ("sanitize", Some(drive)) => {
                if device["state"] != "erasing" {
                    act(client, &device, "start_erasure", json!({})).await?;
                }
                // nwipe's usual run, checked: the device follows its drive to `sanitized`.
                client
                    .post(
                        "/api/v1/erasures",
                        json!({"medium_id": drive["id"], "category": "clear", "technique": "overwrite",
                               "method": "PRNG Stream", "pattern": "random", "passes": 1, "blanking": true,
                               "tool": "nwipe", "tool_version": "0.37", "verification": "full",
                               "verification_result": "passed", "destination": "reuse_external", "outcome": "passed"}),
                    )
                    .await?;
                client.get(&format!("/api/v1/devices/{id}")).await?
            }
            ("install_os", _) => {
                act(
                    client,
                    &device,
                    "install_os",
                    json!({"os": "Linux Mint 22.1"}),
                )
                .await?
            }
            ("pass_qc", _) => {
                let all = json!({"boot": true, "keyboard": true, "screen": true, "battery": true, "network": true, "os": true});
                act(client, &device, "pass_qc", json!({"checklist": all})).await?
            }
            ("declare_lost", _) => {
                act(
                    client,
                    &device,
                    "declare_lost",
                    json!({"note": "not found at the stock audit"}),
                )
                .await?
            }
            (action, _) => act(client, &device, action, json!({})).await?,
        };
    }
    let reached = match stop {
        "returned" => "received",
        "recycled" => "sanitized",
        other => other,
    };
    if device["state"] != reached {
        bail!(
            "demo device {i} stopped in {} instead of {reached}",
            device["state"]
        );
    }
    Ok((stop == "recycled").then(|| device["id"].clone()))
}

/// A transition, answered with the device as it is now.
pub(super) async fn act(
    client: &Client,
    device: &Value,
    action: &str,
    extra: Value,
) -> anyhow::Result<Value> {
    let mut body = json!({"action": action, "expected_version": device["version"]});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let id = device["id"].as_str().context("device id")?;
    let answer = client
        .post(&format!("/api/v1/devices/{id}/events"), body)
        .await?;
    Ok(answer["device"].clone())
}

/// What offices give away, laptops first.
pub(super) struct Model {
    kind: &'static str,
    manufacturer: &'static str,
    model: &'static str,
    /// The drive inside: its kind and gigabytes.
    drive: Option<(&'static str, i64)>,
}

pub(super) const fn model(
    kind: &'static str,
    manufacturer: &'static str,
    model: &'static str,
    drive: Option<(&'static str, i64)>,
) -> Model {
    Model {
        kind,
        manufacturer,
        model,
        drive,
    }
}

pub(super) const MODELS: [Model; 10] = [
    model("laptop", "Lenovo", "ThinkPad T480", Some(("ssd", 256))),
    model("laptop", "Dell", "Latitude 5490", Some(("ssd", 256))),
    model("laptop", "HP", "EliteBook 840 G5", Some(("nvme", 512))),
    model("laptop", "Lenovo", "ThinkPad X270", Some(("ssd", 128))),
    model("desktop", "Dell", "OptiPlex 7060", Some(("hdd", 500))),
    model("desktop", "HP", "ProDesk 600 G3", Some(("hdd", 500))),
    model("laptop", "Dell", "Latitude 7400", Some(("nvme", 256))),
    model("monitor", "Dell", "P2419H", None),
    model("monitor", "Iiyama", "ProLite XU2492HSU", None),
    model("tablet", "Samsung", "Galaxy Tab A7", None),
];

/// The `i`-th device's model: consecutive devices differ, every state gets several models.
pub(super) fn model_of(i: usize) -> &'static Model {
    &MODELS[(i * 7) % MODELS.len()]
}
