//! Who acts, and what they may do.
//!
//! The role × permission table is [`Role::allows`], in one place. Site
//! scoping is separate from roles: a user bound to a site gets `404`, not
//! `403`, for another site's items, so that their existence does not leak.
//! How a request proves who it is belongs to `auth`.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::{SiteId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the network: every site, users, settings, corrections.
    Admin,
    /// Registers donations, allocates devices, issues certificates — for one site.
    Coordinator,
    /// Records workshop work on devices — for one site.
    Technician,
    /// Reads reports and inventory, never personal data.
    Viewer,
}

/// Something a request may need to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadInventory,
    RegisterDevices,
    /// Audit, erasure, refurbishing, install, QC, dismantling, media handling, returns.
    WorkshopActions,
    /// Reserve, release, deliver, recycle, declare lost.
    DispatchActions,
    ManageDonors,
    ManageLots,
    ManageSites,
    ManageUsers,
    /// Issuing certificates to donors.
    IssueCertificates,
    /// Reading the whole ledger, every site's events.
    ReadLedger,
    /// Correcting a record out of the normal lifecycle (e.g. from a terminal state).
    CorrectRecords,
    /// Recording beneficiaries, allocating devices to them, shipping waste.
    ManageBeneficiaries,
    /// Reading and erasing beneficiaries' and workers' names and contacts (one's own site's).
    ReadPersonalData,
    /// Registering workers, their contracts and their hours.
    ManageWorkers,
    /// Reading who did each step and what was written about it: staff names,
    /// witnesses, notes, complaints, faults — the workshop's, not a funder's.
    ReadNotes,
}

impl Role {
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Coordinator => !matches!(permission, ManageSites | CorrectRecords | ReadLedger),
            Role::Technician => matches!(
                permission,
                ReadInventory | RegisterDevices | WorkshopActions | ReadNotes
            ),
            Role::Viewer => matches!(permission, ReadInventory),
        }
    }

    /// Roles that work in one workshop must be bound to its site.
    pub fn requires_site(self) -> bool {
        matches!(self, Role::Coordinator | Role::Technician)
    }

    pub fn as_str(self) -> &'static str {
        crate::words::word(&self)
    }

    pub fn parse(text: &str) -> Option<Self> {
        crate::words::from_word(text)
    }
}

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

/// Principals recently proven by a secret (an API token, a session
/// cookie), by the secret's digest: a busy scanner or script costs no
/// database lookup per request. An entry lives [`RecentPrincipals::TTL`];
/// revoking a token or changing a user clears this process's cache at once
/// (another process sharing the database sees the change within the TTL).
pub struct RecentPrincipals {
    entries: RwLock<HashMap<String, Cached>>,
}

struct Cached {
    principal: Principal,
    expires_at: DateTime<Utc>,
    fetched: Instant,
}

impl Default for RecentPrincipals {
    fn default() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl RecentPrincipals {
    pub const TTL: Duration = Duration::from_secs(5);
    /// Past this many secrets the cache starts afresh rather than grow.
    const CAPACITY: usize = 10_000;

    /// The principal proven by the secret of this digest, and until when the
    /// secret holds, if proven less than [`Self::TTL`] ago.
    pub fn get(&self, digest: &str) -> Option<(Principal, DateTime<Utc>)> {
        let entries = self.entries.read().ok()?;
        entries
            .get(digest)
            .filter(|c| c.fetched.elapsed() < Self::TTL)
            .map(|c| (c.principal.clone(), c.expires_at))
    }

    pub fn put(&self, digest: String, principal: Principal, expires_at: DateTime<Utc>) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            entries.insert(
                digest,
                Cached {
                    principal,
                    expires_at,
                    fetched: Instant::now(),
                },
            );
        }
    }

    /// Forgets every cached secret: after a revocation or a change to a user.
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Permission; 15] = [
        Permission::ReadInventory,
        Permission::RegisterDevices,
        Permission::WorkshopActions,
        Permission::DispatchActions,
        Permission::ManageDonors,
        Permission::ManageLots,
        Permission::ManageSites,
        Permission::ManageUsers,
        Permission::IssueCertificates,
        Permission::ReadLedger,
        Permission::CorrectRecords,
        Permission::ManageBeneficiaries,
        Permission::ReadPersonalData,
        Permission::ManageWorkers,
        Permission::ReadNotes,
    ];

    fn allowed(role: Role) -> Vec<Permission> {
        ALL.into_iter().filter(|p| role.allows(*p)).collect()
    }

    /// The role table of docs/DECISIONS.md: `| `Permission` | ✓ | … |` rows,
    /// one column per role in the header's order.
    fn documented() -> Vec<(Role, Vec<String>)> {
        let text = include_str!("../docs/DECISIONS.md");
        let mut lines = text
            .lines()
            .map(str::trim)
            .skip_while(|l| !l.starts_with("| permission |"));
        let cells = |line: &str| -> Vec<String> {
            line.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect()
        };
        let header = cells(lines.next().expect("docs/DECISIONS.md has the role table"));
        let roles: Vec<Role> = header[1..]
            .iter()
            .map(|r| Role::parse(r).unwrap_or_else(|| panic!("unknown role {r}")))
            .collect();
        let rows: Vec<Vec<String>> = lines
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(cells)
            .collect();
        roles
            .iter()
            .enumerate()
            .map(|(i, role)| {
                let allowed = rows
                    .iter()
                    .filter(|row| row[i + 1] == "✓")
                    .map(|row| row[0].trim_matches('`').to_owned())
                    .collect();
                (*role, allowed)
            })
            .collect()
    }

    #[test]
    fn the_role_table_is_the_documented_one() {
        let documented = documented();
        assert_eq!(documented.len(), 4, "one column per role");
        for (role, permissions) in documented {
            let code: Vec<String> = allowed(role).iter().map(|p| format!("{p:?}")).collect();
            assert_eq!(
                permissions, code,
                "{role:?}: docs/DECISIONS.md and Role::allows disagree"
            );
        }
        let named: Vec<String> = ALL.iter().map(|p| format!("{p:?}")).collect();
        let text = include_str!("../docs/DECISIONS.md");
        for permission in named {
            assert!(
                text.contains(&format!("| `{permission}` |")),
                "{permission} has no row in docs/DECISIONS.md's role table"
            );
        }
    }

    #[test]
    fn roles_parse_from_their_names() {
        for role in [
            Role::Admin,
            Role::Coordinator,
            Role::Technician,
            Role::Viewer,
        ] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn a_site_user_cannot_reach_another_site() {
        let own = SiteId::generate();
        let user = Principal {
            user_id: UserId::generate(),
            email: "t@x".into(),
            role: Role::Technician,
            site_id: Some(own),
            language: None,
        };
        assert!(user.check_site(own).is_ok());
        assert!(matches!(
            user.check_site(SiteId::generate()),
            Err(AppError::NotFound)
        ));
        assert!(user.target_site(Some(SiteId::generate())).is_err());
        assert_eq!(user.target_site(None).unwrap(), own);
    }
}
