//! The single ledger writer and its group commit.
//!
//! Every state-changing request becomes a job sent to one task that owns the
//! writing. The task takes whatever jobs are waiting (up to [`MAX_BATCH`]),
//! runs each in its own savepoint inside one transaction — a refused job rolls
//! back alone and contributes nothing — then commits once and only then
//! answers. One durable commit (one fsync) thus serves a whole batch, and the
//! hash chain is extended in one place, in order, without locks.
//!
//! The head row of the chain is read `FOR UPDATE` at the start of each batch,
//! so several Retrace processes sharing one PostgreSQL database still append
//! one after the other; on SQLite the transaction is `BEGIN IMMEDIATE`.

use std::panic::AssertUnwindSafe;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use entities::{event, idempotency_key, ledger_head};
use futures::FutureExt;
use futures::future::BoxFuture;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::chain::{self, HashedEvent};
use super::{Change, Event, Head, Subject, projection};
use crate::config::Settings;
use crate::error::AppError;
use crate::ids::{EventId, SiteId, UserId};

/// The most jobs one commit carries; bounds the latency a batch adds.
pub const MAX_BATCH: usize = 512;
/// Jobs waiting beyond this make callers wait for room (back-pressure).
const QUEUE_DEPTH: usize = 4096;

/// The answer a job gives, stored for idempotent replay.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    pub fn ok(body: impl serde::Serialize) -> Result<Self, AppError> {
        Self::with_status(StatusCode::OK, body)
    }

    pub fn created(body: impl serde::Serialize) -> Result<Self, AppError> {
        Self::with_status(StatusCode::CREATED, body)
    }

    pub fn with_status(status: StatusCode, body: impl serde::Serialize) -> Result<Self, AppError> {
        Ok(Self {
            status,
            body: serde_json::to_value(body).map_err(AppError::internal)?,
        })
    }
}

/// What the caller gets back: the reply, and whether it is a replay.
#[derive(Debug)]
pub struct Outcome {
    pub reply: Reply,
    pub replayed: bool,
}

/// A client's `Idempotency-Key` and the identity of the request it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}

pub type Job = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<Reply, AppError>> + Send>;

struct Request {
    actor: Option<UserId>,
    idempotency: Option<Idempotency>,
    job: Job,
    respond: oneshot::Sender<Result<Outcome, AppError>>,
}

/// A job's view of the batch: its savepoint, and the way to append events.
pub struct Tx {
    conn: DatabaseTransaction,
    head: Head,
    actor: Option<UserId>,
}

impl Tx {
    /// The connection, inside the batch's transaction: reads see earlier jobs' writes.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.conn
    }

    pub fn actor(&self) -> Option<UserId> {
        self.actor
    }

    /// The head of the chain as this job sees it.
    pub fn head(&self) -> &Head {
        &self.head
    }

    /// Appends an event to the chain and applies it to the projections.
    pub async fn record(
        &mut self,
        site: Option<SiteId>,
        subject: Subject,
        change: Change,
    ) -> Result<Event, AppError> {
        let (kind, payload) = change.to_parts()?;
        let at = chain::truncate_to_micros(Utc::now());
        let event = seal(&self.head, at, self.actor, site, subject, kind, payload)?;
        let payload_text = chain::canonical_text(&event.payload).map_err(AppError::internal)?;
        event::ActiveModel {
            seq: Set(event.seq),
            id: Set(event.id),
            at: Set(event.at),
            actor_id: Set(event.actor_id),
            site_id: Set(event.site_id),
            subject_type: Set(event.subject_type.clone()),
            subject_id: Set(event.subject_id),
            kind: Set(event.kind.clone()),
            payload: Set(payload_text),
            prev_hash: Set(event.prev_hash.clone()),
            hash: Set(event.hash.clone()),
        }
        .insert(&self.conn)
        .await?;
        projection::apply(&self.conn, &event, &change).await?;
        self.head = Head {
            seq: event.seq,
            hash: event.hash.clone(),
        };
        Ok(event)
    }
}

/// Builds the next event of the chain after `head`.
fn seal(
    head: &Head,
    at: DateTime<Utc>,
    actor: Option<UserId>,
    site: Option<SiteId>,
    subject: Subject,
    kind: String,
    payload: Value,
) -> Result<Event, AppError> {
    let seq = head.seq + 1;
    let id = EventId::generate().0;
    let hash = chain::compute_hash(&HashedEvent {
        seq,
        id,
        at: chain::format_time(at),
        actor_id: actor.map(|a| a.0),
        site_id: site.map(|s| s.0),
        subject_type: subject.kind.as_str(),
        subject_id: subject.id,
        kind: &kind,
        payload: &payload,
        prev_hash: &head.hash,
    })
    .map_err(AppError::internal)?;
    Ok(Event {
        seq,
        id,
        at,
        actor_id: actor.map(|a| a.0),
        site_id: site.map(|s| s.0),
        subject_type: subject.kind.as_str().to_owned(),
        subject_id: subject.id,
        kind,
        payload,
        prev_hash: head.hash.clone(),
        hash,
    })
}

/// The handle through which requests reach the writer task. Cheap to clone.
#[derive(Clone)]
pub struct LedgerWriter {
    queue: mpsc::Sender<Request>,
}

