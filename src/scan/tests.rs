use super::*;

#[test]
fn the_tag_is_read_from_a_label_url() {
    assert_eq!(
        tag_in_url("https://a.example/d/BRE-004217-K"),
        Some("BRE-004217-K")
    );
    assert_eq!(
        tag_in_url("http://x/d/BRE-004217-K/?utm=1"),
        Some("BRE-004217-K")
    );
    assert_eq!(tag_in_url("BRE-004217-K"), None);
    assert_eq!(tag_in_url("https://a.example/d/"), None);
}

#[test]
fn a_loose_sanitized_medium_may_be_reinstalled_or_destroyed() {
    use crate::media::MediumState;
    let principal = Principal {
        user_id: crate::ids::UserId(uuid::Uuid::nil()),
        email: "t@x".into(),
        role: crate::principal::Role::Technician,
        site_id: None,
        language: None,
    };
    let medium = Medium {
        id: crate::ids::MediumId(uuid::Uuid::nil()),
        site_id: crate::ids::SiteId(uuid::Uuid::nil()),
        device_id: None,
        source_device_id: None,
        asset_tag: "BRE-000001-X".into(),
        kind: crate::media::MediumKind::Ssd,
        manufacturer: None,
        model: None,
        serial_number: None,
        capacity_bytes: None,
        interface: None,
        state: MediumState::Sanitized,
        version: 1,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };
    assert_eq!(
        medium_actions(&principal, &medium),
        ["reinstall", "record_erasure", "destroy"]
    );
    let viewer = Principal {
        role: crate::principal::Role::Viewer,
        ..principal
    };
    assert!(medium_actions(&viewer, &medium).is_empty());
}
