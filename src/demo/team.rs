//! The demo's team: its members, their contracts, their year of hours and their exits.

use anyhow::Context;
use axum::http::Method;
use serde_json::{Value, json};

use super::client::Client;

/// One member of the demo's team.
pub(super) struct Member {
    pub(super) site: &'static str,
    pub(super) name: &'static str,
    pub(super) kind: &'static str,
    pub(super) started_on: &'static str,
    /// The contract's end and, for insertion contracts, its exit.
    pub(super) ended: Option<(&'static str, Option<&'static str>)>,
    pub(super) weekly_hours: f64,
}

pub(super) const fn member(
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
pub(super) const TEAM: [Member; 12] = [
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
pub(super) async fn team_member(
    client: &Client,
    site: Option<Value>,
    member: &Member,
) -> anyhow::Result<()> {
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