impl LedgerWriter {
    /// Starts the writer on its own thread, with its own single-threaded
    /// runtime and its own database connection. A batch runs one statement
    /// after another; on the shared runtime each of them would queue behind
    /// HTTP work before resuming, which is what bounded write latency under
    /// load. The writer stops when every handle is dropped.
    pub async fn start(settings: &Settings) -> Result<Self, AppError> {
        let (queue, jobs) = mpsc::channel(QUEUE_DEPTH);
        let (ready, connected) = oneshot::channel();
        let settings = settings.clone();
        std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        let _ = ready.send(Err(AppError::internal(err)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match crate::db::connect_with(&settings, 1).await {
                        Ok(db) => {
                            let _ = ready.send(Ok(()));
                            run(db, jobs).await;
                        }
                        Err(err) => {
                            let _ = ready.send(Err(AppError::from(err)));
                        }
                    }
                });
            })
            .map_err(AppError::internal)?;
        connected
            .await
            .map_err(|_| AppError::internal("the ledger writer thread died at start"))??;
        Ok(Self { queue })
    }

    /// Runs `job` in the next batch and waits until its batch is durably committed.
    pub async fn submit<F>(
        &self,
        actor: Option<UserId>,
        idempotency: Option<Idempotency>,
        job: F,
    ) -> Result<Outcome, AppError>
    where
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<Reply, AppError>> + Send + 'static,
    {
        let (respond, answer) = oneshot::channel();
        let request = Request {
            actor,
            idempotency,
            job: Box::new(job),
            respond,
        };
        self.queue
            .send(request)
            .await
            .map_err(|_| AppError::Unavailable("ledger writer stopped".into()))?;
        answer
            .await
            .map_err(|_| AppError::Unavailable("ledger writer stopped".into()))?
    }

    /// Whether the writer task is still running.
    pub fn is_running(&self) -> bool {
        !self.queue.is_closed()
    }
}

async fn run(db: DatabaseConnection, mut jobs: mpsc::Receiver<Request>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let size = batch.len();
        match commit_batch(&db, &mut batch).await {
            Ok(answers) => {
                tracing::debug!(batch.size = size, "ledger batch committed");
                for (respond, answer) in answers {
                    let _ = respond.send(answer);
                }
            }
            Err(err) => {
                tracing::error!(error = %err, batch.size = size, "ledger batch failed; nothing was written");
                for request in batch.drain(..) {
                    let _ = request.respond.send(Err(AppError::Unavailable(
                        "the write could not be committed".into(),
                    )));
                }
            }
        }
    }
}

type Answers = Vec<(
    oneshot::Sender<Result<Outcome, AppError>>,
    Result<Outcome, AppError>,
)>;

/// Runs every job of `batch` in one transaction. On `Err`, nothing was
/// committed and the jobs are left in `batch` to be answered by the caller.
async fn commit_batch(
    db: &DatabaseConnection,
    batch: &mut Vec<Request>,
) -> Result<Answers, AppError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let txn = db.begin_with_options(options).await?;
    let stored = ledger_head::Entity::find_by_id(1)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let first = Head {
        seq: stored.seq,
        hash: stored.hash,
    };
    let mut head = first.clone();
    let mut pending = Vec::with_capacity(batch.len());
    for request in batch.drain(..) {
        let savepoint = txn.begin().await?;
        let mut tx = Tx {
            conn: savepoint,
            head: head.clone(),
            actor: request.actor,
        };
        let result = run_job(&mut tx, request.actor, request.idempotency, request.job).await;
        let result = match result {
            Ok(outcome) => match tx.conn.commit().await {
                Ok(()) => {
                    head = tx.head;
                    Ok(outcome)
                }
                Err(err) => Err(AppError::from(err)),
            },
            Err(err) => {
                tx.conn.rollback().await?;
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
    txn.commit().await?;
    Ok(pending)
}

/// One job inside its savepoint: the idempotent replay if its key was seen,
/// else the job itself (a panicking job is an internal error, not a dead writer).
async fn run_job(
    tx: &mut Tx,
    actor: Option<UserId>,
    idempotency: Option<Idempotency>,
    job: Job,
) -> Result<Outcome, AppError> {
    let keyed = match (actor, idempotency) {
        (Some(user), Some(idem)) => Some((user, idem)),
        _ => None,
    };
    if let Some((user, idem)) = &keyed
        && let Some(seen) = idempotency_key::Entity::find_by_id((user.0, idem.key.clone()))
            .one(tx.conn())
            .await?
    {
        if seen.request_sha256 != idem.fingerprint {
            return Err(AppError::IdempotencyMismatch);
        }
        let status = StatusCode::from_u16(u16::try_from(seen.status).unwrap_or(200))
            .unwrap_or(StatusCode::OK);
        let body = serde_json::from_str(&seen.body).map_err(AppError::internal)?;
        return Ok(Outcome {
            reply: Reply { status, body },
            replayed: true,
        });
    }
    let reply = match AssertUnwindSafe(job(tx)).catch_unwind().await {
        Ok(result) => result?,
        Err(_) => return Err(AppError::internal("a write job panicked")),
    };
    if let Some((user, idem)) = keyed {
        idempotency_key::ActiveModel {
            user_id: Set(user.0),
            key: Set(idem.key),
            request_sha256: Set(idem.fingerprint),
            status: Set(i32::from(reply.status.as_u16())),
            body: Set(reply.body.to_string()),
            created_at: Set(Utc::now()),
        }
        .insert(tx.conn())
        .await?;
    }
    Ok(Outcome {
        reply,
        replayed: false,
    })
}

impl axum::response::IntoResponse for Outcome {
    fn into_response(self) -> axum::response::Response {
        let mut response =
            (self.reply.status, crate::extract::AppJson(self.reply.body)).into_response();
        if self.replayed {
            response.headers_mut().insert(
                "idempotent-replayed",
                axum::http::HeaderValue::from_static("true"),
            );
        }
        response
    }
}
