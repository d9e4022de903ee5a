//! Issuing a certificate, inside the ledger writer: the records it quotes
//! and its number are read in the same transaction that records it, so what
//! the file says is exactly what the ledger held at that `seq`.

use chrono::{Datelike, Utc};
use entities::{certificate, device, document, lot};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::content::{self, DeviceLine};
use super::events::{self, SUBJECT};
use super::render::{self, Heading};
use super::{Certificate, Kind, Language, next_number, seal};
use crate::auth::{Permission, Principal};
use crate::error::{AppError, Refusal};
use crate::ids::{DeviceId, LotId, SiteId};
use crate::ledger::keys::InstanceKey;
use crate::ledger::{Subject, chain, projection};
use crate::state::Tx;

/// `POST /api/v1/certificates`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCertificate {
    pub kind: Kind,
    /// The lot, for a donor certificate.
    pub lot_id: Option<LotId>,
    /// The device, for an erasure certificate.
    pub device_id: Option<DeviceId>,
    /// `fr` (default) or `en`.
    #[serde(default)]
    pub language: Language,
    /// To correct an issued certificate: its number. The new one is its next revision.
    #[validate(length(max = 30))]
    pub supersedes: Option<String>,
}

/// What the document needs to know of the instance.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub instance_name: String,
    pub public_url: String,
}

fn not_past_erasure(devices: &[DeviceLine]) -> Option<AppError> {
    let blocking = content::blocking(devices);
    (!blocking.is_empty()).then(|| {
        Refusal::NotPastErasure {
            blocking: blocking
                .into_iter()
                .map(|(tag, state)| (tag.to_owned(), state))
                .collect(),
        }
        .into()
    })
}

pub async fn issue(
    tx: &mut Tx,
    principal: &Principal,
    issuer: &Issuer,
    key: &InstanceKey,
    new: NewCertificate,
) -> Result<Certificate, AppError> {
    principal.require(Permission::IssueCertificates)?;
    let (subject_id, site_id) = match (new.kind, new.lot_id, new.device_id) {
        (Kind::Donor, Some(lot), _) => {
            let row = lot::Entity::find_by_id(lot.0).one(tx.conn()).await?;
            let row = row
                .filter(|l| principal.can_see_site(l.site_id))
                .ok_or_else(|| AppError::field("lot_id", "no such lot"))?;
            (row.id, row.site_id)
        }
        (Kind::Donor, None, _) => {
            return Err(AppError::field(
                "lot_id",
                "is required for a donor certificate",
            ));
        }
        (Kind::Erasure, _, Some(id)) => {
            let row = device::Entity::find_by_id(id.0).one(tx.conn()).await?;
            let row = row
                .filter(|d| principal.can_see_site(d.site_id))
                .ok_or_else(|| AppError::field("device_id", "no such device"))?;
            (row.id, row.site_id)
        }
        (Kind::Erasure, _, None) => {
            return Err(AppError::field(
                "device_id",
                "is required for an erasure certificate",
            ));
        }
    };

    // Issued once: a second one for the same subject is a revision of the first.
    let previous = certificate::Entity::find()
        .filter(certificate::Column::SubjectId.eq(subject_id))
        .filter(certificate::Column::Kind.eq(new.kind.as_str()))
        .order_by_desc(certificate::Column::Revision)
        .one(tx.conn())
        .await?;
    let revision = match (&previous, new.supersedes.as_deref()) {
        (None, None) => 1,
        (None, Some(_)) => {
            return Err(AppError::field(
                "supersedes",
                "no certificate of this kind was issued for this subject",
            ));
        }
        (Some(latest), Some(number)) if latest.number == number => latest.revision + 1,
        (Some(latest), Some(_)) => {
            return Err(AppError::field(
                "supersedes",
                format!(
                    "the latest certificate for this subject is {}",
                    latest.number
                ),
            ));
        }
        (Some(latest), None) => {
            return Err(AppError::Conflict(format!(
                "certificate {} was already issued; to correct it, issue a revision with `supersedes`",
                latest.number
            )));
        }
    };

    let issued_at = chain::truncate_to_micros(Utc::now());
    let last = certificate::Entity::find()
        .filter(certificate::Column::Number.starts_with(format!("CERT-{}-", issued_at.year())))
        .order_by_desc(certificate::Column::Number)
        .one(tx.conn())
        .await?;
    let number = next_number(issued_at, last.as_ref().map(|c| c.number.as_str()));
    let verify_url = format!("{}/verify/{number}", issuer.public_url);
    let heading = Heading {
        instance_name: &issuer.instance_name,
        number: &number,
        issued_at,
        verify_url: &verify_url,
        supersedes: new.supersedes.as_deref(),
        language: new.language,
    };
    let (pdf, holder, device_count) = match new.kind {
        Kind::Donor => {
            let content = content::donor(tx.conn(), subject_id).await?;
            if let Some(refusal) = not_past_erasure(&content.devices) {
                return Err(refusal);
            }
            (
                render::donor(&content, &heading)?,
                render::holder(&content.donor),
                content.devices.len(),
            )
        }
        Kind::Erasure => {
            let content = content::device(tx.conn(), subject_id).await?;
            if let Some(refusal) = not_past_erasure(std::slice::from_ref(&content.device)) {
                return Err(refusal);
            }
            let holder = content
                .donor
                .as_ref()
                .map_or_else(|| "—".to_owned(), render::holder);
            (render::erasure(&content, &heading)?, holder, 1)
        }
    };
    let (file, sealed) = seal::seal(pdf, key);
    let file_sha256 = seal::file_sha256(&file);
    if document::Entity::find_by_id(file_sha256.clone())
        .one(tx.conn())
        .await?
        .is_none()
    {
        document::ActiveModel {
            sha256: Set(file_sha256.clone()),
            content_type: Set("application/pdf".into()),
            bytes: Set(file),
            created_at: Set(issued_at),
        }
        .insert(tx.conn())
        .await?;
    }
    let issued = events::Issued {
        number,
        kind: new.kind,
        revision,
        supersedes: new.supersedes,
        site_id: SiteId(site_id),
        subject_id,
        language: new.language,
        holder,
        device_count: i32::try_from(device_count).unwrap_or(i32::MAX),
        issued_at,
        file_sha256,
        content_sha256: sealed.content_sha256,
        signature: sealed.signature,
        key_id: sealed.key_id,
    };
    let id = Uuid::now_v7();
    tx.record(Some(SiteId(site_id)), Subject::new(SUBJECT, id), issued)
        .await?;
    projection::row::<certificate::Entity>(tx.conn(), id)
        .await?
        .try_into()
}
