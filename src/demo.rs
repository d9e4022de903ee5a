//! `retrace serve --demo`: an empty instance filled with two workshops'
//! autumn — donors, lots, 300 devices spread over every state, drives erased,
//! beneficiaries of several kinds and départements, allocations reserved,
//! delivered, released and returned, a complaint, parts harvested and a
//! waste shipment in the register, a team of every contract kind with a
//! year of hours and its exits — so a newcomer can sign in and scan at once.
//!
//! Everything is written through the HTTP API, as a client would write it:
//! the demo's ledger is an ordinary one (it verifies, every record has its
//! event) and the demo cannot reach a state the rules forbid. Only the first
//! admin and the seeding token come from the services directly, as the CLI
//! makes them.

use std::sync::Arc;

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, header};
use entities::site;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::principal::{Principal, Role};
use crate::state::AppState;
use crate::users::NewUser;

/// The password of every demo account: a demo, not a secret.
pub const PASSWORD: &str = "retrace-demo";
pub const DEVICES: usize = 300;

/// A demo account, to print at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub email: &'static str,
    pub role: Role,
    pub site: Option<&'static str>,
}

const LOGINS: [Login; 5] = [
    Login {
        email: "admin@demo.example",
        role: Role::Admin,
        site: None,
    },
    Login {
        email: "coordination.brest@demo.example",
        role: Role::Coordinator,
        site: Some("BRE"),
    },
    Login {
        email: "technicien.brest@demo.example",
        role: Role::Technician,
        site: Some("BRE"),
    },
    Login {
        email: "technicienne.nantes@demo.example",
        role: Role::Technician,
        site: Some("NAN"),
    },
    Login {
        email: "lecture@demo.example",
        role: Role::Viewer,
        site: None,
    },
];

/// Where a demo device's story stops, with how many devices stop there
/// (they add up to [`DEVICES`]).
const JOURNEYS: [(&str, usize); 13] = [
    ("received", 25),
    // Delivered, then brought back: `received` again, to be erased again.
    ("returned", 5),
    ("inventoried", 35),
    ("erasing", 15),
    ("sanitized", 35),
    ("refurbishing", 25),
    ("software_installed", 20),
    ("ready", 60),
    ("reserved", 15),
    ("delivered", 40),
    ("dismantled", 10),
    ("recycled", 12),
    ("lost", 3),
];

/// The workshop's main road: each step, and the state it reaches.
const MAIN_ROAD: [(&str, &str); 7] = [
    ("audit", "inventoried"),
    // Erase the drive on record, or note there is none.
    ("sanitize", "sanitized"),
    ("start_refurbish", "refurbishing"),
    ("install_os", "software_installed"),
    ("pass_qc", "ready"),
    ("reserve", "reserved"),
    ("deliver", "delivered"),
];

/// What a filled demo instance offers to try.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub logins: Vec<Login>,
    /// A donor portal link to the first lot: what its donor would be sent.
    pub portal: String,
}

