use super::*;

#[test]
fn a_client_opens_so_many_public_pages_a_minute_and_others_are_not_held_up() {
    let pages = PublicPages::default();
    let here = Some(IpAddr::from([192, 0, 2, 1]));
    let start = Instant::now();
    for _ in 0..PER_MINUTE {
        assert_eq!(pages.take(here, start), None);
    }
    assert!(pages.take(here, start).is_some());
    assert_eq!(pages.take(Some(IpAddr::from([192, 0, 2, 2])), start), None);
    assert_eq!(pages.take(here, start + WINDOW), None);
}

#[test]
fn only_the_pages_without_sign_in_are_public() {
    for path in [
        "/verify/BRE-2026-0001",
        "/portal/rp_x",
        "/api/v1/portal/rp_x",
        "/d/BRE-000001-K",
    ] {
        assert!(is_public(path), "{path}");
    }
    for path in [
        "/scan",
        "/api/v1/devices",
        "/login",
        "/api/v1/portal-links/x/revoke",
    ] {
        assert!(!is_public(path), "{path}");
    }
}
