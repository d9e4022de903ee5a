//! What the ledger records about portal links: their creation (with the
//! secret's digest, never the secret), each opening, their revocation.

use chrono::NaiveDate;
use entities::portal_link;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::db::conn::Conn;
use crate::ids::{LotId, SiteId};
use crate::ledger::payload::{earlier, entry};
use crate::ledger::{Entry, Event, Payload, SubjectType};

pub const SUBJECT: SubjectType = SubjectType("portal_link");

/// `portal_link.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    pub lot_id: LotId,
    pub site_id: SiteId,
    pub secret_sha256: String,
    pub label: Option<String>,
    pub expires_on: Option<NaiveDate>,
}

impl Payload for Created {
    const KIND: &'static str = "portal_link.created";
    const VERSION: u32 = 2;
    const PERSONAL: &'static [&'static str] = &["label"];

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        portal_link::ActiveModel {
            id: Set(event.subject_id),
            lot_id: Set(self.lot_id.0),
            site_id: Set(self.site_id.0),
            secret_sha256: Set(self.secret_sha256.clone()),
            label: Set(self.label.clone()),
            expires_on: Set(self.expires_on),
            revoked_at: Set(None),
            opened_count: Set(0),
            last_opened_at: Set(None),
            version: Set(1),
            created_at: Set(event.at),
            updated_at: Set(event.at),
        }
        .insert(conn)
        .await?;
        Ok(())
    }
}

/// `portal_link.opened`: the donor opened the portal. Not a change of the
/// link: its version stays, so a revocation never races with an opening.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Opened {}

impl Payload for Opened {
    const KIND: &'static str = "portal_link.opened";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        portal_link::Entity::update_many()
            .col_expr(
                portal_link::Column::OpenedCount,
                Expr::col(portal_link::Column::OpenedCount).add(1),
            )
            .col_expr(portal_link::Column::LastOpenedAt, Expr::value(event.at))
            .filter(portal_link::Column::Id.eq(event.subject_id))
            .exec(conn)
            .await?;
        Ok(())
    }
}

/// `portal_link.revoked`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Revoked {
    pub version: i64,
}

impl Payload for Revoked {
    const KIND: &'static str = "portal_link.revoked";
    const VERSION: u32 = 1;

    async fn project(&self, conn: &Conn, event: &Event) -> Result<(), DbErr> {
        portal_link::Entity::update_many()
            .col_expr(portal_link::Column::RevokedAt, Expr::value(event.at))
            .col_expr(portal_link::Column::Version, Expr::value(self.version))
            .col_expr(portal_link::Column::UpdatedAt, Expr::value(event.at))
            .filter(portal_link::Column::Id.eq(event.subject_id))
            .exec(conn)
            .await?;
        Ok(())
    }
}

pub const KINDS: &[Entry] = &[
    earlier::<Created>(1),
    entry::<Created>(),
    entry::<Opened>(),
    entry::<Revoked>(),
];

/// The free strings of these kinds that say nothing of people (every other
/// free string is personal: `catalogue`). A link is kept as the hash of its secret.
pub const NOT_ABOUT_PEOPLE: &[(&str, &[&str])] = &[("portal_link.created", &["secret_sha256"])];
