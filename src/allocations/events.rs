//! What the ledger records about allocations and complaints: the
//! beneficiary by id and pseudonymous reference, never by name.

use chrono::NaiveDate;
use entities::{allocation, complaint};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use super::{Acceptance, AllocationState, ReturnReason};
use crate::db::conn::Conn;
use crate::ids::{AllocationId, BeneficiaryId, DeviceId, SiteId};
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};

pub const SUBJECT: SubjectType = SubjectType("allocation");
pub const COMPLAINT: SubjectType = SubjectType("complaint");

/// The terms a device was given on, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Terms {
    Free,
    SolidarityPrice { price_cents: u32 },
    Loan { until: NaiveDate },
}

impl From<super::Conditions> for Terms {
    fn from(c: super::Conditions) -> Self {
        match c {
            super::Conditions::Free {} => Self::Free,
            super::Conditions::SolidarityPrice { price_cents } => {
                Self::SolidarityPrice { price_cents }
            }
            super::Conditions::Loan { until } => Self::Loan { until },
        }
    }
}

fn json(value: &impl Serialize) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(value).map_err(|e| DbErr::Json(e.to_string()))
}

/// `allocation.reserved`: the device is set aside for the beneficiary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reserved {
    pub site_id: SiteId,
    pub device_id: DeviceId,
    pub beneficiary_id: BeneficiaryId,
    pub beneficiary_reference: String,
    pub terms: Terms,
    pub warranty_months: u8,
}

impl Payload for Reserved {
    const KIND: &'static str = "allocation.reserved";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        allocation::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            device_id: Set(self.device_id.0),
            beneficiary_id: Set(self.beneficiary_id.0),
            state: Set(AllocationState::Reserved.as_str().to_owned()),
            conditions: Set(json(&self.terms)?),
            warranty_months: Set(i32::from(self.warranty_months)),
            delivered_at: Set(None),
            closed_at: Set(None),
            return_details: Set(None),
            acceptance: Set(Acceptance::Pending.as_str().to_owned()),
            signature_sha256: Set(None),
            accepted_at: Set(None),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

async fn step(
    conn: &Conn,
    event: &Event,
    version: i64,
    change: impl FnOnce(&mut allocation::ActiveModel) -> Result<(), DbErr>,
) -> Result<(), DbErr> {
    let row = projection::row::<allocation::Entity>(conn, event.subject_id).await?;
    let mut row: allocation::ActiveModel = row.into();
    change(&mut row)?;
    row.version = Set(version);
    row.updated_at = Set(event.at);
    row.update(conn).await?;
    Ok(())
}

/// `allocation.delivered`: handed over (recorded after the device's `deliver`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivered {
    pub version: i64,
}

impl Payload for Delivered {
    const KIND: &'static str = "allocation.delivered";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        step(conn, event, self.version, |row| {
            row.state = Set(AllocationState::Delivered.as_str().to_owned());
            row.delivered_at = Set(Some(event.at));
            Ok(())
        })
        .await
    }
}

/// `allocation.released`: the reservation is cancelled, the device back in stock.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Released {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Payload for Released {
    const KIND: &'static str = "allocation.released";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["note"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        step(conn, event, self.version, |row| {
            row.state = Set(AllocationState::Released.as_str().to_owned());
            row.closed_at = Set(Some(event.at));
            Ok(())
        })
        .await
    }
}

/// `allocation.returned`: the beneficiary brought the device back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Returned {
    pub version: i64,
    pub reason: ReturnReason,
    pub days_since_delivery: i64,
    pub under_warranty: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault_description: Option<String>,
}

impl Payload for Returned {
    const KIND: &'static str = "allocation.returned";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["fault_description"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let details = super::ReturnDetails {
            reason: self.reason,
            days_since_delivery: self.days_since_delivery,
            under_warranty: self.under_warranty,
            fault_description: self.fault_description.clone(),
        };
        step(conn, event, self.version, |row| {
            row.state = Set(AllocationState::Returned.as_str().to_owned());
            row.closed_at = Set(Some(event.at));
            row.return_details = Set(Some(json(&details)?));
            Ok(())
        })
        .await
    }
}

