//! An audit's reconciliation, as pure functions: which items the shelf
//! should hold, and what the scans found missing or unexpected.

use uuid::Uuid;

use super::{Item, Report, Scanned, Surprise, Unexpected};
use crate::devices::DeviceState;
use crate::ids::SiteId;
use crate::media::MediumState;

/// Devices in these states should be on a shelf of their site.
pub fn on_the_shelf(state: DeviceState) -> bool {
    !state.is_terminal() && state != DeviceState::Delivered
}

/// Loose media (out of any device) should be on a shelf unless destroyed.
pub fn medium_on_the_shelf(state: MediumState) -> bool {
    state != MediumState::Destroyed
}

/// The report of an audit of `site`: a pure function of what should be
/// there and what was scanned (each item counted once, however often scanned).
pub fn report(site: SiteId, expected: &[Item], scans: &[Scanned]) -> Report {
    use std::collections::{BTreeMap, HashSet};
    let expected_ids: HashSet<Uuid> = expected.iter().map(|i| i.id).collect();
    let mut found: HashSet<Uuid> = HashSet::new();
    let mut unexpected: BTreeMap<String, Surprise> = BTreeMap::new();
    for scan in scans {
        match &scan.item {
            Some(item) if expected_ids.contains(&item.id) => {
                found.insert(item.id);
            }
            Some(item) => {
                let reason = if item.site_id != site.0 {
                    Unexpected::OtherSite
                } else {
                    Unexpected::NotOnShelf
                };
                unexpected
                    .entry(item.asset_tag.clone())
                    .or_insert(Surprise {
                        code: scan.code.clone(),
                        reason,
                        item: Some(item.clone()),
                    });
            }
            None => {
                unexpected
                    .entry(scan.code.trim().to_uppercase())
                    .or_insert(Surprise {
                        code: scan.code.clone(),
                        reason: Unexpected::UnknownCode,
                        item: None,
                    });
            }
        }
    }
    let mut missing: Vec<Item> = expected
        .iter()
        .filter(|i| !found.contains(&i.id))
        .cloned()
        .collect();
    missing.sort_by(|a, b| a.asset_tag.cmp(&b.asset_tag));
    Report {
        expected_count: expected.len(),
        found_count: found.len(),
        missing,
        unexpected: unexpected.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: u128, site: Uuid, state: &str) -> Item {
        Item {
            id: Uuid::from_u128(n),
            item_type: "device".into(),
            asset_tag: format!("BRE-{n:06}-X"),
            state: state.into(),
            site_id: site,
        }
    }

    #[test]
    fn missing_and_unexpected_items_are_told_apart_and_counted_once() {
        let site = Uuid::from_u128(1000);
        let other = Uuid::from_u128(2000);
        let expected = vec![
            item(1, site, "ready"),
            item(2, site, "received"),
            item(3, site, "erasing"),
        ];
        let scan = |code: &str, item: Option<Item>| Scanned {
            code: code.into(),
            item,
        };
        let scans = vec![
            scan("a", Some(expected[0].clone())),
            scan("a again", Some(expected[0].clone())),
            scan("b", Some(expected[2].clone())),
            scan("delivered", Some(item(4, site, "delivered"))),
            scan("elsewhere", Some(item(5, other, "ready"))),
            scan("garbage", None),
            scan("GARBAGE ", None),
        ];
        let report = report(SiteId(site), &expected, &scans);
        assert_eq!((report.expected_count, report.found_count), (3, 2));
        assert_eq!(report.missing, vec![expected[1].clone()]);
        let reasons: Vec<Unexpected> = report.unexpected.iter().map(|s| s.reason).collect();
        assert_eq!(reasons.len(), 3, "{:?}", report.unexpected);
        assert!(reasons.contains(&Unexpected::NotOnShelf));
        assert!(reasons.contains(&Unexpected::OtherSite));
        assert!(reasons.contains(&Unexpected::UnknownCode));
    }

    #[test]
    fn only_devices_still_in_the_workshop_are_expected() {
        let expected: Vec<DeviceState> = DeviceState::ALL
            .into_iter()
            .filter(|s| on_the_shelf(*s))
            .collect();
        assert!(
            expected.contains(&DeviceState::Reserved),
            "reserved devices wait on a shelf"
        );
        assert!(!expected.contains(&DeviceState::Delivered));
        assert!(!expected.contains(&DeviceState::Lost));
        assert!(!medium_on_the_shelf(MediumState::Destroyed));
    }
}
