//! The writer's floor (`BENCH_PHASES=…,floor`, SQLite only): the
//! transitions phase's reserve and release written by hand on a rusqlite
//! connection of the bench's own, on the bench's database, with no HTTP.
//!
//! This is not Retrace's write path. It runs the statements that path runs
//! for these two actions, and nothing else: each job in its savepoint, the
//! device and its media read, the lifecycle rule decided
//! (`devices::lifecycle`), the event hashed as the writer hashes it and
//! inserted, the device row updated, the open allocation looked up for a
//! release, the head moved and one commit per batch. Every statement is
//! prepared once and run on this thread: no hand-off to sqlx's worker
//! thread, no query building, no async. It bounds what a writer rewritten to
//! run its batches so (docs/BENCHMARKS.md, "Writes: the gap") could give on
//! this machine, before any HTTP. The chain it writes is verified afterwards
//! by `ledger::verify`, so it is the same chain, not a cheaper one.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use retrace::allocations::rules::OPEN;
use retrace::devices::events::Transitioned;
use retrace::devices::lifecycle::{self, Facts, MediumFact};
use retrace::devices::{Action, DeviceState};
use retrace::ledger::chain::{self, HashedEvent};
use retrace::ledger::payload::to_stored;
use retrace::media::MediumState;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Jobs per commit: the transitions phase's clients, each waiting for its answer.
pub const BATCH: usize = 64;

/// Runs reserve/release on `devices` (their ids and current versions) for
/// `length`, `BATCH` jobs a commit; returns jobs/s.
pub fn run(database: &Path, devices: &mut [(Uuid, i64)], length: Duration) -> f64 {
    let mut conn = Connection::open(database).expect("open the bench's database");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 10000; PRAGMA cache_size = -32768;",
    )
    .expect("pragmas");
    let started = Instant::now();
    let mut jobs = 0usize;
    while started.elapsed() < length {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .expect("begin");
        let (mut seq, mut hash): (i64, String) = tx
            .prepare_cached("SELECT seq, hash FROM ledger_head WHERE id = 1")
            .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?))))
            .expect("head");
        for _ in 0..BATCH {
            let (device, version) = &mut devices[jobs % devices.len()];
            tx.execute_batch("SAVEPOINT job").expect("savepoint");
            let (next_hash, event_seq) = job(&tx, *device, version, seq, &hash);
            tx.execute_batch("RELEASE job").expect("release");
            (seq, hash) = (event_seq, next_hash);
            jobs += 1;
        }
        tx.prepare_cached("UPDATE ledger_head SET seq = ?1, hash = ?2 WHERE id = 1")
            .and_then(|mut s| s.execute(params![seq, hash]))
            .expect("head moved");
        tx.commit().expect("commit");
    }
    jobs as f64 / started.elapsed().as_secs_f64()
}

/// What the transitions phases ask of a shelved device at `version`: a
/// reserve, then a release, and again.
pub fn reserve_or_release(version: i64) -> Action {
    if version % 2 == 0 {
        Action::Reserve
    } else {
        Action::Release
    }
}

/// One reserve or release ([`reserve_or_release`]); the event's hash and seq.
fn job(
    tx: &rusqlite::Transaction<'_>,
    device: Uuid,
    version: &mut i64,
    head_seq: i64,
    head_hash: &str,
) -> (String, i64) {
    let id = device.as_bytes().as_slice();
    let (state, stored_version, site): (String, i64, Vec<u8>) = tx
        .prepare_cached("SELECT id, site_id, lot_id, asset_tag, kind, manufacturer, model, serial_number, donor_asset_number, specs, weight_kg, grade, os, state, version, created_at, updated_at FROM devices WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| Ok((r.get(13)?, r.get(14)?, r.get(1)?))))
        .expect("device");
    assert_eq!(stored_version, *version, "the device moved under the floor");
    let media: Vec<MediumFact> = tx
        .prepare_cached(
            "SELECT id, asset_tag, serial_number, state FROM media WHERE device_id = ?1",
        )
        .and_then(|mut s| {
            s.query_map([id], |r| {
                let state: String = r.get(3)?;
                Ok(MediumFact {
                    id: Uuid::from_slice(&r.get::<_, Vec<u8>>(0)?).expect("medium id"),
                    asset_tag: r.get(1)?,
                    serial_number: r.get(2)?,
                    state: MediumState::parse(&state).expect("medium state"),
                })
            })?
            .collect()
        })
        .expect("media");
    let from = DeviceState::parse(&state).expect("device state");
    let action = reserve_or_release(*version);
    let facts = Facts {
        media: &media,
        ..Facts::default()
    };
    let to = lifecycle::transition(from, action, &facts).expect("the rule allows it");
    let payload = Transitioned {
        action: Some(action),
        from,
        to,
        version: *version + 1,
        automatic: false,
        note: None,
        os: None,
        checklist: None,
        reason: None,
    };
    let payload = to_stored(&payload).expect("payload");
    let (seq, event_id, at) = (head_seq + 1, Uuid::now_v7(), Utc::now());
    let site = Uuid::from_slice(&site).expect("site id");
    let text = chain::canonical_text(&payload).expect("canonical payload");
    let hash = chain::compute_hash(&HashedEvent {
        seq,
        id: event_id,
        at: chain::format_time(at),
        actor_id: None,
        site_id: Some(site),
        subject_type: "device",
        subject_id: device,
        kind: "device.transitioned",
        payload: &text,
        prev_hash: head_hash,
    })
    .expect("hash");
    tx.prepare_cached(
        "INSERT INTO events (seq, id, at, actor_id, site_id, subject_type, subject_id, kind, payload, prev_hash, hash) VALUES (?1, ?2, ?3, NULL, ?4, 'device', ?5, 'device.transitioned', ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            seq,
            event_id.as_bytes().as_slice(),
            chain::format_time(at),
            site.as_bytes().as_slice(),
            id,
            text,
            head_hash,
            hash
        ])
    })
    .expect("event");
    let updated = tx
        .prepare_cached(
            "UPDATE devices SET state = ?1, version = ?2, updated_at = ?3 WHERE id = ?4",
        )
        .and_then(|mut s| {
            s.execute(params![
                to.as_str(),
                *version + 1,
                chain::format_time(at),
                id
            ])
        })
        .expect("device moved");
    assert_eq!(updated, 1);
    if action == Action::Release {
        // The allocation policy: a released device's open allocation follows.
        let [first, second] = OPEN.map(|state| state.as_str());
        let open: Option<Vec<u8>> = tx
            .prepare_cached("SELECT id FROM allocations WHERE device_id = ?1 AND state IN (?2, ?3)")
            .and_then(|mut s| {
                s.query_row(params![id, first, second], |r| r.get(0))
                    .optional()
            })
            .expect("allocation");
        assert!(open.is_none(), "the bench's devices have no allocation");
    }
    *version += 1;
    (hash, seq)
}
