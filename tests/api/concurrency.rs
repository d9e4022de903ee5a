//! Concurrent writes, as a busy workshop sends them: one device reserved
//! for several people at once, one version edited twice, many devices and
//! certificates numbered at the same moment. The writer decides them one by
//! one: exactly one winner where one may win, and no number given twice.

use axum::http::StatusCode;
use retrace::principal::Role;
use serde_json::json;

use crate::allocations::{beneficiary, ready_device};
use crate::certificates::erase;
use crate::helpers::TestApp;

#[tokio::test]
async fn concurrent_reservations_of_one_device_reserve_it_once() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let device = ready_device(&app, &coordinator, site).await;
    let mut people = Vec::new();
    for _ in 0..8 {
        people.push(beneficiary(&app, &coordinator, json!({"category": "student"})).await);
    }
    let answers = futures::future::join_all(people.iter().map(|person| {
        app.post(
            "/api/v1/allocations",
            &coordinator,
            json!({"device_id": device["id"], "beneficiary_id": person["id"], "conditions": {"kind": "free"}, "warranty_months": 6}),
        )
    }))
    .await;
    let won: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .collect();
    assert_eq!(won.len(), 1, "{answers:#?}");
    for lost in answers.iter().filter(|a| a.status != StatusCode::CREATED) {
        assert!(lost.status.is_client_error(), "{}", lost.text);
    }
    let allocations = app
        .get(
            &format!(
                "/api/v1/allocations?device_id={}",
                device["id"].as_str().unwrap()
            ),
            &coordinator,
        )
        .await;
    let listed = allocations.body["items"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{}", allocations.text);
    assert_eq!(listed[0]["id"], won[0].body["id"]);
    let id = device["id"].as_str().unwrap();
    assert_eq!(
        app.fetch_device(&coordinator, id).await["state"],
        "reserved"
    );
}

#[tokio::test]
async fn concurrent_edits_of_one_version_have_exactly_one_winner() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let device = app
        .device(
            &app.admin,
            json!({"site_id": site, "kind": "laptop", "model": "T480"}),
        )
        .await;
    let path = format!("/api/v1/devices/{}", device["id"].as_str().unwrap());
    let answers = futures::future::join_all((0..12).map(|i| {
        app.patch(
            &path,
            &app.admin,
            json!({"expected_version": 1, "model": format!("T480 edit {i}")}),
        )
    }))
    .await;
    let won: Vec<_> = answers
        .iter()
        .filter(|a| a.status == StatusCode::OK)
        .collect();
    assert_eq!(won.len(), 1, "{answers:#?}");
    let stale = answers
        .iter()
        .filter(|a| a.status == StatusCode::CONFLICT && a.body["current_version"] == 2)
        .count();
    assert_eq!(stale, 11);
    let now = app.get(&path, &app.admin).await.body;
    assert_eq!(now["version"], 2);
    assert_eq!(
        now["model"], won[0].body["model"],
        "the winner's edit, and only it"
    );
}

#[tokio::test]
async fn devices_registered_at_once_get_distinct_consecutive_tags() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let technician = app.token(Role::Technician, Some(site)).await;
    let answers = futures::future::join_all((0..40).map(|i| {
        app.post(
            "/api/v1/devices",
            &technician,
            json!({"kind": "laptop", "serial_number": format!("PAR{i:03}")}),
        )
    }))
    .await;
    let mut sequences: Vec<u32> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
            let tag = a.body["asset_tag"].as_str().unwrap();
            retrace::tags::AssetTag::parse(tag).expect("a valid tag");
            tag.split('-').nth(1).unwrap().parse().unwrap()
        })
        .collect();
    sequences.sort_unstable();
    assert_eq!(
        sequences,
        (1..=40).collect::<Vec<u32>>(),
        "no tag twice, none skipped"
    );
}

