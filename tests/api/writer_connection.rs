//! The ledger writer's own SQLite connection (`db::inline`) and sqlx, on one
//! file: every table reads alike through both, and what the writer stores is
//! what sqlx stores. The other tests write through the writer's connection
//! and read through sqlx's (and the scan's rusqlite reader), so they hold the
//! writing side too; this one holds every column of every table.

use std::path::Path;

use entities::{
    allocation, allocation_signature, beneficiary_personal_data, device, document, event,
    idempotency_key, lot, medium, site, web_session, worker_personal_data,
};
use retrace::db::inline::{InlineSqlite, known_tables};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, ModelTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use uuid::Uuid;

use crate::helpers::{TestApp, assert_same_projections, rows};

#[tokio::test]
async fn the_writer_s_connection_reads_every_table_as_sqlx_does() {
    let app = TestApp::spawn().await;
    if app.state.db.get_database_backend() != DbBackend::Sqlite {
        return; // PostgreSQL's writer goes through sqlx.
    }
    retrace::demo::seed(&app.state)
        .await
        .expect("the demo is written");
    let path =
        retrace::db::sqlite_path(app.state.settings.database_url.expose()).expect("an SQLite file");
    let (inline, writer) = InlineSqlite::open(Path::new(&path)).expect("opened");
    let sqlx = &app.state.db;

    assert_same_projections(sqlx, &writer).await;
    macro_rules! same {
        ($($entity:ident),*) => {$(
            let through_sqlx = rows::<$entity::Entity>(sqlx).await;
            assert_eq!(through_sqlx, rows::<$entity::Entity>(&writer).await, stringify!($entity));
        )*};
    }
    same!(
        event,
        document,
        idempotency_key,
        web_session,
        allocation_signature,
        beneficiary_personal_data,
        worker_personal_data
    );
    assert!(
        !rows::<event::Entity>(sqlx).await.is_empty()
            && !rows::<document::Entity>(sqlx).await.is_empty(),
        "the demo wrote events and documents"
    );

    // Columns read by position come in the order selected, not by name
    // (`id` sorts after `donor_id`).
    let pairs = |db| {
        lot::Entity::find()
            .select_only()
            .column(lot::Column::Id)
            .column(lot::Column::DonorId)
            .order_by_asc(lot::Column::Id)
            .into_tuple::<(Uuid, Uuid)>()
            .all(db)
    };
    let by_sqlx = pairs(sqlx).await.unwrap();
    assert!(!by_sqlx.is_empty());
    assert_eq!(by_sqlx, pairs(&writer).await.unwrap());

    // Every table the schema holds is typed by its entity.
    let mut tables: Vec<String> = sqlx
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    tables.sort();
    assert_eq!(tables, known_tables());

    // The writer's hot reads (`find_by`), which build no query and no map
    // of each row, read every row as sqlx does: by key, and many by one
    // column.
    same_found::<device::Entity>(sqlx, &inline, device::Column::Id).await;
    same_found::<medium::Entity>(sqlx, &inline, medium::Column::Id).await;
    same_found::<medium::Entity>(sqlx, &inline, medium::Column::DeviceId).await;
    same_found::<allocation::Entity>(sqlx, &inline, allocation::Column::DeviceId).await;
    same_found::<site::Entity>(sqlx, &inline, site::Column::Id).await;
    same_found::<event::Entity>(sqlx, &inline, event::Column::Seq).await;
}

/// Every row of `E`, found by its `column`'s value through the writer's
/// connection, is found so through sqlx.
async fn same_found<E>(sqlx: &sea_orm::DatabaseConnection, inline: &InlineSqlite, column: E::Column)
where
    E: EntityTrait + Default,
    E::Model: PartialEq + std::fmt::Debug,
    E::ActiveModel: sea_orm::TryIntoModel<E::Model>,
{
    let all = E::find().all(sqlx).await.unwrap();
    assert!(
        !all.is_empty(),
        "the demo has {}",
        E::default().table_name()
    );
    for model in &all {
        let value = model.get(column);
        let mut by_sqlx = E::find()
            .filter(column.eq(value.clone()))
            .all(sqlx)
            .await
            .unwrap();
        let mut found = inline.find_by::<E>(column, value).unwrap();
        let key = |m: &E::Model| format!("{m:?}");
        by_sqlx.sort_by_key(key);
        found.sort_by_key(key);
        assert_eq!(found, by_sqlx, "{}", E::default().table_name());
    }
}

#[tokio::test]
async fn the_writer_stores_values_as_sqlx_does() {
    let app = TestApp::spawn().await;
    if app.state.db.get_database_backend() != DbBackend::Sqlite {
        return;
    }
    let admin = app.admin.clone();
    let site = app.site("WSA").await;
    let lot = app.lot(&admin, site).await;
    let device = app
        .device(
            &admin,
            serde_json::json!({"site_id": site, "lot_id": lot, "kind": "laptop",
                               "serial_number": "SN-STORED-1", "specs": {"ram_mib": 8192}}),
        )
        .await;
    // sqlx stores a UUID as its 16 bytes, a time as RFC 3339 text with its
    // offset, JSON as text: the scan's reader and old rows rely on it.
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT typeof(id), length(id), typeof(created_at), created_at, typeof(specs) \
             FROM devices WHERE serial_number = ?",
            ["SN-STORED-1".into()],
        ))
        .await
        .unwrap()
        .expect("the device is stored");
    let column = |index| row.try_get_by_index::<String>(index).unwrap();
    assert_eq!(column(0), "blob");
    assert_eq!(row.try_get_by_index::<i64>(1).unwrap(), 16);
    assert_eq!(column(2), "text");
    let created = column(3);
    assert!(
        chrono::DateTime::parse_from_rfc3339(&created).is_ok() && created.ends_with("+00:00"),
        "{created}"
    );
    assert_eq!(column(4), "text");
    assert_eq!(device["serial_number"], "SN-STORED-1");

    // The event too, which the writer inserts without sea-orm's statement.
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT typeof(id), length(id), typeof(subject_id), typeof(at), at, typeof(payload), \
             typeof(actor_id) FROM events WHERE kind = 'device.registered' AND subject_id = ?",
            [Uuid::parse_str(device["id"].as_str().unwrap())
                .unwrap()
                .into()],
        ))
        .await
        .unwrap()
        .expect("the event is stored");
    let column = |index| row.try_get_by_index::<String>(index).unwrap();
    assert_eq!(column(0), "blob");
    assert_eq!(row.try_get_by_index::<i64>(1).unwrap(), 16);
    assert_eq!(column(2), "blob");
    assert_eq!(column(3), "text");
    let at = column(4);
    assert!(
        chrono::DateTime::parse_from_rfc3339(&at).is_ok() && at.ends_with("+00:00"),
        "{at}"
    );
    assert_eq!(column(5), "text");
    assert_eq!(column(6), "blob", "the actor's id");
}
