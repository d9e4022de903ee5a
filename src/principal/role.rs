//! The role × permission table, in one place.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    /// Reading how the instance runs (`/metrics`): the whole network's
    /// activity, so an administrator's.
    ReadOperations,
}

impl Role {
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Coordinator => !matches!(
                permission,
                ManageSites | CorrectRecords | ReadLedger | ReadOperations
            ),
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
