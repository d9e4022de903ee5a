//! No free text reaches the ledger's payloads unseen. Every kind of event
//! is written through the API; then each string field of each kind — those
//! its events hold, and those a vocabulary of free-text names finds in its
//! type — is set to a marker and stored as the writer stores it. The marker
//! may stay in the payload (which the hash covers, forever) only where the
//! kind's field is declared to say nothing of people
//! (`each domain's events::NOT_ABOUT_PEOPLE`); everywhere else it must go beside the
//! chain, where it can be erased (`Payload::PERSONAL`).

use std::collections::{BTreeMap, BTreeSet};

use retrace::catalogue::{catalogue, not_about_people};
use retrace::ledger::personal;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const MARKER: &str = "MARKER-Kerjean-4bd1";

/// Names a free text goes by: probed on every kind, at the top of its
/// payload and under `changes`, to find the optional fields no event held.
const VOCABULARY: &[&str] = &[
    "note",
    "notes",
    "comment",
    "comments",
    "description",
    "reason",
    "label",
    "witness",
    "name",
    "display_name",
    "email",
    "phone",
    "address",
    "contact",
    "contact_name",
    "contact_email",
    "contact_phone",
    "answer",
    "fault_description",
    "referring_partner",
    "holder",
    "operator_name",
    "validator_name",
    "signatory",
    "remarks",
    "message",
    "title",
    "details",
    "text",
];

/// Every string leaf of `value`, by dotted path; `[]` marks an array
/// (`items[].asset_tag`), whose elements `ledger::personal` cannot hold
/// beside the chain one by one: a free text there must be about no one.
fn strings(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::String(_) => {
            out.insert(prefix.to_owned());
        }
        Value::Object(members) => {
            for (key, member) in members {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                strings(member, &path, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                strings(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// Sets the field at `path` (in every element of an array on the way);
/// false if the path leads nowhere.
fn set(payload: &mut Value, path: &str, to: &Value) -> bool {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let (name, array) = match head.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (head, false),
    };
    let target = if name.is_empty() {
        Some(payload)
    } else {
        match (payload.as_object_mut(), rest, array) {
            (Some(object), None, false) => {
                object.insert(name.to_owned(), to.clone());
                return true;
            }
            (Some(object), _, _) => object.get_mut(name),
            (None, _, _) => None,
        }
    };
    let Some(target) = target else { return false };
    match (target, rest, array) {
        (Value::Array(items), rest, true) => {
            let mut any = false;
            for item in items {
                any |= match rest {
                    Some(rest) => set(item, rest, to),
                    None => {
                        *item = to.clone();
                        true
                    }
                };
            }
            any
        }
        (target, Some(rest), false) => set(target, rest, to),
        _ => false,
    }
}

#[tokio::test]
async fn no_free_text_reaches_a_payload_in_clear_unless_declared_not_about_people() {
    let app = TestApp::spawn().await;
    let site = app.site("BRE").await;
    let lot = app.lot(&app.admin, site).await;
    let device = app
        .device(&app.admin, json!({"lot_id": lot, "kind": "laptop"}))
        .await;
    app.add_medium(&app.admin, device["id"].as_str().unwrap(), "SN-MARKERS")
        .await;
    crate::replay::every_other_kind(&app, site, &lot).await;

    // Each kind's events as written, their personal fields merged back in.
    let mut samples: BTreeMap<(String, u32), Vec<Value>> = BTreeMap::new();
    for event in app.listed("/api/v1/ledger/events").await {
        let mut payload = event["payload"].clone();
        if let Some(fields) = event["personal"].as_object() {
            personal::merge(&mut payload, fields);
        }
        let version = retrace::ledger::payload::version_of(&payload);
        samples
            .entry((event["kind"].as_str().unwrap().to_owned(), version))
            .or_default()
            .push(payload);
    }

    let declared: BTreeMap<&str, &[&str]> = not_about_people().copied().collect();
    let mut in_clear = BTreeSet::new();
    let mut probed = 0;
    for ((kind, version), payloads) in &samples {
        let entry = catalogue().get(kind, *version).unwrap();
        for sample in payloads {
            // Erased, its personal fields are absent: the event must still
            // read, or a replay after an erasure would stop there.
            let mut erased = sample.clone();
            personal::split(&mut erased, entry.personal);
            assert!(
                entry.keeps(&erased).is_some(),
                "{kind} v{version} does not read without its personal fields: {erased}"
            );
            let mut paths = BTreeSet::new();
            strings(sample, "", &mut paths);
            for word in VOCABULARY {
                paths.insert((*word).to_owned());
                if sample.get("changes").is_some() {
                    paths.insert(format!("changes.{word}"));
                }
            }
            for path in paths {
                let mut candidate = sample.clone();
                if !set(&mut candidate, &path, &json!(MARKER)) {
                    continue;
                }
                // The type refuses free text there (an id, a date, an enum),
                // or has no such field: nothing to hold.
                let Some(mut stored) = entry.keeps(&candidate) else {
                    continue;
                };
                if !stored.to_string().contains(MARKER) {
                    continue;
                }
                probed += 1;
                personal::split(&mut stored, entry.personal);
                let not_about_people = declared
                    .get(kind.as_str())
                    .is_some_and(|f| f.contains(&path.as_str()));
                if stored.to_string().contains(MARKER) && !not_about_people {
                    in_clear.insert(format!("{kind} v{version} `{path}`"));
                }
            }
        }
    }
    assert!(
        probed > 50,
        "only {probed} free strings probed: the world wrote too little"
    );
    assert!(
        in_clear.is_empty(),
        "free text in clear in the ledger: declare each field personal (Payload::PERSONAL) \
         or say it is not about people (each domain's events::NOT_ABOUT_PEOPLE):\n{}",
        in_clear.into_iter().collect::<Vec<_>>().join("\n")
    );

    // Every kind the code writes was probed at its latest version (a
    // redaction is written only on ledgers from before 0.3.0).
    let mut latest: BTreeMap<&str, u32> = BTreeMap::new();
    for entry in catalogue().entries() {
        let top = latest.entry(entry.kind).or_default();
        *top = (*top).max(entry.version);
    }
    for (kind, version) in latest {
        if kind == "ledger.redacted" || kind.ends_with(".personal_data_erased") {
            continue;
        }
        assert!(
            samples.contains_key(&(kind.to_owned(), version)),
            "no {kind} v{version} was written"
        );
    }
}
