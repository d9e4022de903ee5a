//! The navigation: each role is shown the pages it may use, and nothing it
//! would be refused; the page one is on is marked (`aria-current`).

use super::session::Session;
use crate::principal::Permission;

/// A link of the navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// Every page of the navigation, with the permission it needs.
const PAGES: &[(&str, &str, Option<Permission>)] = &[
    ("/", "home", None),
    ("/scan", "scan", Some(Permission::WorkshopActions)),
    ("/devices", "devices", None),
    ("/lots", "lots", None),
    ("/donors", "donors", None),
    ("/stock", "stock", None),
    ("/audits", "audits", Some(Permission::WorkshopActions)),
    (
        "/allocations",
        "allocations",
        Some(Permission::ManageBeneficiaries),
    ),
    (
        "/beneficiaries",
        "beneficiaries",
        Some(Permission::ManageBeneficiaries),
    ),
    (
        "/shipments",
        "shipments",
        Some(Permission::ManageBeneficiaries),
    ),
    ("/workers", "team", Some(Permission::ManageWorkers)),
    ("/timesheets", "hours", Some(Permission::ManageWorkers)),
    ("/reports", "reports", None),
    ("/users", "users", Some(Permission::ManageUsers)),
    ("/account", "account", None),
];

/// The section a path belongs to: a device's page is among the devices.
fn section(path: &str) -> &str {
    if path.starts_with("/d/") {
        return "/devices";
    }
    if path.starts_with("/complaints/") {
        return "/allocations";
    }
    PAGES
        .iter()
        .map(|(href, _, _)| *href)
        .filter(|href| *href != "/")
        .find(|href| path == *href || path.starts_with(&format!("{href}/")))
        .unwrap_or(if path == "/" { "/" } else { "" })
}

impl Session {
    /// The pages this person may use, the current one marked.
    pub fn nav(&self) -> Vec<NavItem> {
        let here = section(&self.path);
        PAGES
            .iter()
            .filter(|(_, _, needs)| needs.is_none_or(|p| self.principal.role.allows(p)))
            .map(|(href, key, _)| NavItem {
                href,
                label: self.language.word("nav", key),
                current: *href == here,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_belongs_to_its_section_and_only_to_it() {
        assert_eq!(section("/"), "/");
        assert_eq!(section("/lots"), "/lots");
        assert_eq!(section("/lots/new"), "/lots");
        assert_eq!(section("/d/BRE-000001-K"), "/devices");
        assert_eq!(section("/users/0190"), "/users");
        assert_eq!(section("/complaints/0190/answer"), "/allocations");
        // `/donors` is not within `/d`, nor `/login` a section at all.
        assert_eq!(section("/donors"), "/donors");
        assert_eq!(section("/login"), "");
    }
}
