//! What an event kind is: a payload type of its own, at a version.
//!
//! An event, once hashed, is read by auditors and replayed by every later
//! release, so its payload is a contract: a type per kind *and version*,
//! never an API's request or response type. A kind's first version is stored
//! as it always was; a later one carries `"v": N` in its payload (the hash
//! covers it), so the events written by every earlier release keep their
//! bytes and their meaning. A new version is a new type; the old one stays,
//! readable forever, and usually projects by upgrading itself to the new one.

use std::collections::HashMap;
use std::future::Future;

use futures::future::BoxFuture;
use sea_orm::DbErr;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Event;

use crate::db::conn::Conn;

/// The payload member naming a version after the first.
pub const VERSION_FIELD: &str = "v";

/// One kind of event at one version, and what it does to the projections.
pub trait Payload: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// e.g. `device.transitioned`.
    const KIND: &'static str;
    /// 1 for a kind's first shape; a payload changes only by a new version.
    const VERSION: u32;
    /// The fields that name or describe people — personal data, and free
    /// texts that may — as paths into the payload (`note`, `changes.notes`).
    /// Declared once per kind and version: readers who may not read people
    /// get the event without them.
    const PERSONAL: &'static [&'static str] = &[];

    /// Applies the event to the tables the API reads: the only code that
    /// writes them, when the event is recorded and when it is replayed.
    fn project(&self, conn: &Conn, event: &Event)
    -> impl Future<Output = Result<(), DbErr>> + Send;
}

/// The version a stored payload is written in.
pub fn version_of(payload: &Value) -> u32 {
    payload
        .get(VERSION_FIELD)
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(1)
}

/// The payload as stored: its JSON, with its version after the first.
pub fn to_stored<P: Payload>(payload: &P) -> Result<Value, serde_json::Error> {
    let mut value = serde_json::to_value(payload)?;
    if P::VERSION > 1
        && let Some(object) = value.as_object_mut()
    {
        object.insert(VERSION_FIELD.into(), P::VERSION.into());
    }
    Ok(value)
}

/// Reads a stored payload back as `P`, with the personal fields held beside
/// it that are still there (an erased one is absent).
pub fn decode<P: Payload>(event: &Event) -> Result<P, DecodeError> {
    let mut payload = event.payload.clone();
    if let Some(fields) = &event.personal {
        super::personal::merge(&mut payload, fields);
    }
    serde_json::from_value(payload).map_err(|e| DecodeError::Unreadable {
        seq: event.seq,
        kind: event.kind.clone(),
        reason: e.to_string(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("seq {seq}: no payload type for `{kind}` version {version}")]
    UnknownKind {
        seq: i64,
        kind: String,
        version: u32,
    },
    #[error("seq {seq}: `{kind}` is unreadable: {reason}")]
    Unreadable {
        seq: i64,
        kind: String,
        reason: String,
    },
    #[error("seq {seq}: {source}")]
    Database { seq: i64, source: DbErr },
}

type ReplayFn = for<'a> fn(&'a Conn, &'a Event) -> BoxFuture<'a, Result<(), DecodeError>>;

/// A line of the catalogue: a kind at a version, and how to replay it.
#[derive(Clone, Copy)]
pub struct Entry {
    pub kind: &'static str,
    pub version: u32,
    /// [`Payload::PERSONAL`] of the kind at this version.
    pub personal: &'static [&'static str],
    replay: ReplayFn,
    keep: KeepFn,
}

type KeepFn = fn(&Value) -> Option<Value>;

impl Entry {
    /// What this kind's type keeps of `payload`: decoded, then stored again;
    /// `None` if it does not decode.
    pub fn keeps(&self, payload: &Value) -> Option<Value> {
        (self.keep)(payload)
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} v{}", self.kind, self.version)
    }
}

/// The catalogue line of payload type `P`.
pub const fn entry<P: Payload>() -> Entry {
    Entry {
        kind: P::KIND,
        version: P::VERSION,
        personal: P::PERSONAL,
        replay: replay_one::<P>,
        keep: keep::<P>,
    }
}

/// What the type of a kind keeps of a payload: decoded, then stored again
/// (`None` if it does not decode). Tells a field of the type from a stray
/// one, for the test that no free text reaches the ledger unseen.
fn keep<P: Payload>(payload: &Value) -> Option<Value> {
    let decoded: P = serde_json::from_value(payload.clone()).ok()?;
    to_stored(&decoded).ok()
}

/// The catalogue line of an earlier version of `P`'s kind that `P` reads as
/// it is: the same fields, but its personal ones held inline in the payload,
/// where `P`'s are held beside the chain (`super::personal`). The version
/// changed so that a reader of the ledger alone can tell "no note" from "a
/// note, kept beside".
pub const fn earlier<P: Payload>(version: u32) -> Entry {
    assert!(version < P::VERSION, "an earlier version comes before");
    Entry {
        kind: P::KIND,
        version,
        personal: P::PERSONAL,
        replay: replay_one::<P>,
        keep: keep::<P>,
    }
}

fn replay_one<'a, P: Payload>(
    conn: &'a Conn,
    event: &'a Event,
) -> BoxFuture<'a, Result<(), DecodeError>> {
    Box::pin(async move {
        let payload: P = decode(event)?;
        payload
            .project(conn, event)
            .await
            .map_err(|source| DecodeError::Database {
                seq: event.seq,
                source,
            })
    })
}

