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
mod tests;
