//! Typed identifiers, so a medium's id cannot be passed where a device's is
//! expected. All are UUIDv7: time-ordered, so they also serve as list cursors.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

id_type!(
    /// A workshop.
    SiteId
);
id_type!(
    /// A donor organisation.
    DonorId
);
id_type!(
    /// An intake batch.
    LotId
);
id_type!(
    /// A device.
    DeviceId
);
id_type!(
    /// A storage medium.
    MediumId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// An API token.
    TokenId
);
id_type!(
    /// A donor portal link.
    PortalLinkId
);
id_type!(
    /// A stock audit of a site.
    StockAuditId
);
id_type!(
    /// A person or organisation receiving devices.
    BeneficiaryId
);
id_type!(
    /// A device allocated to a beneficiary.
    AllocationId
);
id_type!(
    /// A complaint under warranty.
    ComplaintId
);
id_type!(
    /// A part harvested from a dismantled device.
    PartId
);
id_type!(
    /// Devices and media leaving to a recycler.
    WasteShipmentId
);
id_type!(
    /// A person working in a workshop.
    WorkerId
);
id_type!(
    /// Hours a worker worked on a day at an activity.
    TimesheetEntryId
);
id_type!(
    /// A ledger event.
    EventId
);
