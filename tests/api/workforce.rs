//! Workers and their hours through HTTP: contracts and exits, a team's week
//! in one request, a spreadsheet of hours, names only for those who may
//! read them, and erased for good.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use retrace::principal::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_in_database_files, assert_not_in_database_files};

pub async fn worker(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post("/api/v1/workers", token, body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body
}

#[tokio::test]
async fn a_worker_s_contract_ends_with_an_exit_counted_only_for_insertion() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let camille = worker(
        &app,
        &coordinator,
        json!({"display_name": "Camille Le Goff", "contract_kind": "insertion", "started_on": "2026-01-05", "weekly_hours": 26}),
    )
    .await;
    assert!(camille["reference"].as_str().unwrap().starts_with("BRE-W-"));
    assert_eq!(camille["display_name"], "Camille Le Goff");
    let w = camille["id"].as_str().unwrap();

    let before = app.ledger_seq().await;
    for (body, field) in [
        (
            json!({"expected_version": 2, "exit_outcome": "durable_employment"}),
            "exit_outcome",
        ),
        (
            json!({"expected_version": 2, "ended_on": "2025-12-31"}),
            "ended_on",
        ),
        (
            json!({"expected_version": 2, "ended_on": "2026-11-30", "exit_outcome": "hired"}),
            "exit_outcome",
        ),
    ] {
        let refused = app
            .patch(&format!("/api/v1/workers/{w}"), &coordinator, body)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        assert_eq!(refused.error_fields(), [field], "{}", refused.text);
    }
    let stale = app
        .patch(
            &format!("/api/v1/workers/{w}"),
            &coordinator,
            json!({"expected_version": 1, "weekly_hours": 30}),
        )
        .await;
    stale.problem(StatusCode::CONFLICT);
    assert_eq!(app.ledger_seq().await, before, "nothing written");

    let ended = app
        .patch(
            &format!("/api/v1/workers/{w}"),
            &coordinator,
            json!({"expected_version": 2, "ended_on": "2026-11-30", "exit_outcome": "durable_employment"}),
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);
    assert_eq!(ended.body["exit_outcome"], "durable_employment");

    // A permanent contract has no insertion exit.
    let refused = app
        .post(
            "/api/v1/workers",
            &coordinator,
            json!({"display_name": "Chef d'atelier", "contract_kind": "permanent", "started_on": "2024-01-01",
                   "ended_on": "2026-06-30", "exit_outcome": "positive_exit", "weekly_hours": 35}),
        )
        .await;
    assert_eq!(refused.error_fields(), ["exit_outcome"], "{}", refused.text);
    let listed = app
        .get(
            "/api/v1/workers?contract_kind=insertion&active_on=2026-06-01",
            &coordinator,
        )
        .await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    let after = app
        .get("/api/v1/workers?active_on=2026-12-15", &coordinator)
        .await;
    assert!(after.body.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_team_s_week_is_recorded_all_or_nothing_and_a_spreadsheet_of_hours_imported() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let a = worker(&app, &coordinator, json!({"display_name": "Aïcha Benali", "contract_kind": "insertion", "started_on": "2026-09-01", "weekly_hours": 26})).await;
    let b = worker(&app, &coordinator, json!({"display_name": "Bruno Quéré", "contract_kind": "volunteer", "started_on": "2026-10-01", "ended_on": "2026-11-20", "weekly_hours": 4})).await;
    let (a, b) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());

    let week = json!({"entries": [
        {"worker_id": a, "date": "2026-11-16", "hours": 7, "activity": "erasure"},
        {"worker_id": a, "date": "2026-11-17", "hours": 3.5, "activity": "training"},
        {"worker_id": a, "date": "2026-11-17", "hours": 3.5, "activity": "repair"},
        {"worker_id": b, "date": "2026-11-18", "hours": 4, "activity": "logistics"},
    ]});
    let recorded = app
        .post("/api/v1/timesheets/batch", &coordinator, week)
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text);
    assert_eq!(recorded.body.as_array().unwrap().len(), 4);

    let before = app.ledger_seq().await;
    for (body, field) in [
        // Outside Bruno's contract: the whole batch is refused.
        (
            json!({"entries": [
            {"worker_id": a, "date": "2026-11-19", "hours": 7, "activity": "qc"},
            {"worker_id": b, "date": "2026-11-25", "hours": 2, "activity": "logistics"}]}),
            "entries[1].date",
        ),
        (
            json!({"entries": [
            {"worker_id": a, "date": "2026-11-19", "hours": 7.1, "activity": "qc"},
            {"worker_id": a, "date": "2026-11-20", "hours": 1, "activity": "qc"}]}),
            "entries[0].hours",
        ),
        (
            json!({"entries": [
            {"worker_id": a, "date": "2026-11-16", "hours": 17.25, "activity": "qc"},
            {"worker_id": a, "date": "2026-11-20", "hours": 1, "activity": "qc"}]}),
            "entries[0].hours",
        ),
    ] {
        let refused = app
            .post("/api/v1/timesheets/batch", &coordinator, body)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        assert_eq!(refused.error_fields(), [field], "{}", refused.text);
    }
    assert_eq!(app.ledger_seq().await, before, "nothing written");
    let technician = app.token(Role::Technician, Some(site)).await;
    app.post(
        "/api/v1/timesheets",
        &technician,
        json!({"worker_id": a, "date": "2026-11-19", "hours": 7, "activity": "qc"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);

    // The spreadsheet a coordinator already keeps: by name, French words, Windows-1252.
    let sheet = "Salarié;Date;Heures;Activité\r\naïcha benali;23/11/2026;7h30;Contrôle qualité\r\nBRUNO QUÉRÉ;2026-11-20;2,5;Logistique\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(sheet);
    let call = |path: &'static str, bytes: Vec<u8>| {
        let app = &app;
        let coordinator = coordinator.clone();
        async move {
            app.call(
                Method::POST,
                path,
                Some(&coordinator),
                Body::from(bytes),
                &[("content-type", "text/csv")],
            )
            .await
        }
    };
    let before = app.ledger_seq().await;
    let dry = call("/api/v1/timesheets/import?dry_run=true", bytes.to_vec()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text);
    assert_eq!(dry.body[0]["hours"], 7.5);
    assert_eq!(dry.body[0]["activity"], "qc");
    assert_eq!(app.ledger_seq().await, before, "a dry run writes nothing");
    let imported = call("/api/v1/timesheets/import", bytes.to_vec()).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text);
    let bad = call(
        "/api/v1/timesheets/import",
        b"worker,date,hours\nNobody,2026-11-23,7\nBRE-W-X,yesterday,lots\n".to_vec(),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(
        bad.error_fields(),
        [
            "lines[2].worker",
            "lines[3].worker",
            "lines[3].date",
            "lines[3].hours"
        ]
    );

    let hours = app
        .get(
            &format!("/api/v1/timesheets?worker_id={a}&from=2026-11-01&to=2026-11-30"),
            &coordinator,
        )
        .await;
    let total: f64 = hours
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["hours"].as_f64().unwrap())
        .sum();
    assert_eq!(total, 7.0 + 3.5 + 3.5 + 7.5);
}

