//! What the ledger records about user accounts, and how it lands in the
//! `users` table. A password hash is a credential: it never enters the
//! ledger, only the fact that a password was set.

use entities::user;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use crate::db::conn::Conn;
use crate::ids::SiteId;
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};
use crate::patch::Patch;
use crate::principal::Role;

pub const SUBJECT: SubjectType = SubjectType("user");

/// `user.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    /// Held beside the chain, like the name: empty once erased.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    pub role: Role,
    pub site_id: Option<SiteId>,
    pub locale: String,
}

impl Payload for Created {
    const KIND: &'static str = "user.created";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["email", "display_name"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        user::ActiveModel {
            id: Set(event.subject_id),
            email: Set(if self.email.is_empty() {
                super::erased_email(event.subject_id)
            } else {
                self.email.clone()
            }),
            display_name: Set(if self.display_name.is_empty() {
                crate::pseudonym::of_record('U', event.subject_id)
            } else {
                self.display_name.clone()
            }),
            role: Set(self.role.as_str().to_owned()),
            site_id: Set(self.site_id.map(|s| s.0)),
            locale: Set(self.locale.clone()),
            disabled: Set(false),
            password_hash: Set(None),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// The changes `user.updated` records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub site_id: Patch<SiteId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

impl projection::Changes for Changes {
    const KIND: &'static str = "user.updated";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["changes.email", "changes.display_name"];
    type Entity = user::Entity;
}

/// `user.updated`.
pub type Updated = crate::ledger::Updated<Changes>;

/// `user.password_set`: that it happened, nothing of the secret. The hash
/// is stored beside, by the service: it is the one piece of state a replay
/// does not rebuild.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PasswordSet {}

impl Payload for PasswordSet {
    const KIND: &'static str = "user.password_set";
    const VERSION: u32 = 1;

    async fn project(&self, _: &Conn, _: &Event) -> Result<(), DbErr> {
        Ok(())
    }
}

/// `user.personal_data_erased`: the account's name and e-mail were erased on
/// request; it is disabled, and its operations stay under its reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonalDataErased {
    pub version: i64,
}

impl Payload for PersonalDataErased {
    const KIND: &'static str = "user.personal_data_erased";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let row = projection::row::<user::Entity>(conn, event.subject_id).await?;
        let mut row: user::ActiveModel = row.into();
        row.email = Set(super::erased_email(event.subject_id));
        row.display_name = Set(crate::pseudonym::of_record('U', event.subject_id));
        row.disabled = Set(true);
        row.password_hash = Set(None);
        row.version = Set(self.version);
        row.updated_at = Set(event.at);
        row.update(conn).await?;
        Ok(())
    }
}

pub const KINDS: &[Entry] = &[
    earlier::<Created>(1),
    entry::<Created>(),
    earlier::<Updated>(1),
    entry::<Updated>(),
    entry::<PasswordSet>(),
    entry::<PersonalDataErased>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). A user's language.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[
    ("user.created", &["locale"]),
    ("user.updated", &["changes.locale"]),
];
