//! What the ledger records about beneficiaries: the pseudonymous record and
//! the fact that personal data was recorded or erased — never the data.

use entities::beneficiary;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use super::Category;
use crate::db::conn::Conn;
use crate::ids::SiteId;
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};

pub const SUBJECT: SubjectType = SubjectType("beneficiary");

/// `beneficiary.registered`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registered {
    pub site_id: SiteId,
    pub reference: String,
    pub category: Category,
    pub postcode: Option<String>,
    pub referring_partner: Option<String>,
}

impl Payload for Registered {
    const KIND: &'static str = "beneficiary.registered";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["referring_partner"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        beneficiary::ActiveModel {
            id: Set(event.subject_id),
            site_id: Set(self.site_id.0),
            reference: Set(self.reference.clone()),
            category: Set(self.category.as_str().to_owned()),
            postcode: Set(self.postcode.clone()),
            referring_partner: Set(self.referring_partner.clone()),
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

/// `beneficiary.personal_data_recorded`: a name or contact was stored beside
/// the ledger (which says so, and nothing more).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonalDataRecorded {
    pub version: i64,
}

impl Payload for PersonalDataRecorded {
    const KIND: &'static str = "beneficiary.personal_data_recorded";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        mark(conn, event, self.version, true).await
    }
}

/// `beneficiary.personal_data_erased`: the name and contact were deleted on
/// request or past their retention; allocations and their events stay,
/// holding the reference only, and who referred them and what they said — the faults
/// of the returns and the complaints of `allocations` and `complaints`, with
/// their answers — goes too.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonalDataErased {
    pub version: i64,
    #[serde(default)]
    pub allocations: Vec<uuid::Uuid>,
    #[serde(default)]
    pub complaints: Vec<uuid::Uuid>,
}

impl Payload for PersonalDataErased {
    const KIND: &'static str = "beneficiary.personal_data_erased";
    const VERSION: u32 = 2;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        mark(conn, event, self.version, false).await?;
        // Who referred them (held beside the chain, erased with them).
        let row = projection::row::<beneficiary::Entity>(conn, event.subject_id).await?;
        let mut row: beneficiary::ActiveModel = row.into();
        row.referring_partner = Set(None);
        row.update(conn).await?;
        crate::allocations::events::forget_texts(conn, &self.allocations, &self.complaints).await
    }
}

pub mod v1 {
    //! `beneficiary.personal_data_erased` as written up to 0.2.1: the name
    //! and contact only; what the beneficiary said stayed.
    use super::*;

    #[derive(Debug, Clone, Serialize, Deserialize)]
    pub struct PersonalDataErased {
        pub version: i64,
    }

    impl Payload for PersonalDataErased {
        const KIND: &'static str = "beneficiary.personal_data_erased";
        const VERSION: u32 = 1;

        async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
            mark(conn, event, self.version, false).await
        }
    }
}

async fn mark(
    conn: &Conn,
    event: &Event,
    version: i64,
    has_personal_data: bool,
) -> Result<(), DbErr> {
    let row = projection::row::<beneficiary::Entity>(conn, event.subject_id).await?;
    let mut row: beneficiary::ActiveModel = row.into();
    row.has_personal_data = Set(has_personal_data);
    row.version = Set(version);
    row.updated_at = Set(event.at);
    row.update(conn).await?;
    Ok(())
}

pub const KINDS: &[Entry] = &[
    earlier::<Registered>(1),
    entry::<Registered>(),
    entry::<PersonalDataRecorded>(),
    entry::<v1::PersonalDataErased>(),
    entry::<PersonalDataErased>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). A pseudonymous reference, made to stand in the ledger for a person
/// whose name is elsewhere (`pseudonym`); and the postcode the reports
/// count by département.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] =
    &[("beneficiary.registered", &["reference", "postcode"])];