#[tokio::test]
async fn certificates_issued_at_once_get_distinct_consecutive_numbers() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let coordinator = app.token(Role::Coordinator, Some(site)).await;
    let mut devices = Vec::new();
    for i in 0..6 {
        let device = app
            .device(
                &coordinator,
                json!({"kind": "laptop", "serial_number": format!("CERTPAR{i}")}),
            )
            .await;
        let medium = app
            .add_medium(
                &coordinator,
                device["id"].as_str().unwrap(),
                &format!("SSDPAR{i}"),
            )
            .await;
        app.step(&coordinator, &device, "audit", json!({})).await;
        erase(&app, &coordinator, &medium).await;
        devices.push(device);
    }
    let answers = futures::future::join_all(devices.iter().map(|device| {
        app.post(
            "/api/v1/certificates",
            &coordinator,
            json!({"kind": "erasure", "device_id": device["id"]}),
        )
    }))
    .await;
    let mut numbers: Vec<String> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
            a.body["number"].as_str().unwrap().to_owned()
        })
        .collect();
    numbers.sort();
    let year = &answers[0].body["issued_at"].as_str().unwrap()[..4];
    let expected: Vec<String> = (1..=6).map(|n| format!("CERT-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

/// A job refused after it wrote — its event recorded, its row projected —
/// leaves nothing behind, and the jobs of its batch before and after it
/// commit as if it had never run: one chain, no gap, every event verified.
#[tokio::test]
async fn a_job_refused_after_writing_leaves_nothing_and_its_batch_neighbours_commit() {
    use retrace::devices::{NewDevice, service};
    use retrace::error::AppError;
    use retrace::principal::Principal;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let new = |serial: &str| -> NewDevice {
        serde_json::from_value(json!({"site_id": site, "kind": "laptop", "serial_number": serial}))
            .unwrap()
    };
    // A first job holds the writer until every other one is queued, so
    // that they share the next batch.
    let (started, running) = tokio::sync::oneshot::channel();
    let (release, gate) = tokio::sync::oneshot::channel::<()>();
    let state = app.state.clone();
    let holder = tokio::spawn(async move {
        state
            .write_now(&Principal::instance(), move |_, _| {
                Box::pin(async move {
                    let _ = started.send(());
                    let _ = gate.await;
                    Ok(())
                })
            })
            .await
    });
    running.await.unwrap();
    let mut jobs = Vec::new();
    for (serial, refused) in [
        ("KEPT-1", false),
        ("UNDONE-1", true),
        ("KEPT-2", false),
        ("UNDONE-2", true),
        ("KEPT-3", false),
    ] {
        let (state, device) = (app.state.clone(), new(serial));
        jobs.push(tokio::spawn(async move {
            state
                .write_now(&Principal::instance(), move |tx, who| {
                    Box::pin(async move {
                        let device = service::register(tx, who, device).await?;
                        if refused {
                            return Err(AppError::Conflict("refused after writing".into()));
                        }
                        Ok(device)
                    })
                })
                .await
        }));
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    release.send(()).unwrap();
    holder.await.unwrap().unwrap();
    let mut kept = Vec::new();
    for job in jobs {
        match job.await.unwrap() {
            Ok(device) => kept.push(device.serial_number.unwrap()),
            Err(err) => assert!(matches!(err, AppError::Conflict(_)), "{err:?}"),
        }
    }
    assert_eq!(kept, ["KEPT-1", "KEPT-2", "KEPT-3"]);

    let listed = app.get("/api/v1/devices?limit=50", &app.admin).await;
    let mut serials: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["serial_number"].as_str().unwrap())
        .collect();
    serials.sort_unstable();
    assert_eq!(
        serials,
        ["KEPT-1", "KEPT-2", "KEPT-3"],
        "no row of a refused job"
    );
    let report = retrace::ledger::verify::verify(&app.state.db, None)
        .await
        .expect("one chain, no gap");
    let registered = entities::event::Entity::find()
        .filter(entities::event::Column::Kind.eq("device.registered"))
        .order_by_asc(entities::event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(registered.len(), 3, "no event of a refused job");
    assert_eq!(
        registered.last().unwrap().seq,
        report.events,
        "the last event, numbered with no gap before it"
    );
}