/// `allocation.accepted`: the beneficiary signed the handover form — on the
/// workshop's screen (the strokes are kept beside the ledger, which holds
/// their SHA-256) or on paper.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accepted {
    pub version: i64,
    pub method: Acceptance,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_sha256: Option<String>,
}

impl Payload for Accepted {
    const KIND: &'static str = "allocation.accepted";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        step(conn, event, self.version, |row| {
            row.acceptance = Set(self.method.as_str().to_owned());
            row.signature_sha256 = Set(self.signature_sha256.clone());
            row.accepted_at = Set(Some(event.at));
            Ok(())
        })
        .await
    }
}

/// `complaint.logged`: a complaint about an allocated device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComplaintLogged {
    pub site_id: SiteId,
    pub allocation_id: AllocationId,
    pub received_on: NaiveDate,
    /// Held beside the chain: empty once erased.
    #[serde(default)]
    pub description: String,
}

impl Payload for ComplaintLogged {
    const KIND: &'static str = "complaint.logged";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["description"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        complaint::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            allocation_id: Set(self.allocation_id.0),
            received_on: Set(self.received_on),
            description: Set(self.description.clone()),
            answered_on: Set(None),
            answer: Set(None),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// `complaint.answered`: the written answer, and when it was given.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComplaintAnswered {
    pub version: i64,
    pub answered_on: NaiveDate,
    /// Held beside the chain: empty once erased.
    #[serde(default)]
    pub answer: String,
}

impl Payload for ComplaintAnswered {
    const KIND: &'static str = "complaint.answered";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["answer"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let row = projection::row::<complaint::Entity>(conn, event.subject_id).await?;
        let mut row: complaint::ActiveModel = row.into();
        row.answered_on = Set(Some(self.answered_on));
        row.answer = Set(Some(self.answer.clone()));
        row.version = Set(self.version);
        row.updated_at = Set(event.at);
        row.update(conn).await?;
        Ok(())
    }
}

/// Forgets what a beneficiary said, once their personal data is erased:
/// the faults of their returns and their complaints and the answers, as a
/// replay rebuilds them with those fields erased (empty, or absent).
pub async fn forget_texts(
    conn: &Conn,
    allocations: &[uuid::Uuid],
    complaints: &[uuid::Uuid],
) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let returned = allocation::Entity::find()
        .filter(allocation::Column::Id.is_in(allocations.iter().copied()))
        .all(conn)
        .await?;
    for row in returned {
        let Some(details) = row.return_details.clone() else {
            continue;
        };
        let mut details: super::ReturnDetails =
            serde_json::from_value(details).map_err(|e| DbErr::Json(e.to_string()))?;
        details.fault_description = None;
        let mut row: allocation::ActiveModel = row.into();
        row.return_details = Set(Some(json(&details)?));
        row.update(conn).await?;
    }
    let said = complaint::Entity::find()
        .filter(complaint::Column::Id.is_in(complaints.iter().copied()))
        .all(conn)
        .await?;
    for row in said {
        let answered = row.answer.is_some();
        let mut row: complaint::ActiveModel = row.into();
        row.description = Set(String::new());
        if answered {
            row.answer = Set(Some(String::new()));
        }
        row.update(conn).await?;
    }
    Ok(())
}

pub const KINDS: &[Entry] = &[
    entry::<Reserved>(),
    entry::<Delivered>(),
    earlier::<Released>(1),
    entry::<Released>(),
    earlier::<Returned>(1),
    entry::<Returned>(),
    entry::<Accepted>(),
    earlier::<ComplaintLogged>(1),
    entry::<ComplaintLogged>(),
    earlier::<ComplaintAnswered>(1),
    entry::<ComplaintAnswered>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). The beneficiary's pseudonymous reference (`pseudonym`), never a name.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] =
    &[("allocation.reserved", &["beneficiary_reference"])];
