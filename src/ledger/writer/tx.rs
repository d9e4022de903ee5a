//! A job's view of its batch: its savepoint, the head it appends after, and the way to append events (numbered, hashed, stored, projected, followed by the policies).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entities::event;
use sea_orm::ActiveValue::Set;
use serde_json::Value;
use tracing::Instrument;

use super::Policies;
use crate::db::conn::Conn;
use crate::ids::{EventId, SiteId, UserId};
use crate::ledger::chain::{self, HashedEvent};
use crate::ledger::clock::Clock;
use crate::ledger::payload::{self, Payload};
use crate::ledger::personal;
use crate::ledger::{Error, Event, Head, Subject};

/// A job's view of the batch: its savepoint, and the way to append events.
pub struct Tx<E> {
    pub(super) conn: Conn,
    pub(super) head: Head,
    pub(super) actor: Option<UserId>,
    pub(super) policies: Arc<dyn Policies<E>>,
    /// Every event this job appended so far, consequences included.
    pub(super) appended: Vec<Event>,
    pub(super) clock: Clock,
}

/// An event appended, and the events the policies appended as its consequences.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub event: Event,
    pub consequences: Vec<Event>,
}

impl<E: From<Error> + Send + 'static> Tx<E> {
    /// The connection, inside the batch's transaction: reads see earlier
    /// jobs' writes. Its shortcuts (`find_by`, `insert`, `update_by`) are
    /// the writer's hot statements.
    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    pub fn actor(&self) -> Option<UserId> {
        self.actor
    }

    /// The head of the chain as this job sees it.
    pub fn head(&self) -> &Head {
        &self.head
    }

    /// The time the next event will be stamped with.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Every event this job appended so far, consequences included.
    pub fn appended(&self) -> &[Event] {
        &self.appended
    }

    /// Appends an event to the chain, applies it to the projections, and
    /// runs the policies on it (and on what they append) until nothing follows.
    pub async fn record<P: Payload>(
        &mut self,
        site: Option<SiteId>,
        subject: Subject,
        payload: P,
    ) -> Result<Recorded, E> {
        let event = self.append(site, subject, &payload).await?;
        let mark = self.appended.len();
        let policies = Arc::clone(&self.policies);
        policies.follow(self, &event, &payload).await?;
        Ok(Recorded {
            consequences: self.appended[mark..].to_vec(),
            event,
        })
    }

    async fn append<P: Payload>(
        &mut self,
        site: Option<SiteId>,
        subject: Subject,
        payload: &P,
    ) -> Result<Event, Error> {
        let mut stored = payload::to_stored(payload).map_err(Error::internal)?;
        let fields = personal::split(&mut stored, P::PERSONAL);
        let at = self.clock.now();
        let (mut event, payload_text) =
            seal(&self.head, at, self.actor, site, subject, P::KIND, stored)?;
        // Without `RETURNING`: the event is already known here, whole.
        self.conn
            .insert(event::ActiveModel {
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
            })
            .await?;
        personal::store(&self.conn, &event, &fields).await?;
        if !fields.is_empty() {
            event.personal = Some(fields);
        }
        payload
            .project(&self.conn, &event)
            .instrument(tracing::debug_span!(
                "projection",
                kind = P::KIND,
                seq = event.seq
            ))
            .await?;
        self.head = Head {
            seq: event.seq,
            hash: event.hash.clone(),
        };
        self.appended.push(event.clone());
        Ok(event)
    }
}

/// Builds the next event of the chain after `head`, with its payload's
/// canonical text (what is stored).
pub(super) fn seal(
    head: &Head,
    at: DateTime<Utc>,
    actor: Option<UserId>,
    site: Option<SiteId>,
    subject: Subject,
    kind: &str,
    payload: Value,
) -> Result<(Event, String), Error> {
    let seq = head.seq + 1;
    let id = EventId::generate().0;
    let text = chain::canonical_text(&payload).map_err(Error::internal)?;
    let hash = chain::compute_hash(&HashedEvent {
        seq,
        id,
        at: chain::format_time(at),
        actor_id: actor.map(|a| a.0),
        site_id: site.map(|s| s.0),
        subject_type: subject.kind.as_str(),
        subject_id: subject.id,
        kind,
        payload: &text,
        prev_hash: &head.hash,
    })
    .map_err(Error::internal)?;
    let event = Event {
        seq,
        id,
        at,
        actor_id: actor.map(|a| a.0),
        site_id: site.map(|s| s.0),
        subject_type: subject.kind.as_str().to_owned(),
        subject_id: subject.id,
        kind: kind.to_owned(),
        payload,
        prev_hash: head.hash.clone(),
        hash,
        personal: None,
    };
    Ok((event, text))
}
