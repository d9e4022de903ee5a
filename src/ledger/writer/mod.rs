//! The single ledger writer and its group commit.
//!
//! Every state-changing request becomes a job sent to one task that owns the
//! writing. The task takes whatever jobs are waiting (up to [`MAX_BATCH`]),
//! runs each in its own savepoint inside one transaction — a refused job rolls
//! back alone and contributes nothing — then commits once and only then
//! answers. One durable commit (one fsync) thus serves a whole batch, and the
//! hash chain is extended in one place, in order, without locks.
//!
//! A job only decides and appends: whatever can be read or computed before
//! (rendering a document, parsing a file, resolving a code) is done by the
//! caller, and the job checks that nothing it relied on has moved.
//!
//! After each event a job appends, the writer runs the [`Policies`]: the
//! consequences in other domains (a medium erased settles its device). Their
//! events are appended in the same savepoint, and followed in turn, until
//! nothing follows.
//!
//! The head row of the chain is read `FOR UPDATE` at the start of each batch,
//! so several Retrace processes sharing one PostgreSQL database still append
//! one after the other; on SQLite the transaction is `BEGIN IMMEDIATE`.
//!
//! The writer is generic over the application's error type `E`: jobs and
//! policies refuse with it, and it passes through untouched.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use entities::{idempotency_key, ledger_head};
use futures::FutureExt;
use futures::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use super::clock::Clock;
use super::{Error, Event, Head};
use crate::config::Settings;
use crate::db::conn::Conn;
use crate::db::inline::InlineSqlite;
use crate::ids::UserId;

mod reply;
mod tx;

pub use reply::{Idempotency, Outcome, Reply};
pub use tx::{Recorded, Tx};

/// The most jobs one commit carries; bounds the latency a batch adds.
pub const MAX_BATCH: usize = 512;
/// Jobs waiting beyond this make callers wait for room (back-pressure).
const QUEUE_DEPTH: usize = 4096;

/// The consequences that cross domains, run by the writer after each event a
/// job (or a policy) appends. The application implements it in one place.
pub trait Policies<E>: Send + Sync {
    /// Appends what follows from `event`, whose typed payload is `payload`.
    fn follow<'t>(
        &'t self,
        tx: &'t mut Tx<E>,
        event: &'t Event,
        payload: &'t (dyn Any + Send + Sync),
    ) -> BoxFuture<'t, Result<(), E>>;

    /// A batch is durable: `jobs` writes committed together, `waiting` more
    /// queued when it began, `events` appended. What the application counts
    /// of it (its metrics); nothing here may write.
    fn committed(&self, _jobs: usize, _waiting: usize, _events: &[Event]) {}
}

/// No consequences at all: the ledger on its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPolicies;

impl<E: Send + 'static> Policies<E> for NoPolicies {
    fn follow<'t>(
        &'t self,
        _: &'t mut Tx<E>,
        _: &'t Event,
        _: &'t (dyn Any + Send + Sync),
    ) -> BoxFuture<'t, Result<(), E>> {
        Box::pin(async { Ok(()) })
    }
}

pub type Job<E> = Box<dyn for<'t> FnOnce(&'t mut Tx<E>) -> BoxFuture<'t, Result<Reply, E>> + Send>;

struct Request<E> {
    actor: Option<UserId>,
    idempotency: Option<Idempotency>,
    job: Job<E>,
    respond: oneshot::Sender<Result<Outcome, E>>,
}

/// The handle through which requests reach the writer task. Cheap to clone.
pub struct LedgerWriter<E> {
    queue: mpsc::Sender<Request<E>>,
    idempotency_ttl: Duration,
}

impl<E> Clone for LedgerWriter<E> {
    fn clone(&self) -> Self {
        Self {
            queue: self.queue.clone(),
            idempotency_ttl: self.idempotency_ttl,
        }
    }
}

