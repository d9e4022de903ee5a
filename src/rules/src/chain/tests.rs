use super::*;
use serde_json::json;

fn sample(payload: &Value) -> HashedEvent<'_> {
    HashedEvent {
        seq: 1,
        id: Uuid::nil(),
        at: "2026-11-22T10:00:00.000000Z".into(),
        actor_id: None,
        site_id: None,
        subject_type: "site",
        subject_id: Uuid::nil(),
        kind: "site.created",
        payload,
        prev_hash: GENESIS_HASH,
    }
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
    assert_eq!(
        compute_hash(&sample(&a)).unwrap(),
        compute_hash(&sample(&b)).unwrap()
    );
}

#[test]
fn the_hash_matches_an_independent_computation() {
    // sha256(32 zero bytes ‖ JCS text), computed by hand once and frozen here.
    let payload = json!({"code": "BRE", "name": "Brest"});
    let jcs = r#"{"actor_id":null,"at":"2026-11-22T10:00:00.000000Z","id":"00000000-0000-0000-0000-000000000000","kind":"site.created","payload":{"code":"BRE","name":"Brest"},"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","seq":1,"site_id":null,"subject_id":"00000000-0000-0000-0000-000000000000","subject_type":"site"}"#;
    let mut hasher = Sha256::new();
    hasher.update([0u8; 32]);
    hasher.update(jcs.as_bytes());
    assert_eq!(
        compute_hash(&sample(&payload)).unwrap(),
        hex::encode(hasher.finalize())
    );
}

#[test]
fn any_change_changes_the_hash() {
    let payload = json!({"code": "BRE"});
    let base = compute_hash(&sample(&payload)).unwrap();
    let mut other = sample(&payload);
    other.seq = 2;
    assert_ne!(compute_hash(&other).unwrap(), base);
    let changed = json!({"code": "BRF"});
    assert_ne!(compute_hash(&sample(&changed)).unwrap(), base);
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
