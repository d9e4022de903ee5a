//! Who may hold which account, and who manages whom: pure rules.

use crate::error::AppError;
use crate::ids::SiteId;
use crate::principal::{Permission, Principal, Role};

/// Checks that a role and a site go together.
pub fn check_role_site(role: Role, site: Option<SiteId>) -> Result<(), AppError> {
    match (role, site) {
        (Role::Admin, Some(_)) => Err(AppError::field(
            "site_id",
            "admins work for the whole network and have no site",
        )),
        (role, None) if role.requires_site() => {
            Err(AppError::field("site_id", "required for this role"))
        }
        _ => Ok(()),
    }
}

/// Whether `actor` may create or change a user with this role and site.
pub fn check_manages(actor: &Principal, role: Role, site: Option<SiteId>) -> Result<(), AppError> {
    actor.require(Permission::ManageUsers)?;
    if actor.role == Role::Admin {
        return Ok(());
    }
    if !matches!(role, Role::Technician | Role::Viewer) || site.is_none() || site != actor.site_id {
        return Err(AppError::Forbidden(
            "coordinators manage technicians and viewers of their own site".into(),
        ));
    }
    Ok(())
}