impl<E: From<Error> + Send + 'static> LedgerWriter<E> {
    /// Starts the writer on its own thread, with its own single-threaded
    /// runtime and its own database connection. A batch runs one statement
    /// after another; on the shared runtime each of them would queue behind
    /// HTTP work before resuming, which is what bounded write latency under
    /// load. The writer stops when every handle is dropped.
    pub async fn start(settings: &Settings, policies: Arc<dyn Policies<E>>) -> Result<Self, Error> {
        let (queue, jobs) = mpsc::channel(QUEUE_DEPTH);
        let (ready, connected) = oneshot::channel();
        let settings = settings.clone();
        let idempotency_ttl = settings.idempotency_ttl;
        // The writer logs where the code that started it logs (the
        // process's subscriber, or a test's own).
        let dispatch = tracing::dispatcher::get_default(Clone::clone);
        std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || {
                let _logs = tracing::dispatcher::set_default(&dispatch);
                let mut builder = tokio::runtime::Builder::new_current_thread();
                builder.enable_time();
                if settings.is_sqlite() {
                    // Through sqlx (an in-memory database), each statement
                    // is a hand-off to the connection's thread, cheaper on
                    // one CPU. A file's connection runs on this thread.
                    if crate::db::sqlite_file(&settings).is_none() {
                        crate::db::share_one_cpu();
                    }
                } else {
                    builder.enable_io();
                }
                // On SQLite the writer waits for no socket: without an I/O
                // driver it parks on a futex instead of `epoll`, and is woken
                // more cheaply.
                let runtime = match builder.build() {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        let _ = ready.send(Err(Error::internal(err)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match connect(&settings).await {
                        Ok((db, inline)) => {
                            let _ = ready.send(Ok(()));
                            let writer = Writer {
                                db,
                                inline,
                                policies,
                                clock: settings.clock.clone(),
                                idempotency_ttl: settings.idempotency_ttl,
                            };
                            writer.run(jobs).await;
                        }
                        Err(err) => {
                            let _ = ready.send(Err(Error::from(err)));
                        }
                    }
                });
            })
            .map_err(Error::internal)?;
        connected
            .await
            .map_err(|_| Error::internal("the ledger writer thread died at start"))??;
        Ok(Self {
            queue,
            idempotency_ttl,
        })
    }

    /// Runs `job` in the next batch and waits until its batch is durably committed.
    pub async fn submit<F>(
        &self,
        actor: Option<UserId>,
        idempotency: Option<Idempotency>,
        job: F,
    ) -> Result<Outcome, E>
    where
        F: for<'t> FnOnce(&'t mut Tx<E>) -> BoxFuture<'t, Result<Reply, E>> + Send + 'static,
    {
        let (respond, answer) = oneshot::channel();
        let request = Request {
            actor,
            idempotency,
            job: Box::new(job),
            respond,
        };
        let stopped = || E::from(Error::Unavailable("ledger writer stopped".into()));
        self.queue.send(request).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Deletes the idempotency keys older than their time to live; returns how many.
    pub async fn prune_idempotency_keys(&self) -> Result<u64, E> {
        let cutoff = Utc::now() - self.idempotency_ttl;
        let outcome = self
            .submit(None, None, move |tx| {
                Box::pin(async move {
                    let deleted = idempotency_key::Entity::delete_many()
                        .filter(idempotency_key::Column::CreatedAt.lt(cutoff))
                        .exec(tx.conn())
                        .await
                        .map_err(Error::from)?;
                    Reply::new(deleted.rows_affected)
                })
            })
            .await?;
        Ok(outcome.reply.answer().unwrap_or(0))
    }

    /// Whether the writer task is still running.
    pub fn is_running(&self) -> bool {
        !self.queue.is_closed()
    }
}

/// The writer's connection. On an SQLite file, one driven on the writer's
/// own thread (`db::inline`): no statement of a batch waits for another
/// thread. Elsewhere (PostgreSQL, an in-memory SQLite), sqlx's.
async fn connect(
    settings: &Settings,
) -> Result<(DatabaseConnection, Option<Arc<InlineSqlite>>), sea_orm::DbErr> {
    match crate::db::sqlite_file(settings) {
        Some(path) => {
            // sqlx creates the file, its directory and their modes.
            crate::db::connect_with(settings, 1).await?.close().await?;
            let (inline, db) = InlineSqlite::open(std::path::Path::new(&path))?;
            Ok((db, Some(inline)))
        }
        None => Ok((crate::db::connect_with(settings, 1).await?, None)),
    }
}

struct Writer<E> {
    db: DatabaseConnection,
    /// The same connection as `db`, for what sea-orm's interface cannot report:
    /// whether a commit or a savepoint's release failed.
    inline: Option<Arc<InlineSqlite>>,
    policies: Arc<dyn Policies<E>>,
    clock: Clock,
    idempotency_ttl: Duration,
}

type Answers<E> = Vec<(oneshot::Sender<Result<Outcome, E>>, Result<Outcome, E>)>;

