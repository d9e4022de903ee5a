//! Reading `lshw -json`: the machine's identity, CPU, memory and the disks
//! with their serial numbers.
//!
//! Real output has traps this reads around: an NVMe drive's serial sits on its
//! controller (`storage`/`nvme`) while the disk (`namespace`) has the size;
//! card readers list empty `disk` nodes; a USB stick's serial may sit on its
//! `usb` node; BIOS placeholders ("To be filled by O.E.M.", `OEM_Define5`)
//! stand where a value is missing; `logicalname` is a string or a list; keys
//! come in any order.

use serde::Serialize;
use serde_json::Value;

use crate::devices::DeviceKind;
use crate::media::MediumKind;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hardware {
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    /// What the chassis says the machine is, when it says.
    pub kind: Option<DeviceKind>,
    pub cpu: Option<String>,
    pub ram_mib: Option<u32>,
    pub disks: Vec<Disk>,
    /// Disks left out, and why (removable media, empty card-reader slots, optical drives).
    pub ignored: Vec<Ignored>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disk {
    pub kind: MediumKind,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub capacity_bytes: Option<i64>,
    pub interface: Option<String>,
    pub logical_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ignored {
    pub logical_name: Option<String>,
    pub description: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LshwError {
    #[error("this is not `lshw -json` output: no hardware tree in it")]
    NotLshw,
}

/// Values BIOSes and firmwares put where they have nothing to say.
fn is_placeholder(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.is_empty()
        || t.starts_with("oem_define")
        || t.contains("to be filled")
        || t.contains("not specified")
        || t.contains("system serial number")
        || t.contains("system product name")
        || t.contains("system manufacturer")
        || t.contains("default string")
        || matches!(
            t.as_str(),
            "none"
                | "n/a"
                | "na"
                | "unknown"
                | "0"
                | "00000000"
                | "0123456789"
                | "123456789"
                | "xxxxxxxxxx"
        )
}

fn text(node: &Value, key: &str) -> Option<String> {
    node.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !is_placeholder(t))
        .map(str::to_owned)
}

fn config(node: &Value, key: &str) -> Option<String> {
    node.get("configuration")
        .and_then(|c| c.get(key))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn children(node: &Value) -> impl Iterator<Item = &Value> {
    node.get("children")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn class(node: &Value) -> &str {
    node.get("class")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn id(node: &Value) -> &str {
    node.get("id").and_then(Value::as_str).unwrap_or_default()
}

fn logical_name(node: &Value) -> Option<String> {
    match node.get("logicalname")? {
        Value::String(name) => Some(name.clone()),
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .find(|n| n.starts_with("/dev/"))
            .map(str::to_owned),
        _ => None,
    }
}

fn size_bytes(node: &Value) -> Option<i64> {
    let units = node.get("units").and_then(Value::as_str).unwrap_or("bytes");
    (units == "bytes")
        .then(|| node.get("size").and_then(Value::as_i64))
        .flatten()
        .filter(|s| *s > 0)
}

fn chassis_kind(chassis: &str) -> Option<DeviceKind> {
    match chassis.to_ascii_lowercase().as_str() {
        "notebook" | "laptop" | "portable" | "convertible" | "sub-notebook" => {
            Some(DeviceKind::Laptop)
        }
        "desktop" | "low-profile" | "tower" | "mini-tower" | "mini" | "space-saving"
        | "lunchbox" => Some(DeviceKind::Desktop),
        "all-in-one" => Some(DeviceKind::AllInOne),
        "tablet" | "detachable" => Some(DeviceKind::Tablet),
        "server" | "rackmount" | "blade" => Some(DeviceKind::Server),
        _ => None,
    }
}

/// The path from the root to every node, so a disk can ask about its controller.
fn walk<'a>(
    node: &'a Value,
    path: &mut Vec<&'a Value>,
    visit: &mut impl FnMut(&'a Value, &[&'a Value]),
) {
    visit(node, path);
    path.push(node);
    for child in children(node) {
        walk(child, path, visit);
    }
    path.pop();
}

fn disk_kind(node: &Value, controller: Option<&Value>, usb: bool) -> MediumKind {
    let description = [
        text(node, "product"),
        text(node, "description"),
        controller.and_then(|c| text(c, "product")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
    .to_ascii_lowercase();
    let bus = node
        .get("businfo")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if bus.starts_with("nvme@")
        || controller
            .is_some_and(|c| id(c) == "nvme" || config(c, "driver").as_deref() == Some("nvme"))
    {
        MediumKind::Nvme
    } else if logical_name(node).is_some_and(|n| n.contains("mmcblk")) {
        MediumKind::Emmc
    } else if usb && (description.contains("sd") || description.contains("mmc")) {
        MediumKind::SdCard
    } else if usb {
        MediumKind::UsbDrive
    } else if description.contains("ssd")
        || description.contains("solid state")
        || description.contains("wds")
    {
        MediumKind::Ssd
    } else if bus.starts_with("virtio@") {
        MediumKind::Other
    } else {
        MediumKind::Hdd
    }
}

pub fn parse(json: &Value) -> Result<Hardware, LshwError> {
    // lshw prints one object, or a one-element list with `-json` on some versions.
    let root = match json {
        Value::Array(items) => items.first().ok_or(LshwError::NotLshw)?,
        other => other,
    };
    if !root.is_object() || (root.get("children").is_none() && root.get("class").is_none()) {
        return Err(LshwError::NotLshw);
    }
    let mut hardware = Hardware {
        manufacturer: text(root, "vendor"),
        model: text(root, "product"),
        serial_number: text(root, "serial"),
        kind: config(root, "chassis").as_deref().and_then(chassis_kind),
        cpu: None,
        ram_mib: None,
        disks: Vec::new(),
        ignored: Vec::new(),
    };
    let mut path = Vec::new();
    walk(root, &mut path, &mut |node, ancestors| {
        match class(node) {
            "processor" if hardware.cpu.is_none() && !id(node).starts_with("logicalcpu") => {
                hardware.cpu = text(node, "product")
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            "memory" if id(node) == "memory" && hardware.ram_mib.is_none() => {
                hardware.ram_mib =
                    size_bytes(node).and_then(|b| u32::try_from(b / (1024 * 1024)).ok());
            }
            "disk" => {
                let parent = ancestors.last().copied();
                // A disk's `medium` child repeats it; a card reader's slot holds one only when a card is in.
                if id(node) == "medium" && parent.is_some_and(|p| class(p) == "disk") {
                    return;
                }
                let name = logical_name(node);
                let description = text(node, "description")
                    .or_else(|| text(node, "product"))
                    .unwrap_or_else(|| id(node).to_owned());
                if id(node).starts_with("cdrom") || description.to_ascii_lowercase().contains("dvd")
                {
                    hardware.ignored.push(Ignored {
                        logical_name: name,
                        description,
                        reason: "optical drive".into(),
                    });
                    return;
                }
                let controller = ancestors
                    .iter()
                    .rev()
                    .find(|a| class(a) == "storage")
                    .copied();
                let usb = ancestors.iter().any(|a| {
                    a.get("businfo")
                        .and_then(Value::as_str)
                        .is_some_and(|b| b.starts_with("usb@"))
                        || config(a, "driver").as_deref() == Some("usb-storage")
                });
                let capacity = size_bytes(node).or_else(|| {
                    children(node)
                        .find(|c| id(c) == "medium")
                        .and_then(size_bytes)
                });
                if capacity.is_none() && usb {
                    hardware.ignored.push(Ignored {
                        logical_name: name,
                        description,
                        reason: "empty card reader slot".into(),
                    });
                    return;
                }
                // A fixed disk whose size lshw could not read still holds data: it is tracked.
                let kind = disk_kind(node, controller, usb);
                if usb {
                    hardware.ignored.push(Ignored {
                        logical_name: name,
                        description,
                        reason: "removable USB storage, often the audit tool's own stick".into(),
                    });
                    return;
                }
                let nvme = kind == MediumKind::Nvme;
                let from_controller = |key| {
                    if nvme {
                        controller.and_then(|c| text(c, key))
                    } else {
                        None
                    }
                };
                hardware.disks.push(Disk {
                    kind,
                    manufacturer: text(node, "vendor").or_else(|| from_controller("vendor")),
                    model: text(node, "product").or_else(|| from_controller("product")),
                    serial_number: text(node, "serial").or_else(|| from_controller("serial")),
                    capacity_bytes: capacity,
                    interface: Some(
                        match kind {
                            MediumKind::Nvme => "NVMe",
                            MediumKind::Emmc => "eMMC",
                            _ if node
                                .get("businfo")
                                .and_then(Value::as_str)
                                .is_some_and(|b| b.starts_with("virtio@")) =>
                            {
                                "virtio"
                            }
                            _ => "SATA",
                        }
                        .to_owned(),
                    ),
                    logical_name: name,
                });
            }
            _ => {}
        }
    });
    Ok(hardware)
}

/// "256 GB NVMe + 1 TB HDD": the storage summary of a device's specs.
pub fn storage_summary(disks: &[Disk]) -> Option<String> {
    let parts: Vec<String> = disks
        .iter()
        .map(|d| {
            let size = d.capacity_bytes.map_or_else(String::new, |b| {
                let gb = b as f64 / 1e9;
                if gb >= 1000.0 {
                    format!("{:.0} TB ", gb / 1000.0)
                } else {
                    format!("{gb:.0} GB ")
                }
            });
            let kind = match d.kind {
                MediumKind::Nvme => "NVMe",
                MediumKind::Ssd => "SSD",
                MediumKind::Hdd => "HDD",
                MediumKind::Emmc => "eMMC",
                MediumKind::SdCard => "SD",
                MediumKind::UsbDrive => "USB",
                MediumKind::Other => "disk",
            };
            format!("{size}{kind}")
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" + "))
}

#[cfg(test)]
mod tests {
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
                .prop_map(|m| Value::Object(
                    m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                )),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_parses_without_panicking(json in arbitrary_json()) {
            let _ = parse(&json);
        }
    }
}