/// Every kind the application knows, looked up by kind and version.
#[derive(Debug, Clone)]
pub struct Catalogue {
    kinds: HashMap<&'static str, Vec<Entry>>,
}

impl Catalogue {
    /// # Panics
    /// If two lines name the same kind and version: a programming error
    /// that the catalogue's own test finds.
    pub fn new(groups: &[&[Entry]]) -> Self {
        let mut kinds: HashMap<&'static str, Vec<Entry>> = HashMap::new();
        for entry in groups.iter().flat_map(|group| group.iter()) {
            let versions = kinds.entry(entry.kind).or_default();
            assert!(
                versions.iter().all(|e| e.version != entry.version),
                "{entry:?} is listed twice"
            );
            versions.push(*entry);
        }
        Self { kinds }
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.kinds.values().flatten()
    }

    pub fn get(&self, kind: &str, version: u32) -> Option<&Entry> {
        self.kinds.get(kind)?.iter().find(|e| e.version == version)
    }

    /// The event without the fields its kind declares personal
    /// ([`Payload::PERSONAL`]): what a reader who may not read people sees.
    pub fn withhold_personal(&self, event: &mut Event) {
        event.personal = None;
        // An event written before the fields were held beside the chain
        // may still carry them inline.
        if let Some(entry) = self.get(&event.kind, event.version()) {
            super::personal::remove(&mut event.payload, entry.personal);
        }
    }

    /// Applies a stored event to the projections, with the payload type of its kind and version.
    pub async fn replay(&self, conn: &Conn, event: &Event) -> Result<(), DecodeError> {
        let version = event.version();
        let entry = self
            .get(&event.kind, version)
            .ok_or_else(|| DecodeError::UnknownKind {
                seq: event.seq,
                kind: event.kind.clone(),
                version,
            })?;
        (entry.replay)(conn, event).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct First {
        name: String,
    }

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Second {
        name: String,
        #[serde(default)]
        note: Option<String>,
    }

    impl Payload for First {
        const KIND: &'static str = "thing.named";
        const VERSION: u32 = 1;
        async fn project(&self, _: &Conn, _: &Event) -> Result<(), DbErr> {
            Ok(())
        }
    }

    impl Payload for Second {
        const KIND: &'static str = "thing.named";
        const VERSION: u32 = 2;
        const PERSONAL: &'static [&'static str] = &["note", "changes.name", "absent.field"];
        async fn project(&self, _: &Conn, _: &Event) -> Result<(), DbErr> {
            Ok(())
        }
    }

    fn stored(payload: Value) -> Event {
        Event {
            seq: 7,
            id: uuid::Uuid::nil(),
            at: chrono::Utc::now(),
            actor_id: None,
            site_id: None,
            subject_type: "thing".into(),
            subject_id: uuid::Uuid::nil(),
            kind: "thing.named".into(),
            payload,
            prev_hash: String::new(),
            hash: String::new(),
            personal: None,
        }
    }

    #[test]
    fn a_first_version_is_stored_as_it_always_was_and_a_later_one_says_its_version() {
        let first = to_stored(&First { name: "a".into() }).unwrap();
        assert_eq!(first, serde_json::json!({"name": "a"}));
        assert_eq!(version_of(&first), 1);
        let second = to_stored(&Second {
            name: "a".into(),
            note: None,
        })
        .unwrap();
        assert_eq!(second["v"], 2);
        assert_eq!(version_of(&second), 2);
        // Each version reads back as its own type.
        let back: Second = decode(&stored(second)).unwrap();
        assert_eq!(back.name, "a");
        let old: First = decode(&stored(first)).unwrap();
        assert_eq!(old, First { name: "a".into() });
    }

    #[test]
    fn what_a_version_declares_personal_is_withheld_top_level_and_nested() {
        let catalogue = Catalogue::new(&[&[entry::<First>(), entry::<Second>()]]);
        let mut event = stored(serde_json::json!({
            "v": 2, "name": "kept", "note": "Mme Le Gall", "changes": {"name": "M. Kerjean", "grade": "A"}
        }));
        catalogue.withhold_personal(&mut event);
        assert_eq!(
            event.payload,
            serde_json::json!({"v": 2, "name": "kept", "changes": {"grade": "A"}})
        );
        // Version 1 declares nothing: its payload stays as it is.
        let mut old = stored(serde_json::json!({"name": "M. Kerjean", "note": "x"}));
        catalogue.withhold_personal(&mut old);
        assert_eq!(old.payload["note"], "x");
    }

    #[test]
    fn the_catalogue_tells_versions_apart_and_refuses_a_kind_it_does_not_know() {
        let catalogue = Catalogue::new(&[&[entry::<First>(), entry::<Second>()]]);
        assert!(catalogue.get("thing.named", 1).is_some());
        assert!(catalogue.get("thing.named", 2).is_some());
        assert!(catalogue.get("thing.named", 3).is_none());
        assert!(catalogue.get("thing.renamed", 1).is_none());
    }

    #[test]
    #[should_panic(expected = "listed twice")]
    fn a_kind_and_version_listed_twice_is_a_programming_error() {
        Catalogue::new(&[&[entry::<First>()], &[entry::<First>()]]);
    }
}
