//! Environmental figures per kind of device, kept in the repository with
//! their source so that a funder can check them.
//!
//! CO2e avoided by reusing a device instead of making a new one: the
//! manufacturing and distribution footprint in ADEME / Arcep, « Évaluation
//! de l'impact environnemental du numérique en France » (2022), kg CO2e.
//! Default weights (kg) are typical figures used when a device was not weighed.
//!
//! A workshop may set its own CO2e factors and the annual hours of a
//! full-time post per contract kind (`[impact]` in `retrace.toml`): the
//! report and the donor certificate then use those, and say so.

use std::collections::HashMap;

use serde::Deserialize;

use crate::config::Settings;
use crate::devices::DeviceKind;
use crate::error::AppError;
use crate::workers::ContractKind;

/// Where the CO2e factors come from, as the report states it.
pub const CO2E_SOURCE: &str = "ADEME / Arcep, « Évaluation de l'impact environnemental du numérique en France » (2022), as published by ADEME's Impact CO2: manufacturing, assembly and distribution, kg CO2e per device";

/// The annual hours of a full-time post: the French legal 1,607.
pub const FULL_TIME_HOURS: f64 = 1607.0;

/// kg CO2e avoided when a device of this kind is reused, in the study;
/// `None` where it gives no figure.
fn ademe_co2e_kg(kind: DeviceKind) -> Option<f64> {
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

/// The `[impact]` table of `retrace.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactFile {
    /// kg CO2e per reused device, by kind: replaces or adds to the study's.
    #[serde(default)]
    pub co2e_kg: HashMap<DeviceKind, f64>,
    /// Where the workshop's factors come from.
    pub co2e_source: Option<String>,
    /// Annual hours of a full-time post, by contract kind (default 1,607).
    #[serde(default)]
    pub full_time_hours: HashMap<ContractKind, f64>,
}

/// The factors the report and the certificates use: the defaults above,
/// unless the workshop set its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Factors {
    co2e_kg: HashMap<DeviceKind, f64>,
    co2e_source: String,
    full_time_hours: HashMap<ContractKind, f64>,
}

impl Default for Factors {
    fn default() -> Self {
        Self {
            co2e_kg: DeviceKind::ALL
                .into_iter()
                .filter_map(|k| ademe_co2e_kg(k).map(|f| (k, f)))
                .collect(),
            co2e_source: CO2E_SOURCE.to_owned(),
            full_time_hours: HashMap::new(),
        }
    }
}

impl Factors {
    /// The factors `retrace.toml`'s `[impact]` table sets, checked.
    pub fn of(settings: &Settings) -> Result<Self, String> {
        let file: ImpactFile = settings
            .impact
            .clone()
            .try_into()
            .map_err(|err| format!("impact: {err}"))?;
        Self::with(file)
    }

    /// [`Factors::of`] for a request: the table was checked when the
    /// instance started (`retrace::start`), so a failure here is the server's.
    pub fn for_request(settings: &Settings) -> Result<Self, AppError> {
        Self::of(settings).map_err(AppError::internal)
    }

    /// The defaults with the workshop's own figures; refuses a negative or
    /// absurd figure, so that a typo cannot reach a funder's report.
    pub fn with(file: ImpactFile) -> Result<Self, String> {
        let mut factors = Self::default();
        for (kind, kg) in &file.co2e_kg {
            if !(kg.is_finite() && (0.0..=10_000.0).contains(kg)) {
                return Err(format!(
                    "impact.co2e_kg.{}: {kg} is not between 0 and 10000",
                    kind.as_str()
                ));
            }
        }
        for (contract, hours) in &file.full_time_hours {
            if !(hours.is_finite() && *hours > 0.0 && *hours <= 8784.0) {
                return Err(format!(
                    "impact.full_time_hours.{}: {hours} is not between 0 and 8784 (a year's hours)",
                    contract.as_str()
                ));
            }
        }
        factors.co2e_source = match (&file.co2e_source, file.co2e_kg.is_empty()) {
            (Some(source), _) => source.trim().to_owned(),
            (None, true) => CO2E_SOURCE.to_owned(),
            (None, false) => {
                let mut kinds: Vec<&str> = file.co2e_kg.keys().map(|k| k.as_str()).collect();
                kinds.sort_unstable();
                format!(
                    "{CO2E_SOURCE}; figures set by the workshop for: {}",
                    kinds.join(", ")
                )
            }
        };
        factors.co2e_kg.extend(file.co2e_kg);
        factors.full_time_hours = file.full_time_hours;
        Ok(factors)
    }

