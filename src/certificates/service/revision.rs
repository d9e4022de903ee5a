//! A certificate's revision: the first, or the one after the certificate
//! it corrects.

use entities::certificate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::target::Target;
use crate::certificates::refusals::CertificateRefused;
use crate::error::AppError;

/// The revision a new certificate for `target` is: 1, or the next after the
/// one it says it corrects — which must be the latest.
pub(super) async fn revision(
    db: &impl ConnectionTrait,
    target: Target,
    supersedes: Option<&str>,
) -> Result<i32, AppError> {
    // Issued once: a second one for the same subject is a revision of the first.
    let same_year = match target.year() {
        Some(year) => certificate::Column::Year.eq(year),
        None => certificate::Column::Year.is_null(),
    };
    let previous = certificate::Entity::find()
        .filter(certificate::Column::SubjectId.eq(target.subject_id))
        .filter(certificate::Column::Kind.eq(target.kind.as_str()))
        .filter(same_year)
        .order_by_desc(certificate::Column::Revision)
        .one(db)
        .await?;
    match (&previous, supersedes) {
        (None, None) => Ok(1),
        (None, Some(_)) => Err(AppError::field(
            "supersedes",
            "no certificate of this kind was issued for this subject",
        )),
        (Some(latest), Some(number)) if latest.number == number => Ok(latest.revision + 1),
        (Some(latest), Some(_)) => Err(AppError::field(
            "supersedes",
            format!(
                "the latest certificate for this subject is {}",
                latest.number
            ),
        )),
        (Some(latest), None) => Err(CertificateRefused::AlreadyIssued {
            number: latest.number.clone(),
        }
        .into()),
    }
}
