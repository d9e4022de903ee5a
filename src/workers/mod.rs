//! Workers: the people a workshop employs or hosts — insertion contracts
//! first — whose jobs, hours and exits the funders' report counts (SPEC §7).
//! Like beneficiaries, a worker is pseudonymous in the ledger: the name lives
//! in a table of its own, read only by the site's coordinators and the
//! admins, and erasable.
//!
//! - [`events`]: `worker.registered`, `worker.updated`,
//!   `worker.personal_data_recorded`, `worker.personal_data_erased`;
//! - [`service`]: registering, changing a contract, erasing a name;
//! - [`queries`]: what a user may see of a worker;
//! - [`passport`]: their skills passport, from the ledger;
//! - [`routes`]: the HTTP API.

pub mod access;
pub mod events;
pub mod passport;
pub mod queries;
pub mod routes;
pub mod rules;
pub mod service;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::{Domain, Tag};
use crate::ids::{SiteId, UserId, WorkerId};
use crate::patch::Patch;

pub use rules::contract_problem;

/// What this domain brings to the application (`retrace::DOMAINS`).
pub const DOMAIN: Domain = Domain::new(routes::router)
    .tags(&[Tag::described(
        "workers",
        "The team: contracts, exits, names erasable",
    )])
    .kinds(events::KINDS)
    .not_about_people(events::NOT_ABOUT_PEOPLE);

/// A contract, in the kinds funders count.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ContractKind {
    /// Contrat à durée déterminée d'insertion (CDDI): the insertion job.
    Insertion,
    /// CDI.
    Permanent,
    /// CDD.
    FixedTerm,
    Apprentice,
    Intern,
    /// Service civique.
    CivicService,
    Volunteer,
}

impl ContractKind {
    pub const ALL: [ContractKind; 7] = [
        Self::Insertion,
        Self::Permanent,
        Self::FixedTerm,
        Self::Apprentice,
        Self::Intern,
        Self::CivicService,
        Self::Volunteer,
    ];

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

/// How an insertion contract ended, in the categories of the state's IAE
/// reporting.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExitOutcome {
    /// « Emploi durable »: a CDI, or a CDD or interim of six months or more…
    DurableEmployment,
    /// « Emploi de transition »: a shorter CDD or interim, a subsidised contract…
    TransitionalEmployment,
    /// « Sorties positives »: a qualifying training, another insertion structure…
    PositiveExit,
    /// « Autres sorties »: unemployment, inactivity, no news…
    OtherExit,
    /// « Retrait des sorties constatées »: illness, moving, death… — not counted.
    Withdrawn,
}

impl ExitOutcome {
    pub const ALL: [ExitOutcome; 5] = [
        Self::DurableEmployment,
        Self::TransitionalEmployment,
        Self::PositiveExit,
        Self::OtherExit,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }

    /// « Sorties dynamiques »: the first three together.
    pub fn is_dynamic(self) -> bool {
        matches!(
            self,
            Self::DurableEmployment | Self::TransitionalEmployment | Self::PositiveExit
        )
    }
}

/// A worker as the API shows it; `display_name` only for those who may read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Worker {
    pub id: WorkerId,
    pub site_id: SiteId,
    /// The pseudonymous reference reports and the ledger use.
    #[schema(example = "BRE-W-9H2K4M7Q")]
    pub reference: String,
    pub contract_kind: ContractKind,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub exit_outcome: Option<ExitOutcome>,
    pub weekly_hours: f64,
    /// The user account this worker signs in with, if any: their recorded
    /// operations make their skills passport.
    pub user_id: Option<UserId>,
    pub has_personal_data: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/workers`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorker {
    /// Needed for admins; a site's coordinators register in their own site.
    pub site_id: Option<SiteId>,
    /// How the team calls them: personal data, never in the ledger.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub display_name: String,
    pub contract_kind: ContractKind,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub exit_outcome: Option<ExitOutcome>,
    /// Contract hours a week (26 for a typical CDDI).
    #[validate(range(min = 0.0, max = 48.0))]
    #[schema(minimum = 0.0, maximum = 48.0)]
    pub weekly_hours: f64,
    pub user_id: Option<UserId>,
}

/// `PATCH /api/v1/workers/{id}`: the contract's changes — an end date and
/// its outcome, most often.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkerChanges {
    #[serde(default, skip_serializing_if = "crate::input::request_only")]
    pub expected_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_kind: Option<ContractKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ended_on: Patch<NaiveDate>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<ExitOutcome>)]
    pub exit_outcome: Patch<ExitOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0.0, max = 48.0))]
    #[schema(minimum = 0.0, maximum = 48.0)]
    pub weekly_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[schema(value_type = Option<UserId>)]
    pub user_id: Patch<UserId>,
}
