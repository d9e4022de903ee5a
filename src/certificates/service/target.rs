//! What a certificate is asked for, as the principal may see it, and its
//! revision.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::NewCertificate;
use crate::certificates::Kind;
use crate::certificates::content::{self, DeviceLine};
use crate::certificates::refusals::CertificateRefused;
use crate::certificates::statement::{self, Scope};
use crate::error::AppError;
use crate::ids::SiteId;
use crate::principal::Principal;

pub(super) fn not_past_erasure(devices: &[DeviceLine]) -> Option<AppError> {
    let blocking = content::blocking(devices);
    (!blocking.is_empty()).then(|| {
        CertificateRefused::NotPastErasure {
            blocking: blocking
                .into_iter()
                .map(|(tag, state)| (tag.to_owned(), state))
                .collect(),
        }
        .into()
    })
}

/// The lot, device or donor a certificate is asked for, as the principal
/// may see it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Target {
    pub(super) kind: Kind,
    pub(super) subject_id: Uuid,
    pub(super) site_id: SiteId,
    /// What an impact statement covers.
    pub(super) statement: Option<Scope>,
}

impl Target {
    pub(super) fn year(&self) -> Option<i32> {
        match self.statement {
            Some(Scope::Year { year, .. }) => Some(year),
            _ => None,
        }
    }
}

pub(super) async fn target(
    db: &impl ConnectionTrait,
    principal: &Principal,
    new: &NewCertificate,
) -> Result<Target, AppError> {
    match (new.kind, new.lot_id, new.device_id) {
        (Kind::Donor, Some(lot), _) => {
            let lot = crate::lots::queries::get(db, principal, lot)
                .await
                .map_err(|_| AppError::field("lot_id", "no such lot"))?;
            Ok(Target {
                kind: Kind::Donor,
                subject_id: lot.id.0,
                site_id: lot.site_id,
                statement: None,
            })
        }
        (Kind::Donor, None, _) => Err(AppError::field(
            "lot_id",
            "is required for a donor certificate",
        )),
        (Kind::Erasure, _, Some(device)) => {
            let device = crate::devices::queries::visible(db, principal, device)
                .await
                .map_err(|_| AppError::field("device_id", "no such device"))?;
            Ok(Target {
                kind: Kind::Erasure,
                subject_id: device.id,
                site_id: SiteId(device.site_id),
                statement: None,
            })
        }
        (Kind::Erasure, _, None) => Err(AppError::field(
            "device_id",
            "is required for an erasure certificate",
        )),
        (Kind::ImpactStatement, ..) => statement_target(db, principal, new).await,
    }
}

/// An impact statement covers a lot, or a donor's year.
pub(super) async fn statement_target(
    db: &impl ConnectionTrait,
    principal: &Principal,
    new: &NewCertificate,
) -> Result<Target, AppError> {
    match (new.lot_id, new.donor_id, new.year) {
        (Some(lot), None, None) => {
            let lot = crate::lots::queries::get(db, principal, lot)
                .await
                .map_err(|_| AppError::field("lot_id", "no such lot"))?;
            Ok(Target {
                kind: Kind::ImpactStatement,
                subject_id: lot.id.0,
                site_id: lot.site_id,
                statement: Some(Scope::Lot(lot.id)),
            })
        }
        (None, Some(donor), Some(year)) => {
            crate::donors::queries::get(db, principal, donor)
                .await
                .map_err(|_| AppError::field("donor_id", "no such donor"))?;
            let site = principal.read_scope(new.site_id)?.map(SiteId);
            Ok(Target {
                kind: Kind::ImpactStatement,
                subject_id: donor.0,
                site_id: statement::issuing_site(db, donor, site).await?,
                statement: Some(Scope::Year { donor, year, site }),
            })
        }
        (None, Some(_), None) => Err(AppError::field(
            "year",
            "is required for a donor's impact statement",
        )),
        _ => Err(AppError::field(
            "lot_id",
            "an impact statement covers a lot (`lot_id`) or a donor's year (`donor_id` and `year`)",
        )),
    }
}
