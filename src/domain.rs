//! What a domain tells the application about itself, in one value its own
//! `mod.rs` declares (`pub const DOMAIN`): its routes, the OpenAPI tags they
//! carry, the kinds of event it writes, which of their free strings say
//! nothing of people, and the projections to derive once after an upgrade.
//! The registry (`retrace::DOMAINS`) is one line per domain; nothing else
//! lists domains.

use futures::future::BoxFuture;
use sea_orm::{DatabaseConnection, DbErr};
use utoipa_axum::router::OpenApiRouter;

use crate::ledger::payload::Entry;
use crate::state::AppState;

/// A projection a migration added, derived from the events already there
/// when an instance first starts on the new release.
pub type Rebuild = for<'a> fn(&'a DatabaseConnection) -> BoxFuture<'a, Result<(), DbErr>>;

/// An OpenAPI tag: the section of the API document the routes appear in.
#[derive(Debug, Clone, Copy)]
pub struct Tag {
    pub name: &'static str,
    pub description: Option<&'static str>,
}

impl Tag {
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            description: None,
        }
    }

    pub const fn described(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            description: Some(description),
        }
    }
}

#[derive(Clone, Copy)]
pub struct Domain {
    pub routes: fn() -> OpenApiRouter<AppState>,
    pub tags: &'static [Tag],
    pub kinds: &'static [Entry],
    /// The free strings of its kinds that say nothing of people, by kind
    /// (see `catalogue::not_about_people`).
    pub not_about_people: &'static [(&'static str, &'static [&'static str])],
    /// In the order they run: a projection made from another comes after it.
    pub rebuilds: &'static [Rebuild],
}

impl Domain {
    pub const fn new(routes: fn() -> OpenApiRouter<AppState>) -> Self {
        Self {
            routes,
            tags: &[],
            kinds: &[],
            not_about_people: &[],
            rebuilds: &[],
        }
    }

    pub const fn tags(self, tags: &'static [Tag]) -> Self {
        Self { tags, ..self }
    }

    pub const fn kinds(self, kinds: &'static [Entry]) -> Self {
        Self { kinds, ..self }
    }

    pub const fn not_about_people(
        self,
        fields: &'static [(&'static str, &'static [&'static str])],
    ) -> Self {
        Self {
            not_about_people: fields,
            ..self
        }
    }

    pub const fn rebuilds(self, rebuilds: &'static [Rebuild]) -> Self {
        Self { rebuilds, ..self }
    }
}
