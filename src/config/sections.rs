//! The sections of `retrace.toml` a domain reads as they are: `[portal]`
//! and `[privacy]`.

use serde::Deserialize;

/// `[portal]`: the donor portal's links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    /// Days a new link opens for when its creator sets no last day: a
    /// forgotten link does not open forever. 365 by default.
    #[serde(default = "Portal::default_link_days")]
    pub link_days: u32,
}

impl Portal {
    fn default_link_days() -> u32 {
        365
    }
}

impl Default for Portal {
    fn default() -> Self {
        Self {
            link_days: Self::default_link_days(),
        }
    }
}

/// `[privacy]`: how long personal data is kept before it is erased on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    /// Months after a beneficiary's last allocation closed (after their
    /// registration, if they never had one) before their name, contact and
    /// drawn signatures are erased by the hourly chores. 36 by default.
    #[serde(default = "Privacy::default_retention")]
    pub beneficiary_retention_months: u32,
}

impl Privacy {
    fn default_retention() -> u32 {
        36
    }
}

impl Default for Privacy {
    fn default() -> Self {
        Self {
            beneficiary_retention_months: Self::default_retention(),
        }
    }
}