/// Fills an instance that has no site yet and returns its logins and a
/// donor portal link; leaves any other instance as it is and returns `None`.
pub async fn seed(state: &AppState) -> anyhow::Result<Option<Seeded>> {
    if site::Entity::find().one(&state.db).await?.is_some() {
        return Ok(None);
    }
    let client = Arc::new(Client::for_admin(state).await?);
    let mut sites = Vec::new();
    for (code, name, address) in [
        ("BRE", "Atelier de Brest", "12 rue de Siam, 29200 Brest"),
        (
            "NAN",
            "Atelier de Nantes",
            "5 quai de la Fosse, 44000 Nantes",
        ),
    ] {
        let site = client
            .post(
                "/api/v1/sites",
                json!({"code": code, "name": name, "address": address}),
            )
            .await?;
        // The workshop as a waste holder, for the outgoing waste register.
        let (siret, postcode, city) = if code == "BRE" {
            ("80123456700015", "29200", "Brest")
        } else {
            ("80123456700023", "44000", "Nantes")
        };
        let id = site["id"].as_str().context("site id")?;
        client
            .send(
                Method::PATCH,
                &format!("/api/v1/sites/{id}"),
                Some(json!({"expected_version": 1, "siret": siret, "postcode": postcode, "city": city})),
            )
            .await?;
        sites.push((code, site["id"].clone()));
    }
    let site_id = |code: &str| {
        sites
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, id)| id.clone())
    };
    for login in LOGINS.iter().filter(|l| l.role != Role::Admin) {
        client
            .post(
                "/api/v1/users",
                json!({"email": login.email, "role": login.role, "site_id": login.site.and_then(site_id), "password": PASSWORD}),
            )
            .await?;
    }

    let mut donors = Vec::new();
    for (name, kind, siret) in [
        ("Mairie de Brest", "public_body", Some("21290019700014")),
        ("Crédit Mutuel Arkéa", "company", None),
        ("CHU de Nantes", "public_body", None),
        ("Emmaüs Connect", "association", None),
    ] {
        let donor = client
            .post(
                "/api/v1/donors",
                json!({"name": name, "kind": kind, "siret": siret}),
            )
            .await?;
        donors.push(donor["id"].clone());
    }
    // Six lots of fifty, three a workshop, received over the autumn.
    let mut lots = Vec::new();
    for (i, received_on) in [
        "2026-09-08",
        "2026-09-22",
        "2026-10-06",
        "2026-10-20",
        "2026-11-03",
        "2026-11-17",
    ]
    .into_iter()
    .enumerate()
    {
        let site = if i % 2 == 0 { "BRE" } else { "NAN" };
        let lot = client
            .post(
                "/api/v1/lots",
                json!({"donor_id": donors[i % donors.len()], "site_id": site_id(site), "received_on": received_on,
                       "declared_count": DEVICES / 6, "weight_kg": 180.0 + 10.0 * i as f64}),
            )
            .await?;
        lots.push(lot["id"].clone());
    }

    let mut people: Vec<(&str, Value)> = Vec::new();
    for (i, (site, category, postcode, partner, name)) in BENEFICIARIES.into_iter().enumerate() {
        let mut body = json!({"site_id": site_id(site), "category": category, "postcode": postcode,
                              "referring_partner": partner});
        if let Some(name) = name {
            body["name"] = json!(name);
            body["email"] = json!(format!("beneficiaire{i}@demo.example"));
        }
        people.push((
            site,
            client.post("/api/v1/beneficiaries", body).await?["id"].clone(),
        ));
    }

    let stops = JOURNEYS
        .iter()
        .flat_map(|(state, count)| std::iter::repeat_n(*state, *count));
    let mut running = JoinSet::new();
    let mut to_recycle: Vec<(&str, Value)> = Vec::new();
    for (i, stop) in stops.enumerate() {
        // A few devices at a time: the ledger writer commits them together.
        if running.len() == 16 {
            to_recycle.extend(running.join_next().await.context("a demo device")???);
        }
        let lot = lots[i % lots.len()].clone();
        // Lots alternate between the workshops; so do their beneficiaries.
        let site = if (i % lots.len()) % 2 == 0 {
            "BRE"
        } else {
            "NAN"
        };
        let here: Vec<&Value> = people
            .iter()
            .filter(|(s, _)| *s == site)
            .map(|(_, id)| id)
            .collect();
        // Each lot's devices go round the site's beneficiaries, so a
        // donor's statement shows several people equipped, not one.
        let beneficiary = here[(i / lots.len()) % here.len()].clone();
        let client = client.clone();
        running.spawn(async move {
            let recycled = journey(&client, i, lot, stop, beneficiary).await?;
            Ok::<_, anyhow::Error>(recycled.map(|id| (site, id)))
        });
    }
    while let Some(done) = running.join_next().await {
        to_recycle.extend(done??);
    }
    // What was beyond repair leaves in one shipment a workshop.
    for site in ["BRE", "NAN"] {
        let items: Vec<Value> = to_recycle
            .iter()
            .filter(|(s, _)| *s == site)
            .map(|(_, id)| json!({"device_id": id}))
            .collect();
        if items.is_empty() {
            continue;
        }
        client
            .post(
                "/api/v1/waste-shipments",
                json!({"site_id": site_id(site), "dispatched_on": "2026-11-26",
                       "recycler": {"name": "Envie 2E Bretagne", "siret": "41298765400016", "address": "ZA de Kerscao",
                                    "postcode": "29480", "city": "Le Relecq-Kerhuon"},
                       "eco_organism": {"name": "ecosystem"},
                       "waste_code": "16 02 14", "treatment_code": "R 4", "items": items}),
            )
            .await?;
    }
    for member in &TEAM {
        team_member(&client, site_id(member.site), member).await?;
    }
    // What the first lot became, stated for its donor: on their portal too.
    client
        .post(
            "/api/v1/certificates",
            json!({"kind": "impact_statement", "lot_id": lots[0]}),
        )
        .await?;
    let link = client
        .post(
            &format!(
                "/api/v1/lots/{}/portal-links",
                lots[0].as_str().context("lot id")?
            ),
            json!({"label": "Démo : le donateur du premier lot"}),
        )
        .await?;
    let portal = link["url"].as_str().context("portal url")?.to_owned();
    client.revoke().await?;
    Ok(Some(Seeded {
        logins: LOGINS.to_vec(),
        portal,
    }))
}

