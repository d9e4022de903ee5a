use super::*;
use proptest::prelude::*;
use serde_json::json;

/// The event of `text`, a payload's canonical text.
fn sample(text: &str) -> HashedEvent<'_> {
    HashedEvent {
        seq: 1,
        id: Uuid::nil(),
        at: "2026-11-22T10:00:00.000000Z".into(),
        actor_id: None,
        site_id: None,
        subject_type: "site",
        subject_id: Uuid::nil(),
        kind: "site.created",
        payload: text,
        prev_hash: GENESIS_HASH,
    }
}

fn hash(payload: &Value) -> String {
    compute_hash(&sample(&canonical_text(payload).unwrap())).unwrap()
}

#[test]
fn a_payload_is_stored_as_its_rfc_8785_text() {
    let payload = json!({"b": 1, "a": [2.5, "é\u{2028}"], "c": {"z": null, "y": true}});
    assert_eq!(
        canonical_text(&payload).unwrap(),
        "{\"a\":[2.5,\"é\u{2028}\"],\"b\":1,\"c\":{\"y\":true,\"z\":null}}"
    );
}

#[test]
fn the_hash_is_over_the_canonical_form_whatever_the_key_order() {
    let a = json!({"name": "Brest", "code": "BRE"});
    let b: Value = serde_json::from_str(r#"{ "code":"BRE",  "name":"Brest" }"#).unwrap();
    assert_eq!(hash(&a), hash(&b));
}

#[test]
fn the_hash_matches_an_independent_computation() {
    // sha256(32 zero bytes ‖ JCS text), computed by hand once and frozen here.
    let payload = json!({"code": "BRE", "name": "Brest"});
    let jcs = r#"{"actor_id":null,"at":"2026-11-22T10:00:00.000000Z","id":"00000000-0000-0000-0000-000000000000","kind":"site.created","payload":{"code":"BRE","name":"Brest"},"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","seq":1,"site_id":null,"subject_id":"00000000-0000-0000-0000-000000000000","subject_type":"site"}"#;
    let mut hasher = Sha256::new();
    hasher.update([0u8; 32]);
    hasher.update(jcs.as_bytes());
    assert_eq!(hash(&payload), hex::encode(hasher.finalize()));
}

#[test]
fn any_change_changes_the_hash() {
    let payload = json!({"code": "BRE"});
    let base = hash(&payload);
    let text = canonical_text(&payload).unwrap();
    let mut other = sample(&text);
    other.seq = 2;
    assert_ne!(compute_hash(&other).unwrap(), base);
    let changed = json!({"code": "BRF"});
    assert_ne!(hash(&changed), base);
}

#[test]
fn times_keep_microseconds() {
    let at = DateTime::parse_from_rfc3339("2026-11-22T10:00:00.123456789Z")
        .unwrap()
        .to_utc();
    assert_eq!(
        format_time(truncate_to_micros(at)),
        "2026-11-22T10:00:00.123456Z"
    );
}

/// The event as the chain hashed it with `serde_jcs`, before `chain::jcs`:
/// every ledger already written was hashed so.
#[derive(serde::Serialize)]
struct Hashed<'a> {
    seq: i64,
    id: Uuid,
    at: &'a str,
    actor_id: Option<Uuid>,
    site_id: Option<Uuid>,
    subject_type: &'a str,
    subject_id: Uuid,
    kind: &'a str,
    payload: &'a Value,
    prev_hash: &'a str,
}

fn hash_by_serde_jcs(event: &Hashed<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(hex::decode(event.prev_hash).unwrap());
    hasher.update(serde_jcs::to_vec(event).unwrap());
    hex::encode(hasher.finalize())
}

/// Any JSON: every kind of number, strings with escapes, control
/// characters, and characters beyond the Basic Multilingual Plane (whose
/// keys sort differently in UTF-8 and UTF-16), nested.
fn any_json() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        "[a-z_]{0,8}",
        any::<String>(),
        "[\u{0}-\u{1f}\"\\\\/\u{7f}é\u{2028}\u{e000}-\u{ffff}\u{10000}-\u{10ffff}]{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no infinities nor NaN", |f| f.is_finite())
            .prop_map(Value::from),
        text.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(text.clone(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn any_uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The canonical text is byte for byte what `serde_jcs` wrote.
    #[test]
    fn the_text_is_serde_jcs_text(value in any_json()) {
        prop_assert_eq!(canonical_text(&value).unwrap(), serde_jcs::to_string(&value).unwrap());
    }

    /// And so is every hash: a ledger written by an earlier release verifies.
    #[test]
    fn the_hash_is_the_one_serde_jcs_gave(
        payload in any_json(),
        seq in 1i64..(1 << 53),
        ids in (any_uuid(), any_uuid(), proptest::option::of(any_uuid()), proptest::option::of(any_uuid())),
        words in ("[a-z._]{1,24}", "[a-z_]{1,12}", any::<String>()),
        prev in any::<[u8; 32]>(),
    ) {
        let (id, subject_id, actor_id, site_id) = ids;
        let (kind, subject_type, at) = words;
        let prev_hash = hex::encode(prev);
        let text = canonical_text(&payload).unwrap();
        let ours = compute_hash(&HashedEvent {
            seq, id, at: at.clone(), actor_id, site_id,
            subject_type: &subject_type, subject_id, kind: &kind,
            payload: &text, prev_hash: &prev_hash,
        }).unwrap();
        let theirs = hash_by_serde_jcs(&Hashed {
            seq, id, at: &at, actor_id, site_id,
            subject_type: &subject_type, subject_id, kind: &kind,
            payload: &payload, prev_hash: &prev_hash,
        });
        prop_assert_eq!(ours, theirs);
    }
}
