//! The open-data files through HTTP: only ended calendar quarters and
//! years, and the attack of eleven workers leaving (3 to durable
//! employment, 6 to transitional, 2 to other exits) solved from the
//! published files — their figures, their markers and how they relate.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use retrace::principal::Role;
use retrace::reports::opendata::{Relation, Shown, people};
use retrace::reports::{Beneficiaries, Workforce};
use retrace_rules::suppression::ranges;
use serde_json::json;

use crate::helpers::TestApp;
use crate::workforce::worker;

fn at(day: &str) -> chrono::DateTime<chrono::Utc> {
    format!("{day}T10:00:00Z").parse().unwrap()
}

/// A file's figures as printed.
fn figures(bytes: &[u8]) -> BTreeMap<String, String> {
    let text = std::str::from_utf8(bytes)
        .unwrap()
        .trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[1].to_owned())
        })
        .collect()
}

/// What a reader knows of a file's counts of people: each printed number,
/// `<5` or `secret`.
fn shown(file: &BTreeMap<String, String>, prefix: &str) -> BTreeMap<String, Shown> {
    file.iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(name, value)| {
            let state = match value.as_str() {
                "<5" => Shown::Small,
                "secret" => Shown::Secret,
                n => Shown::Value(n.parse().unwrap_or_else(|_| panic!("{name} = {n}"))),
            };
            (format!("{prefix}{}", &name[prefix.len()..]), state)
        })
        .collect()
}

#[tokio::test]
async fn eleven_exits_cannot_be_worked_out_from_any_file_or_all_of_them() {
    let app = TestApp::spawn_at(at("2025-01-06")).await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let outcomes = [
        ("durable_employment", 3),
        ("transitional_employment", 6),
        ("other_exit", 2),
    ];
    for (outcome, n) in outcomes {
        for i in 0..n {
            let w = worker(
                &app,
                &coordinator,
                json!({"display_name": format!("{outcome} {i}"), "contract_kind": "insertion", "started_on": "2024-10-07", "weekly_hours": 26}),
            )
            .await;
            let ended = app
                .patch(
                    &format!("/api/v1/workers/{}", w["id"].as_str().unwrap()),
                    &coordinator,
                    json!({"expected_version": w["version"], "ended_on": "2025-05-16", "exit_outcome": outcome}),
                )
                .await;
            assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);
        }
    }
    assert!(app.clock().set(at("2026-01-12")));

    let file = |from: &str, to: &str, token: &str| {
        let (from, to, token) = (from.to_owned(), to.to_owned(), token.to_owned());
        let app = &app;
        async move {
            let response = app
                .get(
                    &format!("/api/v1/reports/impact/opendata.csv?from={from}&to={to}"),
                    &token,
                )
                .await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.text);
            assert!(
                response
                    .headers
                    .get("content-type")
                    .is_some_and(|v| v.to_str().unwrap().starts_with("text/csv"))
            );
            figures(&response.bytes)
        }
    };
    let admin = app.admin.clone();
    let year = file("2025-01-01", "2025-12-31", &admin).await;
    let quarters = [
        file("2025-01-01", "2025-03-31", &admin).await,
        file("2025-04-01", "2025-06-30", &admin).await,
        file("2025-07-01", "2025-09-30", &admin).await,
        file("2025-10-01", "2025-12-31", &admin).await,
    ];
    let site_year = file("2025-01-01", "2025-12-31", &coordinator).await;
    assert_eq!(year["licence"], "CC-BY-4.0");
    assert_eq!(
        year["devices.reused"], "0",
        "devices are printed as they are"
    );

    // The counts of 1 to 4 people are `<5`; a figure hidden beside them is
    // `secret`, never a false `<5`.
    for f in [&year, &quarters[1], &site_year] {
        assert_eq!(f["workforce.exits_by_outcome.durable_employment"], "<5");
        assert_eq!(f["workforce.exits_by_outcome.other_exit"], "<5");
        assert_ne!(
            f["workforce.exits_by_outcome.transitional_employment"],
            "<5"
        );
        assert_ne!(f["workforce.exits"], "<5");
        assert_ne!(f["workforce.dynamic_exits"], "<5");
        // The subtraction: other = exits − dynamic − withdrawn.
        let printed = |name: &str| f[name].parse::<u64>().is_ok();
        assert!(
            !(printed("workforce.exits")
                && printed("workforce.dynamic_exits")
                && printed("workforce.exits_by_outcome.withdrawn")),
            "{f:?}"
        );
    }
    assert_eq!(
        year, site_year,
        "one site: its file and the network's are one decision"
    );

    // Every file of the year solved together for the exits: within each
    // file, and the year the sum of its quarters.
    let (_, within) = people(&Beneficiaries::default(), &Workforce::default());
    let mut system = BTreeMap::new();
    let mut relations = Vec::new();
    let files = quarters.iter().chain([&year]).enumerate();
    for (i, f) in files {
        let key = |name: &str| format!("{i}:{name}");
        for (name, state) in shown(f, "workforce.") {
            system.insert(key(&name), state);
        }
        for relation in &within {
            relations.push(match relation {
                Relation::Sum { total, terms } => Relation::Sum {
                    total: key(total),
                    terms: terms.iter().map(|t| key(t)).collect(),
                },
                Relation::Union { total, parts } => Relation::Union {
                    total: key(total),
                    parts: parts.iter().map(|t| key(t)).collect(),
                },
                Relation::Within { part, whole } => Relation::Within {
                    part: key(part),
                    whole: key(whole),
                },
            });
        }
    }
    for figure in year.keys().filter(|n| n.starts_with("workforce.exits")) {
        relations.push(Relation::Sum {
            total: format!("4:{figure}"),
            terms: (0..4).map(|q| format!("{q}:{figure}")).collect(),
        });
    }
    let small = ranges(&system, &relations, |name, _| {
        name.ends_with("durable_employment") || name.ends_with("other_exit")
    });
    for (name, range) in &small {
        if name.starts_with("1:") || name.starts_with("4:") {
            assert_eq!(
                (range.least, range.greatest),
                (Some(0.0), Some(4.0)),
                "{name}: every count a `<5` allows stays possible"
            );
        }
    }
    assert!(small.contains_key("4:workforce.exits_by_outcome.other_exit"));
}

#[tokio::test]
async fn open_data_covers_ended_calendar_quarters_and_years_only() {
    let app = TestApp::spawn_at(at("2026-05-04")).await;
    for (from, to, field) in [
        ("2026-01-01", "2026-06-30", "from"),
        ("2026-02-01", "2026-04-30", "from"),
        ("2026-05-04", "2026-05-04", "from"),
        ("2026-04-01", "2026-06-30", "to"),
        ("2026-01-01", "2026-12-31", "to"),
    ] {
        let refused = app
            .get(
                &format!("/api/v1/reports/impact/opendata.csv?from={from}&to={to}"),
                &app.admin,
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{from}..{to}: {}",
            refused.text
        );
        assert_eq!(refused.error_fields(), [field], "{}", refused.text);
    }
    for (from, to) in [("2026-01-01", "2026-03-31"), ("2025-01-01", "2025-12-31")] {
        let open = app
            .get(
                &format!("/api/v1/reports/impact/opendata.csv?from={from}&to={to}"),
                &app.admin,
            )
            .await;
        assert_eq!(open.status, StatusCode::OK, "{from}..{to}: {}", open.text);
    }
}
