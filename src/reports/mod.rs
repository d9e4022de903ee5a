//! The funders' impact report (SPEC §7): devices collected and what became
//! of them, kilograms and CO2e, beneficiaries served, jobs and hours — for a
//! period, beside the previous period of the same length.
//!
//! - [`departement`]: a postcode's département (Corsica, overseas);
//! - [`impact`]: the figures, read from the projections and the ledger;
//! - [`routes`]: `GET /api/v1/reports/impact` as JSON or CSV.

pub mod chart;
pub mod departement;
pub mod impact;
pub mod opendata;
pub mod pdf;
pub mod routes;
pub mod summary;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Domain, Tag};
use crate::ids::{DonorId, LotId, SiteId};

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain =
    Domain::new(routes::router).tags(&[Tag::described("reports", "The funders' impact report")]);

/// What a report counts: one site (or every site its reader sees), and
/// either every device or only those one donation brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Focus {
    pub site: Option<SiteId>,
    pub donation: Option<Donation>,
}

impl Focus {
    pub fn site(site: Option<SiteId>) -> Self {
        Self {
            site,
            donation: None,
        }
    }
}

/// The devices a donor's report counts: all the donor gave, or one lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Donation {
    Donor(DonorId),
    Lot(LotId),
}

/// The days a report covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The instants the period covers: from its first midnight (UTC) to
    /// the midnight after its last day, that one excluded.
    pub fn bounds(&self) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
        let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        (
            midnight(self.from),
            midnight(self.to.succ_opt().unwrap_or(self.to)),
        )
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        let length = chrono::Days::new(u64::try_from(self.days()).unwrap_or(0));
        Period {
            from: self.from - length,
            to: self.from - chrono::Days::new(1),
        }
    }
}

/// Counts by a key (a kind, a category, a département).
pub type Breakdown = BTreeMap<String, u64>;

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct KindFigures {
    pub collected: u64,
    pub reused: u64,
    pub recycled: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Devices {
    /// Registered in the period.
    pub collected: u64,
    /// Delivered to a beneficiary in the period.
    pub reused: u64,
    pub recycled: u64,
    pub dismantled: u64,
    pub lost: u64,
    /// Still in the workshop at the end of the period (received, not gone).
    pub in_stock: u64,
    pub by_kind: BTreeMap<String, KindFigures>,
    pub by_donor_kind: BTreeMap<String, KindFigures>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Weights {
    pub collected: f64,
    pub reused: f64,
    pub recycled: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Co2e {
    /// kg CO2e avoided by the devices reused.
    pub avoided_kg: f64,
    /// Devices reused of a kind the factor table has no figure for: not
    /// estimated, never counted as zero.
    pub not_estimated: u64,
    /// The factors used, kg CO2e per device by kind.
    pub factors: BTreeMap<String, f64>,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Beneficiaries {
    /// Distinct people served (a delivery in the period).
    pub individuals: u64,
    pub organisations: u64,
    pub by_category: Breakdown,
    /// By département from the postcode (`2A`, `2B`, `971`…); `unknown` without one.
    pub by_departement: Breakdown,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Workforce {
    /// People whose contract ran during the period, by contract kind.
    pub workers_by_contract_kind: Breakdown,
    pub hours: f64,
    /// Hours over the full-time hours of the period (1,607 a year, pro rata).
    pub fte: f64,
    /// People who started in the period.
    pub jobs_created: u64,
    /// Insertion contracts that ended in the period, by outcome.
    pub exits_by_outcome: Breakdown,
    /// « Sorties dynamiques »: durable, transitional and positive exits.
    pub dynamic_exits: u64,
    pub training_hours: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Quality {
    /// Returns under warranty over deliveries; `null` without deliveries.
    pub non_conformity_rate: Option<f64>,
    pub deliveries: u64,
    pub returns_under_warranty: u64,
}

/// What one donation's devices gave the workshop's insertion work: the
/// hours of insertion contracts worked in the period, times the donation's
/// share of the devices the workshop sent on (reused, recycled, dismantled).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Supported {
    /// Devices of the donation sent on in the period.
    pub devices_sent_on: u64,
    /// Devices of every donation sent on in the period, in the same sites.
    pub all_devices_sent_on: u64,
    /// Hours worked under insertion contracts in the period, in the same sites.
    pub insertion_hours: f64,
    /// `insertion_hours × devices_sent_on / all_devices_sent_on`.
    pub insertion_hours_supported: f64,
}

/// Every figure of one period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Figures {
    pub period: Period,
    pub devices: Devices,
    /// Days from registration to delivery, median, for the devices delivered.
    pub median_days_to_delivery: Option<f64>,
    pub weight_kg: Weights,
    pub co2e_avoided_kg: Co2e,
    pub beneficiaries: Beneficiaries,
    /// The workshop's workforce in the period: for a donor's report too.
    pub workforce: Workforce,
    pub quality: Quality,
    /// For a donor's or a lot's report: the insertion work it supported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported: Option<Supported>,
}

/// The report: a period's figures and the previous period's, side by side.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImpactReport {
    pub site_id: Option<SiteId>,
    /// The donor whose devices alone are counted, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub donor_id: Option<DonorId>,
    /// The lot whose devices alone are counted, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot_id: Option<LotId>,
    #[serde(flatten)]
    pub current: Figures,
    pub previous: Figures,
}
