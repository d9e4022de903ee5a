//! What the ledger records about workers: the contract, under a
//! pseudonymous reference — never the name.

use chrono::NaiveDate;
use entities::worker;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use super::{ContractKind, ExitOutcome};
use crate::db::conn::Conn;
use crate::ids::{SiteId, UserId};
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::Patch;

pub const SUBJECT: SubjectType = SubjectType("worker");

/// `worker.registered`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registered {
    pub site_id: SiteId,
    pub reference: String,
    pub contract_kind: ContractKind,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub exit_outcome: Option<ExitOutcome>,
    pub weekly_hours: f64,
    pub user_id: Option<UserId>,
}

impl Payload for Registered {
    const KIND: &'static str = "worker.registered";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        worker::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            reference: Set(self.reference.clone()),
            contract_kind: Set(self.contract_kind.as_str().to_owned()),
            started_on: Set(self.started_on),
            ended_on: Set(self.ended_on),
            exit_outcome: Set(self.exit_outcome.map(|o| o.as_str().to_owned())),
            weekly_hours: Set(self.weekly_hours),
            user_id: Set(self.user_id.map(|u| u.0)),
            has_personal_data: Set(false),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// The changes `worker.updated` records, named as the `workers` columns.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_kind: Option<ContractKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub ended_on: Patch<NaiveDate>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub exit_outcome: Patch<ExitOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub user_id: Patch<UserId>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "worker.updated";
    type Entity = worker::Entity;
}

/// `worker.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

/// `worker.personal_data_recorded`: a name was stored beside the ledger.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonalDataRecorded {
    pub version: i64,
}

impl Payload for PersonalDataRecorded {
    const KIND: &'static str = "worker.personal_data_recorded";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        mark(conn, event, self.version, true).await
    }
}

/// `worker.personal_data_erased`: the name was deleted on request; hours,
/// contract and recorded operations stay, under the reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonalDataErased {
    pub version: i64,
}

impl Payload for PersonalDataErased {
    const KIND: &'static str = "worker.personal_data_erased";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        mark(conn, event, self.version, false).await
    }
}

async fn mark(
    conn: &Conn,
    event: &Event,
    version: i64,
    has_personal_data: bool,
) -> Result<(), DbErr> {
    let row = projection::row::<worker::Entity>(conn, event.subject_id).await?;
    let mut row: worker::ActiveModel = row.into();
    row.has_personal_data = Set(has_personal_data);
    row.version = Set(version);
    row.updated_at = Set(event.at);
    row.update(conn).await?;
    Ok(())
}

pub const KINDS: &[Entry] = &[
    entry::<Registered>(),
    entry::<Updated>(),
    entry::<PersonalDataRecorded>(),
    entry::<PersonalDataErased>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). The worker's pseudonymous reference (`pseudonym`), never a name.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[("worker.registered", &["reference"])];