    /// kg CO2e avoided when a device of this kind is reused; `None` (counted
    /// as "not estimated", never as zero) where there is no figure.
    pub fn co2e_avoided_kg(&self, kind: DeviceKind) -> Option<f64> {
        self.co2e_kg.get(&kind).copied()
    }

    pub fn co2e_source(&self) -> &str {
        &self.co2e_source
    }

    /// The annual hours of a full-time post under this contract.
    pub fn full_time_hours(&self, contract: ContractKind) -> f64 {
        self.full_time_hours
            .get(&contract)
            .copied()
            .unwrap_or(FULL_TIME_HOURS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_s_impact_table_sets_the_report_s_factors() {
        let readme = include_str!("../README.md");
        let start = readme.find("[impact]").expect("the README's example");
        let example = &readme[start..];
        let example = &example[..example.find("```").expect("end of example")];
        let table: toml::Table = toml::from_str(example).unwrap();
        let mut settings = Settings::for_data_dir("unused".into(), None);
        settings.impact = table["impact"].as_table().cloned().unwrap();
        let factors = Factors::of(&settings).unwrap();
        assert_eq!(factors.co2e_avoided_kg(DeviceKind::Printer), Some(120.0));
        assert_eq!(factors.co2e_source(), "Our 2025 life-cycle study");
        assert_eq!(factors.full_time_hours(ContractKind::Apprentice), 1200.0);
        settings.impact = toml::from_str("co2e_kg = { laptop = -3 }").unwrap();
        let err = Factors::of(&settings).unwrap_err();
        assert!(err.contains("impact.co2e_kg.laptop"), "{err}");
        settings.impact = toml::from_str("co2e = 3").unwrap();
        let err = Factors::of(&settings).unwrap_err();
        assert!(err.contains("co2e"), "{err}");
    }

    #[test]
    fn a_workshop_s_own_figures_replace_the_study_s_and_are_named() {
        let defaults = Factors::default();
        assert_eq!(defaults.co2e_avoided_kg(DeviceKind::Laptop), Some(182.6));
        assert_eq!(defaults.co2e_avoided_kg(DeviceKind::Printer), None);
        assert_eq!(defaults.full_time_hours(ContractKind::Insertion), 1607.0);
        let file: ImpactFile = toml::from_str(
            "co2e_kg = { printer = 120.0, laptop = 150.0 }\nfull_time_hours = { insertion = 1820 }",
        )
        .unwrap();
        let own = Factors::with(file).unwrap();
        assert_eq!(own.co2e_avoided_kg(DeviceKind::Printer), Some(120.0));
        assert_eq!(own.co2e_avoided_kg(DeviceKind::Laptop), Some(150.0));
        assert_eq!(own.co2e_avoided_kg(DeviceKind::Desktop), Some(204.4));
        assert_eq!(own.full_time_hours(ContractKind::Insertion), 1820.0);
        assert_eq!(own.full_time_hours(ContractKind::Permanent), 1607.0);
        assert!(
            own.co2e_source()
                .ends_with("set by the workshop for: laptop, printer")
        );
        for bad in [
            "co2e_kg = { laptop = -1.0 }",
            "full_time_hours = { permanent = 0 }",
            "full_time_hours = { permanent = 9000 }",
        ] {
            assert!(
                Factors::with(toml::from_str(bad).unwrap()).is_err(),
                "{bad}"
            );
        }
        assert!(toml::from_str::<ImpactFile>("co2e_kg = { toaster = 1.0 }").is_err());
    }
}
