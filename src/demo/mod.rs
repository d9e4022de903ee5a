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

use anyhow::Context;
use axum::http::Method;
use entities::site;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::principal::Role;
use crate::state::AppState;

mod client;
mod journeys;
mod team;

use client::Client;
use journeys::{BENEFICIARIES, journey};
use team::{TEAM, team_member};

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
