//! Environmental figures per kind of device, kept in the repository with
//! their source so that a funder can check them.
//!
//! CO2e avoided by reusing a device instead of making a new one: the
//! manufacturing and distribution footprint in ADEME / Arcep, « Évaluation
//! de l'impact environnemental du numérique en France » (2022), kg CO2e.
//! Default weights (kg) are typical figures used when a device was not weighed.

use crate::devices::DeviceKind;

/// Where the CO2e factors come from, as the report states it.
pub const CO2E_SOURCE: &str = "ADEME / Arcep, « Évaluation de l'impact environnemental du numérique en France » (2022), as published by ADEME's Impact CO2: manufacturing, assembly and distribution, kg CO2e per device";

/// kg CO2e avoided when a device of this kind is reused; `None` where the study gives no figure.
pub fn co2e_avoided_kg(kind: DeviceKind) -> Option<f64> {
    match kind {
        DeviceKind::Laptop => Some(182.6),
        DeviceKind::Desktop => Some(204.4),
        DeviceKind::Monitor => Some(65.9),
        DeviceKind::Smartphone => Some(85.1),
        DeviceKind::Tablet => Some(59.7),
        _ => None,
    }
}

/// The weight of a device that was not weighed, in kg.
pub fn default_weight_kg(kind: DeviceKind) -> f64 {
    match kind {
        DeviceKind::Laptop => 2.2,
        DeviceKind::Desktop => 8.0,
        DeviceKind::AllInOne => 9.0,
        DeviceKind::Monitor => 4.5,
        DeviceKind::Tablet => 0.6,
        DeviceKind::Smartphone => 0.2,
        DeviceKind::Server => 18.0,
        DeviceKind::Printer => 10.0,
        DeviceKind::Other => 2.0,
    }
}