/// One member of the demo's team.
struct Member {
    site: &'static str,
    name: &'static str,
    kind: &'static str,
    started_on: &'static str,
    /// The contract's end and, for insertion contracts, its exit.
    ended: Option<(&'static str, Option<&'static str>)>,
    weekly_hours: f64,
}

const fn member(
    site: &'static str,
    name: &'static str,
    kind: &'static str,
    started_on: &'static str,
    ended: Option<(&'static str, Option<&'static str>)>,
    weekly_hours: f64,
) -> Member {
    Member {
        site,
        name,
        kind,
        started_on,
        ended,
        weekly_hours,
    }
}

/// The demo's team: every contract kind, both sites.
const TEAM: [Member; 12] = [
    member(
        "BRE",
        "Kévin Le Gall",
        "insertion",
        "2025-09-01",
        Some(("2026-06-30", Some("durable_employment"))),
        26.0,
    ),
    member(
        "BRE",
        "Sandrine Abgrall",
        "insertion",
        "2025-11-03",
        Some(("2026-09-30", Some("positive_exit"))),
        26.0,
    ),
    member("BRE", "Yanis Moreau", "insertion", "2026-03-02", None, 26.0),
    member(
        "BRE",
        "Hélène Castel",
        "permanent",
        "2023-01-02",
        None,
        35.0,
    ),
    member("BRE", "Tom Riou", "apprentice", "2025-09-15", None, 35.0),
    member(
        "BRE",
        "Léna Prigent",
        "civic_service",
        "2026-02-01",
        Some(("2026-09-30", None)),
        24.0,
    ),
    member(
        "NAN",
        "Moussa Diallo",
        "insertion",
        "2025-10-06",
        Some(("2026-08-28", Some("transitional_employment"))),
        26.0,
    ),
    member(
        "NAN",
        "Julie Renaud",
        "insertion",
        "2026-01-05",
        Some(("2026-07-31", Some("other_exit"))),
        26.0,
    ),
    member(
        "NAN",
        "Rachid Haddad",
        "insertion",
        "2026-05-04",
        None,
        26.0,
    ),
    member(
        "NAN",
        "Claire Fontaine",
        "fixed_term",
        "2026-01-05",
        Some(("2026-12-31", None)),
        35.0,
    ),
    member(
        "NAN",
        "Inès Marchand",
        "intern",
        "2026-04-06",
        Some(("2026-06-26", None)),
        35.0,
    ),
    member(
        "NAN",
        "Bernard Giraud",
        "volunteer",
        "2024-05-01",
        None,
        6.0,
    ),
];

