use super::*;

const HERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1)));
const THERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7)));

#[test]
fn the_first_failures_are_free_then_waits_double_up_to_a_ceiling() {
    let waits: Vec<u64> = (0..16).map(|n| wait_after(n).as_secs()).collect();
    assert_eq!(&waits[..8], &[0, 0, 0, 1, 2, 4, 8, 16]);
    assert_eq!(wait_after(40), LONGEST_WAIT);
}

#[test]
fn an_email_waits_after_repeated_failures_from_one_client_only() {
    let throttle = LoginThrottle::default();
    let start = Instant::now();
    for _ in 0..FREE_ATTEMPTS {
        assert_eq!(throttle.wait_at(HERE, "a@x", start), None);
        throttle.failed_at(HERE, "a@x", start);
    }
    assert_eq!(
        throttle.wait_at(HERE, "a@x", start),
        Some(Duration::from_secs(1))
    );
    assert_eq!(
        throttle.wait_at(THERE, "a@x", start),
        None,
        "the person, elsewhere, is not locked out"
    );
    assert_eq!(throttle.wait_at(HERE, "b@x", start), None);
    throttle.succeeded(HERE, "a@x");
    assert_eq!(throttle.wait_at(HERE, "a@x", start), None);
}

#[test]
fn a_client_trying_many_emails_waits_and_so_does_everyone_past_the_global_bound() {
    let throttle = LoginThrottle::default();
    let start = Instant::now();
    for n in 0..PER_CLIENT {
        assert_eq!(throttle.wait_at(HERE, &format!("{n}@x"), start), None);
    }
    let wait = throttle.wait_at(HERE, "next@x", start).unwrap();
    assert!(wait <= WINDOW && wait > Duration::ZERO, "{wait:?}");
    assert_eq!(throttle.wait_at(THERE, "next@x", start), None);
    // A minute later the window has moved on.
    assert_eq!(throttle.wait_at(HERE, "next@x", start + WINDOW), None);

    let crowd = LoginThrottle::default();
    for n in 0..GLOBAL {
        let client = Some(IpAddr::V6(std::net::Ipv6Addr::from(n as u128)));
        assert_eq!(crowd.wait_at(client, "x@x", start), None);
    }
    assert!(crowd.wait_at(THERE, "x@x", start).is_some());
}
