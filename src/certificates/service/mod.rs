//! Issuing a certificate. The slow part — reading a thousand devices and
//! their media, laying out and sealing the PDF — is done outside the ledger
//! writer, from the read pool; the write job then only checks that nothing
//! the file relied on has moved (the records' versions, the revision, the
//! number) and records it. Had anything moved, the file is prepared again
//! from what the records say now. So what the file says is exactly what the
//! ledger held when it was recorded, and other writes never wait for a layout.

use entities::{certificate, document};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::events::{self, SUBJECT};
use super::refusals::CertificateRefused;
use super::{Certificate, Kind, Language, seal};
use crate::error::AppError;
use crate::ids::{DeviceId, DonorId, LotId, SiteId};
use crate::ledger::writer::Idempotency;
use crate::ledger::{Subject, projection};
use crate::principal::{Permission, Principal};
use crate::state::{AppState, Tx};
use crate::write::Written;

mod draft;
mod revision;
mod target;

use draft::{Draft, fingerprint, number, prepare};
use revision::revision;
use target::target;

/// How many times a certificate is prepared again when its records moved
/// while it was laid out, before the request is refused.
const ATTEMPTS: usize = 3;

/// `POST /api/v1/certificates`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCertificate {
    pub kind: Kind,
    /// The lot, for a donor certificate or a lot's impact statement.
    pub lot_id: Option<LotId>,
    /// The device, for an erasure certificate.
    pub device_id: Option<DeviceId>,
    /// The donor, for a year's impact statement (with `year`).
    pub donor_id: Option<DonorId>,
    /// The calendar year a donor's impact statement covers: 2000 to this
    /// year (a later one is refused with 422).
    #[schema(minimum = 2000, maximum = 2200)]
    pub year: Option<i32>,
    /// For a year's impact statement: one site's figures only. A site's
    /// users always get their own site's.
    pub site_id: Option<SiteId>,
    /// `fr` (default) or `en`.
    #[serde(default)]
    pub language: Language,
    /// To correct an issued certificate: its number. The new one is its next revision.
    #[validate(length(max = 30))]
    #[schema(max_length = 30)]
    pub supersedes: Option<String>,
}

/// The write job: checks that nothing the draft relied on moved, stores the
/// file and records `certificate.issued`.
async fn record(
    tx: &mut Tx,
    principal: &Principal,
    factors: &crate::impact::Factors,
    draft: Draft,
) -> Result<Certificate, AppError> {
    let target = draft.target;
    let moved = fingerprint(tx.conn(), principal, target, draft.issued_at, factors).await?
        != draft.fingerprint
        || revision(tx.conn(), target, draft.supersedes.as_deref()).await? != draft.revision
        || number(tx.conn(), draft.issued_at).await? != draft.number;
    if moved {
        return Err(CertificateRefused::RecordsMoved.into());
    }
    let file_sha256 = seal::file_sha256(&draft.file);
    if document::Entity::find_by_id(file_sha256.clone())
        .one(tx.conn())
        .await?
        .is_none()
    {
        document::ActiveModel {
            sha256: Set(file_sha256.clone()),
            content_type: Set("application/pdf".into()),
            bytes: Set(draft.file),
            created_at: Set(draft.issued_at),
        }
        .insert(tx.conn())
        .await?;
    }
    let issued = events::Issued {
        number: draft.number,
        kind: target.kind,
        revision: draft.revision,
        supersedes: draft.supersedes,
        site_id: target.site_id,
        subject_id: target.subject_id,
        year: target.year(),
        language: draft.language,
        holder: draft.holder,
        device_count: draft.device_count,
        issued_at: draft.issued_at,
        file_sha256,
        content_sha256: draft.sealed.content_sha256,
        signature: draft.sealed.signature,
        key_id: draft.sealed.key_id,
    };
    let id = Uuid::now_v7();
    tx.record(Some(target.site_id), Subject::new(SUBJECT, id), issued)
        .await?;
    projection::row::<certificate::Entity>(tx.conn(), id)
        .await?
        .try_into()
}

/// Issues a certificate: prepared outside the writer, recorded by it.
#[tracing::instrument(level = "debug", skip_all, fields(user = %principal.user_id))]
pub async fn issue(
    state: &AppState,
    principal: &Principal,
    new: NewCertificate,
    idempotency: Option<Idempotency>,
) -> Result<Written<Certificate>, AppError> {
    principal.require(Permission::IssueCertificates)?;
    new.validate()?;
    let target = target(&state.db, principal, &new).await?;
    // The number is printed in the file, so a certificate laid out while
    // another is recorded carries a number already taken and must be laid
    // out again. One issue at a time per process keeps a busy workshop's
    // requests from refusing each other; across processes sharing one
    // database the attempts below still settle it.
    static ISSUING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ISSUING.lock().await;
    let mut attempt = 1;
    loop {
        let outcome = match prepare(state, principal, target, &new).await {
            Ok(draft) => {
                let factors = crate::impact::Factors::for_request(&state.settings)?;
                state
                    .write(principal, idempotency.clone(), move |tx, who| {
                        Box::pin(async move { record(tx, who, &factors, draft).await })
                    })
                    .await
            }
            // A retry of a request already answered finds its certificate
            // issued; the writer replays the first answer for its key.
            Err(err) if idempotency.is_some() => {
                state
                    .write(principal, idempotency.clone(), move |_, _| {
                        Box::pin(async move { Err::<Certificate, _>(err) })
                    })
                    .await
            }
            Err(err) => Err(err),
        };
        match outcome {
            Err(error)
                if attempt < ATTEMPTS
                    && error.refusal() == Some(&CertificateRefused::RecordsMoved) =>
            {
                attempt += 1
            }
            other => return other,
        }
    }
}
