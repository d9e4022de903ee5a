use super::*;
use proptest::prelude::*;

fn fixture(name: &str) -> Hardware {
    let path = format!(
        "{}/tests/fixtures/hardware/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let json: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    parse(&json).unwrap()
}

#[test]
fn a_thinkpad_nvme_serial_comes_from_its_controller_and_the_card_reader_is_left_out() {
    let hw = fixture("lshw_lenovo_thinkpad_x1_carbon_5th.json");
    assert_eq!(hw.manufacturer.as_deref(), Some("LENOVO"));
    assert_eq!(hw.serial_number.as_deref(), Some("PF0QMY5N"));
    assert_eq!(hw.kind, Some(DeviceKind::Laptop));
    assert_eq!(
        hw.cpu.as_deref(),
        Some("Intel(R) Core(TM) i7-7500U CPU @ 2.70GHz")
    );
    assert_eq!(hw.ram_mib, Some(16256));
    assert_eq!(hw.disks.len(), 1);
    let nvme = &hw.disks[0];
    assert_eq!(nvme.kind, MediumKind::Nvme);
    assert_eq!(nvme.serial_number.as_deref(), Some("S35ANX0J401001"));
    assert_eq!(nvme.model.as_deref(), Some("SAMSUNG MZVLW1T0HMLH-000L7"));
    assert_eq!(nvme.capacity_bytes, Some(1_024_209_543_168));
    assert_eq!(nvme.logical_name.as_deref(), Some("/dev/nvme0n1"));
    assert_eq!(
        hw.ignored.len(),
        2,
        "two empty card-reader slots: {:?}",
        hw.ignored
    );
    assert_eq!(storage_summary(&hw.disks).as_deref(), Some("1 TB NVMe"));
}

#[test]
fn a_toshiba_with_sorted_keys_placeholders_a_usb_stick_and_a_dvd() {
    let hw = fixture("lshw_toshiba_satellite_l655.json");
    assert_eq!(hw.manufacturer.as_deref(), Some("TOSHIBA"));
    assert_eq!(hw.kind, Some(DeviceKind::Laptop));
    assert_eq!(
        hw.cpu.as_deref(),
        Some("Intel(R) Core(TM) i5 CPU M 480 @ 2.67GHz")
    );
    assert_eq!(hw.ram_mib, Some(4096));
    assert_eq!(hw.disks.len(), 1);
    assert_eq!(hw.disks[0].serial_number.as_deref(), Some("TF0500WJ1T3N4V"));
    assert_eq!(hw.disks[0].kind, MediumKind::Hdd);
    assert_eq!(hw.disks[0].capacity_bytes, Some(500_107_862_016));
    let reasons: Vec<&str> = hw.ignored.iter().map(|i| i.reason.as_str()).collect();
    assert!(
        reasons.iter().any(|r| r.starts_with("removable USB")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"optical drive"), "{reasons:?}");
}

#[test]
fn an_hp_desktop_ssd_and_a_virtual_machine_disk() {
    let hw = fixture("lshw_hp_compaq_8100_elite_sff.json");
    assert_eq!(hw.kind, Some(DeviceKind::Desktop));
    assert_eq!(hw.ram_mib, Some(8192));
    assert_eq!(hw.disks.len(), 1);
    assert_eq!(hw.disks[0].kind, MediumKind::Ssd);
    assert_eq!(hw.disks[0].serial_number.as_deref(), Some("173586804248"));
    assert_eq!(hw.disks[0].manufacturer.as_deref(), Some("Western Digital"));

    let vm = fixture("lshw_vm.json");
    assert_eq!(vm.ram_mib, Some(24576));
    assert_eq!(vm.cpu.as_deref(), Some("Intel(R) Xeon(R) Processor"));
    assert_eq!(vm.kind, None);
    // The virtio disk reports no size in this snapshot; it is tracked all the same.
    assert_eq!(vm.disks.len(), 1);
    assert_eq!(
        (vm.disks[0].kind, vm.disks[0].capacity_bytes),
        (MediumKind::Other, None)
    );
    assert_eq!(vm.disks[0].logical_name.as_deref(), Some("/dev/vda"));
    assert_eq!(vm.disks[0].interface.as_deref(), Some("virtio"));
}

#[test]
fn placeholders_are_not_values() {
    for placeholder in [
        "To be filled by O.E.M.",
        "OEM_Define5",
        "System Serial Number",
        "Default string",
        "0123456789",
        " ",
    ] {
        assert!(is_placeholder(placeholder), "{placeholder}");
    }
    assert!(!is_placeholder("PF0QMY5N"));
}

#[test]
fn other_json_is_not_lshw() {
    assert_eq!(
        parse(&serde_json::json!({"hello": "world"})),
        Err(LshwError::NotLshw)
    );
    assert_eq!(parse(&serde_json::json!([])), Err(LshwError::NotLshw));
    assert_eq!(parse(&serde_json::json!("lshw")), Err(LshwError::NotLshw));
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            "disk",
            "storage",
            "processor",
            "memory",
            "nvme",
            "medium",
            "usb@1",
            "bytes",
            "/dev/sda"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "class",
                    "id",
                    "children",
                    "size",
                    "units",
                    "serial",
                    "product",
                    "logicalname",
                    "businfo",
                    "configuration",
                    "driver"
                ]),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_json_parses_without_panicking(json in arbitrary_json()) {
        let _ = parse(&json);
    }
}