#[tokio::test]
async fn viewers_and_technicians_never_read_a_worker_s_name_and_an_erased_one_is_gone() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let name = "Maëlys Tanguy-Riou";
    let created = worker(&app, &coordinator, json!({"display_name": name, "contract_kind": "apprentice", "started_on": "2026-09-01", "weekly_hours": 35})).await;
    let w = created["id"].as_str().unwrap();
    let viewer = app.token(Role::Viewer, None).await;
    for path in ["/api/v1/workers".to_owned(), format!("/api/v1/workers/{w}")] {
        // A worker's record is a person's: a funder reads the report's totals.
        app.get(&path, &viewer).await.problem(StatusCode::FORBIDDEN);
    }
    for token in [app.token(Role::Technician, Some(site)).await] {
        for path in ["/api/v1/workers".to_owned(), format!("/api/v1/workers/{w}")] {
            let response = app.get(&path, &token).await;
            assert_eq!(response.status, StatusCode::OK);
            assert!(
                !response.text.contains("Maëlys") && !response.text.contains("display_name"),
                "{}",
                response.text
            );
        }
    }
    let history = app.get("/api/v1/ledger/events?limit=500", &app.admin).await;
    assert!(
        !history.text.contains("Maëlys"),
        "the name never enters the ledger"
    );

    assert_in_database_files(&app, &[name, "Tanguy-Riou"]).await;
    let erased = app
        .call(
            Method::DELETE,
            &format!("/api/v1/workers/{w}/personal-data"),
            Some(&coordinator),
            Body::empty(),
            &[],
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.text);
    assert_eq!(erased.body["has_personal_data"], false);
    assert_not_in_database_files(&app, &[name, "Tanguy-Riou"]).await;
    let (ok, stdout, _) = app.cli(&["ledger", "verify"], None);
    assert!(ok && stdout.starts_with("ok "), "{stdout}");
}

