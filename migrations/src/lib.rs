//! Retrace's schema, one migration per change, applied in order at start-up
//! and by `retrace migrate`. Projection tables are rebuilt from the ledger, so a
//! migration only ever shapes storage: it never invents history.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_sites;
mod m20261122_000002_create_donors;
mod m20261122_000003_create_lots;
mod m20261122_000004_create_devices;
mod m20261122_000005_create_media;
mod m20261122_000006_create_users;
mod m20261122_000007_create_api_tokens;
mod m20261122_000008_create_ledger;
mod m20261122_000009_create_idempotency_keys;
mod m20261122_000010_create_erasure_records;
mod m20261122_000011_create_certificates;
mod m20261122_000012_create_stock_audits;
mod m20261201_000013_create_outbound;
mod m20261201_000014_create_workforce;
mod m20261201_000015_create_device_departures;
mod m20261201_000016_create_portal_links;
mod m20261201_000017_departure_snapshots;
mod m20261201_000018_statement_years;
mod m20261201_000019_daily_tallies;
mod m20261201_000020_report_indexes;
mod m20261205_000021_web_sessions;
mod m20261205_000022_erasure_names_from_accounts;
mod m20261205_000023_event_personal_fields;
mod m20261207_000024_drop_prefix_indexes;

/// The ordered list of every migration.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_sites::Migration),
            Box::new(m20261122_000002_create_donors::Migration),
            Box::new(m20261122_000003_create_lots::Migration),
            Box::new(m20261122_000004_create_devices::Migration),
            Box::new(m20261122_000005_create_media::Migration),
            Box::new(m20261122_000006_create_users::Migration),
            Box::new(m20261122_000007_create_api_tokens::Migration),
            Box::new(m20261122_000008_create_ledger::Migration),
            Box::new(m20261122_000009_create_idempotency_keys::Migration),
            Box::new(m20261122_000010_create_erasure_records::Migration),
            Box::new(m20261122_000011_create_certificates::Migration),
            Box::new(m20261122_000012_create_stock_audits::Migration),
            Box::new(m20261201_000013_create_outbound::Migration),
            Box::new(m20261201_000014_create_workforce::Migration),
            Box::new(m20261201_000015_create_device_departures::Migration),
            Box::new(m20261201_000016_create_portal_links::Migration),
            Box::new(m20261201_000017_departure_snapshots::Migration),
            Box::new(m20261201_000018_statement_years::Migration),
            Box::new(m20261201_000019_daily_tallies::Migration),
            Box::new(m20261201_000020_report_indexes::Migration),
            Box::new(m20261205_000021_web_sessions::Migration),
            Box::new(m20261205_000022_erasure_names_from_accounts::Migration),
            Box::new(m20261205_000023_event_personal_fields::Migration),
            Box::new(m20261207_000024_drop_prefix_indexes::Migration),
        ]
    }
}

/// Columns every projection row carries: its optimistic-lock version and the
/// times of the events that created and last changed it.
pub(crate) fn with_versioning(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    use sea_orm_migration::schema::{big_integer, timestamp_with_time_zone};
    table
        .col(big_integer("version"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
}

/// Names a projection for the server to derive at its next start-up
/// (`pending_rebuilds`): a table new to an instance that already had events.
pub(crate) fn rebuild_at_start(projection: &'static str) -> InsertStatement {
    Query::insert()
        .into_table("pending_rebuilds")
        .columns(["projection"])
        .values_panic([projection.into()])
        .on_conflict(OnConflict::column("projection").do_nothing().to_owned())
        .to_owned()
}

/// A plain (non-unique) index.
pub(crate) fn index(
    table: &'static str,
    name: &'static str,
    cols: &[&'static str],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(*col);
    }
    index.to_owned()
}

/// A foreign key from `table.col` to `target.id`.
pub(crate) fn foreign_key(
    table: &'static str,
    col: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to(target, "id")
        .to_owned()
}