/// One member of the team, their hours on every working day of the last
/// year of their contract (a day of training a week for insertion
/// contracts), and its end.
async fn team_member(client: &Client, site: Option<Value>, member: &Member) -> anyhow::Result<()> {
    use chrono::{Datelike, Days, NaiveDate, Weekday};
    let Member {
        name,
        kind,
        started_on,
        ended,
        weekly_hours,
        ..
    } = *member;
    let worker = client
        .post(
            "/api/v1/workers",
            json!({"site_id": site, "display_name": name, "contract_kind": kind, "started_on": started_on,
                   "weekly_hours": weekly_hours}),
        )
        .await?;
    let id = worker["id"].as_str().context("worker id")?.to_owned();
    let start: NaiveDate = started_on.parse()?;
    let last: NaiveDate = match ended {
        Some((end, _)) => end.parse()?,
        None => NaiveDate::from_ymd_opt(2026, 11, 27).context("a date")?,
    };
    let first = start.max(NaiveDate::from_ymd_opt(2025, 12, 1).context("a date")?);
    let activities = ["intake", "erasure", "repair", "install", "qc", "logistics"];
    // Timesheets count in quarters of an hour.
    let daily = (weekly_hours / 5.0 * 4.0).round() / 4.0;
    let mut entries = Vec::new();
    let mut day = first;
    let mut n = 0;
    while day <= last.min(NaiveDate::from_ymd_opt(2026, 11, 27).context("a date")?) {
        match day.weekday() {
            Weekday::Sat | Weekday::Sun => {}
            // Volunteers come on Wednesdays.
            _ if kind == "volunteer" && day.weekday() != Weekday::Wed => {}
            Weekday::Fri if kind == "insertion" => {
                entries.push(
                    json!({"worker_id": id, "date": day, "hours": daily, "activity": "training"}),
                );
            }
            _ => {
                let hours = if kind == "volunteer" {
                    weekly_hours
                } else {
                    daily
                };
                entries.push(json!({"worker_id": id, "date": day, "hours": hours, "activity": activities[n % activities.len()]}));
                n += 1;
            }
        }
        day = day + Days::new(1);
    }
    if !entries.is_empty() {
        client
            .post("/api/v1/timesheets/batch", json!({"entries": entries}))
            .await?;
    }
    if let Some((end, outcome)) = ended {
        client
            .send(
                Method::PATCH,
                &format!("/api/v1/workers/{id}"),
                Some(json!({"expected_version": worker["version"], "ended_on": end, "exit_outcome": outcome})),
            )
            .await?;
    }
    Ok(())
}

/// Who the demo workshops gave to: site, category, postcode, referring
/// partner, and a name for some (erasable, never in the ledger).
const BENEFICIARIES: [(&str, &str, &str, &str, Option<&str>); 12] = [
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
async fn journey(
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
async fn act(client: &Client, device: &Value, action: &str, extra: Value) -> anyhow::Result<Value> {
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
struct Model {
    kind: &'static str,
    manufacturer: &'static str,
    model: &'static str,
    /// The drive inside: its kind and gigabytes.
    drive: Option<(&'static str, i64)>,
}

const fn model(
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

const MODELS: [Model; 10] = [
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
fn model_of(i: usize) -> &'static Model {
    &MODELS[(i * 7) % MODELS.len()]
}

/// The in-process API, with a token of the demo's admin.
struct Client {
    app: Router,
    token: String,
    token_id: String,
}

impl Client {
    async fn for_admin(state: &AppState) -> anyhow::Result<Self> {
        let admin = LOGINS[0].clone();
        let hash = crate::users::service::hash_new_password(Some(PASSWORD.to_owned()))
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
        let new = NewUser {
            email: admin.email.to_owned(),
            display_name: Some("Admin démo".into()),
            role: admin.role,
            site_id: None,
            locale: None,
            password: None,
        };
        let issued = state
            .write_now(&Principal::instance(), move |tx, instance| {
                Box::pin(async move {
                    let user = crate::users::service::create(tx, instance, new, hash).await?;
                    crate::auth::service::issue(tx, user.id, "demo seeding".into(), 1).await
                })
            })
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.problem().detail))?;
        Ok(Self {
            app: crate::app(state.clone()),
            token: issued.secret.context("token secret")?,
            token_id: issued.token.id.to_string(),
        })
    }

    async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.send(Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> anyhow::Result<Value> {
        self.send(Method::GET, path, None).await
    }

    /// The seeding token is of no use once the demo is in.
    async fn revoke(&self) -> anyhow::Result<()> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/tokens/{}", self.token_id),
            None,
        )
        .await
        .map(drop)
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
        let request = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))?;
        let response = self.app.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        if !status.is_success() {
            bail!(
                "{method} {path}: {status} {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        Ok(if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)?
        })
    }
}

/// When the demo's loans end: six months after the day the demo is written,
/// so that `serve --demo` works whatever the date.
fn loan_end() -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(183)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journeys_cover_every_state_and_add_up_to_the_devices() {
        assert_eq!(JOURNEYS.iter().map(|(_, n)| n).sum::<usize>(), DEVICES);
        for state in crate::devices::DeviceState::ALL {
            assert!(
                JOURNEYS.iter().any(|(s, _)| *s == state.as_str()),
                "no demo device is {state:?}"
            );
        }
    }
}