impl<E: From<Error> + Send + 'static> Writer<E> {
    async fn run(self, mut jobs: mpsc::Receiver<Request<E>>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
            let size = batch.len();
            let waiting = jobs.len();
            match self.commit_batch(&mut batch).await {
                Ok((answers, events)) => {
                    tracing::debug!(batch.size = size, "ledger batch committed");
                    self.policies.committed(size, waiting, &events);
                    for (respond, answer) in answers {
                        let _ = respond.send(answer);
                    }
                }
                Err(err) => {
                    tracing::error!(error = %err, batch.size = size, "ledger batch failed; nothing was written");
                    for request in batch.drain(..) {
                        let _ = request.respond.send(Err(E::from(Error::Unavailable(
                            "the write could not be committed".into(),
                        ))));
                    }
                }
            }
        }
    }

    /// Runs every job of `batch` in one transaction; returns the answers and
    /// the events committed. On `Err`, nothing was committed and the jobs are
    /// left in `batch` to be answered by the caller.
    #[tracing::instrument(level = "debug", name = "ledger.batch", skip_all, fields(jobs = batch.len()))]
    async fn commit_batch(
        &self,
        batch: &mut Vec<Request<E>>,
    ) -> Result<(Answers<E>, Vec<Event>), Error> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let txn = self.db.begin_with_options(options).await?;
        let stored = ledger_head::Entity::find_by_id(1)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| Error::internal("the ledger has no head row"))?;
        let first = Head {
            seq: stored.seq,
            hash: stored.hash,
        };
        let mut head = first.clone();
        let mut pending = Vec::with_capacity(batch.len());
        let mut events = Vec::new();
        for request in batch.drain(..) {
            let savepoint = txn.begin().await?;
            let mut tx = Tx {
                conn: Conn::new(savepoint, self.inline.clone()),
                head: head.clone(),
                actor: request.actor,
                policies: Arc::clone(&self.policies),
                appended: Vec::new(),
                clock: self.clock.clone(),
            };
            let result = self
                .run_job(&mut tx, request.actor, request.idempotency, request.job)
                .await;
            // A savepoint that could not be released (or rolled back) leaves
            // the transaction in a state no one knows: the whole batch
            // fails, and nothing of it is written.
            let result = match result {
                Ok(outcome) => {
                    self.settled(tx.conn.into_transaction().commit().await)?;
                    head = tx.head;
                    events.append(&mut tx.appended);
                    Ok(outcome)
                }
                Err(err) => {
                    self.settled(tx.conn.into_transaction().rollback().await)?;
                    Err(err)
                }
            };
            pending.push((request.respond, result));
        }
        if head != first {
            ledger_head::ActiveModel {
                id: Set(1),
                seq: Set(head.seq),
                hash: Set(head.hash.clone()),
            }
            .update(&txn)
            .await?;
        }
        self.settled(txn.commit().await)?;
        Ok((pending, events))
    }

    /// A commit's or a rollback's result, with what the writer's own SQLite
    /// connection could not return through sea-orm.
    fn settled(&self, result: Result<(), sea_orm::DbErr>) -> Result<(), sea_orm::DbErr> {
        result?;
        match &self.inline {
            Some(inline) => inline.check(),
            None => Ok(()),
        }
    }

    /// One job inside its savepoint: the idempotent replay if its key was
    /// seen (and has not expired), else the job itself (a panicking job is an
    /// internal error, not a dead writer).
    async fn run_job(
        &self,
        tx: &mut Tx<E>,
        actor: Option<UserId>,
        idempotency: Option<Idempotency>,
        job: Job<E>,
    ) -> Result<Outcome, E> {
        let keyed = match (actor, idempotency) {
            (Some(user), Some(idem)) => Some((user, idem)),
            _ => None,
        };
        if let Some((user, idem)) = &keyed
            && let Some(seen) = idempotency_key::Entity::find_by_id((user.0, idem.key.clone()))
                .one(tx.conn())
                .await
                .map_err(Error::from)?
        {
            if seen.created_at >= Utc::now() - self.idempotency_ttl {
                if seen.request_sha256 != idem.fingerprint {
                    return Err(E::from(Error::IdempotencyMismatch));
                }
                let kept = serde_json::from_str(&seen.body).map_err(Error::internal)?;
                return Ok(Outcome {
                    reply: Reply::replayed(kept),
                    replayed: true,
                });
            }
            // Expired: the key is free again.
            idempotency_key::Entity::delete_by_id((user.0, idem.key.clone()))
                .exec(tx.conn())
                .await
                .map_err(Error::from)?;
        }
        let reply = match AssertUnwindSafe(job(tx)).catch_unwind().await {
            Ok(result) => result?,
            Err(_) => return Err(E::from(Error::internal("a write job panicked"))),
        };
        if let Some((user, idem)) = keyed {
            idempotency_key::Entity::insert(idempotency_key::ActiveModel {
                user_id: Set(user.0),
                key: Set(idem.key),
                request_sha256: Set(idem.fingerprint),
                // The HTTP status is the route's to choose, on a replay too;
                // the column stays for releases before 0.4, which read it.
                status: Set(200),
                body: Set(reply.kept()?.to_string()),
                created_at: Set(Utc::now()),
            })
            .exec_without_returning(tx.conn())
            .await
            .map_err(Error::from)?;
        }
        Ok(Outcome {
            reply,
            replayed: false,
        })
    }
}
