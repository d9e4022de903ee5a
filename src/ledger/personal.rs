//! What an event says of a person, held beside the chain.
//!
//! A payload type declares the fields that name or describe people
//! ([`super::Payload::PERSONAL`]: a name, an e-mail, a witness, a note).
//! When an event is appended, those fields leave the payload for a row of
//! `event_personal_fields`, keyed by the event's `seq` and the field's path;
//! the event's hash covers the payload without them. Reading an event
//! ([`attach`]) brings them back beside the payload, a replay merges them in
//! ([`super::payload::decode`]), and erasing a person deletes their rows
//! ([`erase`]): the chain stays whole, and the replay rebuilds everything but
//! what was erased. This is the one place personal data of the ledger lives;
//! the events written before it (which held them inline) are redacted
//! instead (`super::redaction`).

use entities::event_personal_field;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::Event;

/// The personal fields of one event: path (`note`, `changes.display_name`) → value.
pub type Fields = Map<String, Value>;

/// The object holding `path`'s last segment, and that segment.
fn parent_of<'v>(
    payload: &'v mut Value,
    path: &'v str,
) -> Option<(&'v mut Map<String, Value>, &'v str)> {
    let (parent, field) = path.rsplit_once('.').unwrap_or(("", path));
    let pointer = if parent.is_empty() {
        String::new()
    } else {
        format!("/{}", parent.replace('.', "/"))
    };
    let object = payload.pointer_mut(&pointer)?.as_object_mut()?;
    Some((object, field))
}

/// Takes the fields at `paths` out of `payload`; a `null` or absent field
/// says nothing of anyone and stays as it is.
pub fn split(payload: &mut Value, paths: &[&str]) -> Fields {
    let mut fields = Fields::new();
    for path in paths {
        if let Some((object, field)) = parent_of(payload, path)
            && object.get(field).is_some_and(|v| !v.is_null())
            && let Some(value) = object.remove(field)
        {
            fields.insert((*path).to_owned(), value);
        }
    }
    fields
}

/// Puts `fields` back into `payload` at their paths.
pub fn merge(payload: &mut Value, fields: &Fields) {
    for (path, value) in fields {
        if let Some((object, field)) = parent_of(payload, path) {
            object.insert(field.to_owned(), value.clone());
        }
    }
}

/// Removes the fields at `paths` from `payload`, returning the paths that
/// were there (with a value): what a redaction or a withholding took.
pub fn remove(payload: &mut Value, paths: &[&str]) -> Vec<String> {
    split(payload, paths)
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// Stores the personal fields of an appended event.
pub async fn store(
    conn: &impl ConnectionTrait,
    event: &Event,
    fields: &Fields,
) -> Result<(), DbErr> {
    if fields.is_empty() {
        return Ok(());
    }
    let rows = fields
        .iter()
        .map(|(path, value)| event_personal_field::ActiveModel {
            seq: Set(event.seq),
            path: Set(path.clone()),
            subject_id: Set(event.subject_id),
            value: Set(value.to_string()),
        });
    event_personal_field::Entity::insert_many(rows)
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets `personal` on each event from the rows beside it (`None` where
/// there are none: nothing was said of anyone, or it was erased).
pub async fn attach(db: &impl ConnectionTrait, events: &mut [Event]) -> Result<(), DbErr> {
    let mut rows = Vec::new();
    // By the events' own seqs, a bounded number at a time (SQLite takes at
    // most 32,766 parameters): a history is a page, or a person's events.
    for chunk in events.chunks(1000) {
        rows.extend(
            event_personal_field::Entity::find()
                .filter(event_personal_field::Column::Seq.is_in(chunk.iter().map(|e| e.seq)))
                .all(db)
                .await?,
        );
    }
    attach_rows(events, &rows);
    Ok(())
}

/// Sets `personal` on each event from `rows`, read already.
pub fn attach_rows(events: &mut [Event], rows: &[event_personal_field::Model]) {
    let mut by_seq: std::collections::HashMap<i64, Fields> = std::collections::HashMap::new();
    for row in rows {
        let value =
            serde_json::from_str(&row.value).unwrap_or_else(|_| Value::String(row.value.clone()));
        by_seq
            .entry(row.seq)
            .or_default()
            .insert(row.path.clone(), value);
    }
    for event in events {
        event.personal = by_seq.remove(&event.seq);
    }
}

/// The rows beside the events `low..=high`, as stored: what a replay copies.
pub async fn rows_between(
    db: &impl ConnectionTrait,
    low: i64,
    high: i64,
) -> Result<Vec<event_personal_field::Model>, DbErr> {
    event_personal_field::Entity::find()
        .filter(event_personal_field::Column::Seq.between(low, high))
        .order_by_asc(event_personal_field::Column::Seq)
        .all(db)
        .await
}

/// Deletes what the events about `subjects` say of people — only the fields
/// at `paths`, when given (a company's contact goes, its name stays).
/// Returns how many fields were erased.
pub async fn erase(
    conn: &impl ConnectionTrait,
    subjects: &[Uuid],
    paths: Option<&[&str]>,
) -> Result<u64, DbErr> {
    if subjects.is_empty() {
        return Ok(0);
    }
    let mut delete = event_personal_field::Entity::delete_many()
        .filter(event_personal_field::Column::SubjectId.is_in(subjects.iter().copied()));
    if let Some(paths) = paths {
        delete = delete.filter(event_personal_field::Column::Path.is_in(paths.iter().copied()));
    }
    Ok(delete.exec(conn).await?.rows_affected)
}

/// Deletes what the events `seqs` say of people at `paths`: for the events
/// that name a person who is not their subject (an erasure's operator).
pub async fn erase_events(
    conn: &impl ConnectionTrait,
    seqs: &[i64],
    paths: &[&str],
) -> Result<u64, DbErr> {
    if seqs.is_empty() || paths.is_empty() {
        return Ok(0);
    }
    let deleted = event_personal_field::Entity::delete_many()
        .filter(event_personal_field::Column::Seq.is_in(seqs.iter().copied()))
        .filter(event_personal_field::Column::Path.is_in(paths.iter().copied()))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn personal_fields_leave_the_payload_and_come_back_to_their_paths() {
        let original = json!({
            "v": 2, "state": "delivered", "note": "Mme Le Gall",
            "changes": {"display_name": "M. Kerjean", "role": "technician"},
            "witness": null
        });
        let mut payload = original.clone();
        let fields = split(
            &mut payload,
            &["note", "changes.display_name", "witness", "absent.path"],
        );
        assert_eq!(
            payload,
            json!({"v": 2, "state": "delivered", "changes": {"role": "technician"}, "witness": null})
        );
        assert_eq!(fields.len(), 2, "{fields:?}");
        merge(&mut payload, &fields);
        assert_eq!(payload, original);
    }

    #[test]
    fn removing_reports_only_the_fields_that_held_something() {
        let mut payload = json!({"note": "x", "witness": null});
        assert_eq!(
            remove(&mut payload, &["note", "witness", "reason"]),
            vec!["note"]
        );
        assert_eq!(payload, json!({"witness": null}));
    }
}