#[tokio::test]
async fn the_team_and_its_week_are_kept_from_the_pages() {
    use crate::web::{Browser, field, user};
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = user(&app, Role::Coordinator, Some(site)).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&coordinator).await;
    let page = browser.get("/workers").await;
    let csrf = field(&page.text, "csrf");
    let created = browser
        .post(
            "/workers",
            &[
                ("csrf", &csrf),
                ("display_name", "Nolwenn Cadiou"),
                ("contract_kind", "insertion"),
                ("started_on", "2026-11-02"),
                ("weekly_hours", "26"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text);
    let worker_path = created.headers["location"].to_str().unwrap().to_owned();
    let id = worker_path.rsplit('/').next().unwrap().to_owned();

    // The week of 2026-11-16: two days of repair, and training on the second.
    let week = browser.get("/timesheets?week_of=2026-11-18").await;
    assert!(
        week.text.contains("2026-11-16"),
        "the week starts on Monday"
    );
    assert!(week.text.contains("Nolwenn Cadiou"));
    let recorded = browser
        .post(
            "/timesheets",
            &[
                ("csrf", &csrf),
                ("week_of", "2026-11-16"),
                (&format!("h.{id}.0.2026-11-16"), "7"),
                (&format!("h.{id}.0.2026-11-17"), "3,5"),
                (&format!("a.{id}.0"), "repair"),
                (&format!("h.{id}.1.2026-11-17"), "2"),
                (&format!("a.{id}.1"), "training"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.text);
    let week = browser.get("/timesheets?week_of=2026-11-16").await;
    assert!(
        week.text.contains("<td class=\"total\">12,5</td>"),
        "{}",
        week.text
    );
    let mut that_day: Vec<String> = app
        .listed(&format!("/api/v1/timesheets?worker_id={id}"))
        .await
        .into_iter()
        .filter(|e| e["date"] == "2026-11-17")
        .map(|e| format!("{} {}", e["activity"].as_str().unwrap(), e["hours"]))
        .collect();
    that_day.sort();
    assert_eq!(
        that_day,
        ["repair 3.5", "training 2.0"],
        "two activities a day"
    );

    // A spreadsheet: checked first, then imported.
    let sheet = format!(
        "worker;date;hours;activity\n{};2026-11-18;2;formation\n",
        "nolwenn cadiou"
    );
    let checked = browser
        .upload(
            "/timesheets/import",
            &[("csrf", &csrf), ("dry_run", "on")],
            sheet.as_bytes(),
        )
        .await;
    assert!(checked.text.contains("id=\"notice\""), "{}", checked.text);
    let imported = browser
        .upload("/timesheets/import", &[("csrf", &csrf)], sheet.as_bytes())
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text);
    assert!(
        imported.text.contains("<td class=\"total\">14,5</td>"),
        "{}",
        imported.text
    );

    // The contract ends with its exit.
    let page = browser.get(&worker_path).await;
    let version = field(&page.text, "expected_version");
    let ended = browser
        .post(
            &worker_path,
            &[
                ("csrf", &csrf),
                ("expected_version", &version),
                ("ended_on", "2026-11-30"),
                ("exit_outcome", "positive_exit"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.text);
    let page = browser.get(&worker_path).await;
    assert!(page.text.contains("Sortie positive"), "{}", page.text);
    let passport = browser.get(&format!("{worker_path}/passport.pdf")).await;
    assert_eq!(passport.status, StatusCode::OK);
    assert!(
        passport.bytes.starts_with(b"%PDF"),
        "the passport prints from the page"
    );

    // A technician sees the team and its hours, never a name; a viewer (a
    // funder) none of it: they read the report's totals.
    for role in [Role::Technician, Role::Viewer] {
        let email = user(&app, role, (role == Role::Technician).then_some(site)).await;
        let mut other = Browser::new(&app);
        other.sign_in(&email).await;
        for path in [
            "/workers",
            worker_path.as_str(),
            "/timesheets?week_of=2026-11-16",
        ] {
            let page = other.get(path).await;
            let expected = if role == Role::Viewer {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            assert_eq!(page.status, expected, "{role:?} {path}");
            assert!(
                !page.text.contains("Nolwenn") && !page.text.contains("Cadiou"),
                "{role:?} reads the name on {path}"
            );
        }
    }
}

#[tokio::test]
async fn a_skills_passport_counts_what_the_worker_s_account_recorded() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let (user, technician) = app
        .user_with_token("gwen@atelier.test", Role::Technician, Some(site))
        .await;
    let gwen = worker(
        &app,
        &coordinator,
        json!({"display_name": "Gwenaël Morvan", "contract_kind": "insertion", "started_on": "2026-01-05",
               "weekly_hours": 26, "user_id": user}),
    )
    .await;
    // Two laptops through the workshop by Gwenaël's hands; one by someone else's.
    for _ in 0..2 {
        crate::allocations::ready_device(&app, &technician, site).await;
    }
    crate::allocations::ready_device(&app, &coordinator, site).await;
    let today = chrono::Utc::now().date_naive();
    app.post(
        "/api/v1/timesheets",
        &coordinator,
        json!({"worker_id": gwen["id"], "date": today, "hours": 3.5, "activity": "training"}),
    )
    .await;

    let path = format!(
        "/api/v1/workers/{}/skills-passport.pdf?from=2026-01-01&to={today}",
        gwen["id"].as_str().unwrap()
    );
    let pdf = app.get(&path, &coordinator).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text);
    let file = app.dir.path().join("passport.pdf");
    std::fs::write(&file, &pdf.bytes).unwrap();
    let text = crate::helpers::pdftotext(&file);
    let line = |what: &str| {
        text.lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no {what} in:\n{text}"))
            .to_owned()
    };
    assert!(
        text.contains("Passeport de compétences") && text.contains("Gwenaël Morvan"),
        "{text}"
    );
    // The count is the line's last word: "12" must not pass for "2".
    let count = |what: &str| line(what).split_whitespace().last().unwrap().to_owned();
    for operation in [
        "Inventaire et diagnostic",
        "Effacement certifié",
        "Installation de systèmes libres",
        "Contrôle qualité avant remise",
    ] {
        assert_eq!(count(operation), "2", "{operation}:\n{text}");
    }
    assert_eq!(count("Formation"), "3.5", "{text}");
    // A technician's copy names nobody; a viewer (a funder) gets none.
    let viewer = app.token(Role::Viewer, None).await;
    app.get(&path, &viewer).await.problem(StatusCode::FORBIDDEN);
    let bench = app.token(Role::Technician, Some(site)).await;
    let pdf = app.get(&format!("{path}&lang=en"), &bench).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.text);
    std::fs::write(&file, &pdf.bytes).unwrap();
    let text = crate::helpers::pdftotext(&file);
    assert!(
        text.contains("Skills passport") && !text.contains("Morvan"),
        "{text}"
    );
}
