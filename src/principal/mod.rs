//! Who acts, and what they may do.
//!
//! The role × permission table is [`Role::allows`], in one place. Site
//! scoping is separate from roles: a user bound to a site gets `404`, not
//! `403`, for another site's items, so that their existence does not leak.
//! How a request proves who it is belongs to `auth`.

mod recent;
mod role;

use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{SiteId, UserId};

pub use recent::RecentPrincipals;
pub use role::{Permission, Role};

/// The authenticated user behind a request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    pub email: String,
    pub role: Role,
    /// `None` for network-wide users (admins, network viewers).
    pub site_id: Option<SiteId>,
    /// The language the user reads pages in; `None` for the instance itself.
    pub language: Option<Language>,
}

impl Principal {
    /// Whoever runs the `retrace` command on the server itself: every right,
    /// recorded in the ledger as the instance (no user).
    pub fn instance() -> Self {
        Self {
            user_id: UserId(Uuid::nil()),
            email: String::new(),
            role: Role::Admin,
            site_id: None,
            language: None,
        }
    }

    /// Who the ledger records as the actor: `None` for the instance itself.
    pub fn actor(&self) -> Option<UserId> {
        (!self.user_id.0.is_nil()).then_some(self.user_id)
    }

    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.role.allows(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "the {} role may not do this",
                self.role.as_str()
            )))
        }
    }

    pub fn can_see_site(&self, site: impl Into<Uuid>) -> bool {
        let site = site.into();
        self.site_id.is_none_or(|own| own.0 == site)
    }

    /// `404` for another site's item, as if it did not exist.
    pub fn check_site(&self, site: impl Into<Uuid>) -> Result<(), AppError> {
        if self.can_see_site(site) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The site lists are restricted to, if any.
    pub fn site_scope(&self) -> Option<Uuid> {
        self.site_id.map(|s| s.0)
    }

    /// The sites a read covers: the user's own, or the one asked for (all
    /// of them if none) for a user not bound to a site. Asking for another
    /// site than one's own is a 404, as for a record out of sight.
    pub fn read_scope(&self, asked: Option<SiteId>) -> Result<Option<Uuid>, AppError> {
        match (self.site_scope(), asked) {
            (Some(own), Some(asked)) if own != asked.0 => Err(AppError::NotFound),
            (Some(own), _) => Ok(Some(own)),
            (None, asked) => Ok(asked.map(|s| s.0)),
        }
    }

    /// The site a new item goes to: the user's own, or the one they name if they may.
    pub fn target_site(&self, requested: Option<SiteId>) -> Result<SiteId, AppError> {
        match (self.site_id, requested) {
            (Some(own), None) => Ok(own),
            (Some(own), Some(asked)) if own == asked => Ok(own),
            (Some(_), Some(_)) => Err(AppError::field(
                "site_id",
                "you can only work in your own site",
            )),
            (None, Some(asked)) => Ok(asked),
            (None, None) => Err(AppError::field(
                "site_id",
                "required for users without a site",
            )),
        }
    }
}

#[cfg(test)]
mod tests;
