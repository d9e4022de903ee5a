//! What the ledger records about API tokens. Never the secret: its SHA-256
//! reveals nothing of 256 random bits, and is what requests are checked against.

use chrono::{DateTime, Utc};
use entities::api_token;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DbErr};
use serde::{Deserialize, Serialize};

use crate::db::conn::Conn;
use crate::ids::UserId;
use crate::ledger::payload::entry;
use crate::ledger::{Entry, Event, Payload, SubjectType, projection};

pub const SUBJECT: SubjectType = SubjectType("token");

/// `token.created`: an API token. (Up to 0.2.0, also each web sign-in, as a
/// token named `web session`; sessions now live beside the ledger.)
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    pub user_id: UserId,
    pub name: String,
    pub token_sha256: String,
    pub expires_at: DateTime<Utc>,
}

impl Payload for Created {
    const KIND: &'static str = "token.created";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        api_token::ActiveModel {
            id: Set(event.subject_id),
            user_id: Set(self.user_id.0),
            name: Set(self.name.clone()),
            token_sha256: Set(self.token_sha256.clone()),
            created_at: Set(event.at),
            expires_at: Set(self.expires_at),
            revoked_at: Set(None),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// `token.revoked`; also a web sign-out.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Revoked {}

impl Payload for Revoked {
    const KIND: &'static str = "token.revoked";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        let row = projection::row::<api_token::Entity>(conn, event.subject_id).await?;
        let mut row: api_token::ActiveModel = row.into();
        row.revoked_at = Set(Some(event.at));
        row.update(conn).await?;
        Ok(())
    }
}

pub const KINDS: &[Entry] = &[entry::<Created>(), entry::<Revoked>()];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). A token's name says what it is for (`sign-in`, `station-2`).
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[("token.created", &["name", "token_sha256"])];
