//! Issuing a certificate. The slow part — reading a thousand devices and
//! their media, laying out and sealing the PDF — is done outside the ledger
//! writer, from the read pool; the write job then only checks that nothing
//! the file relied on has moved (the records' versions, the revision, the
//! number) and records it. Had anything moved, the file is prepared again
//! from what the records say now. So what the file says is exactly what the
//! ledger held when it was recorded, and other writes never wait for a layout.

use chrono::{DateTime, Datelike, Utc};
use entities::{certificate, document};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::content::{self, DeviceLine};
use super::events::{self, SUBJECT};
use super::refusals::CertificateRefused;
use super::render::{self, Heading};
use super::statement::{self, Scope};
use super::{Certificate, Kind, Language, next_number, seal};
use crate::error::AppError;
use crate::ids::{DeviceId, DonorId, LotId, SiteId};
use crate::ledger::writer::Idempotency;
use crate::ledger::{Subject, projection};
use crate::principal::{Permission, Principal};
use crate::state::{AppState, Tx};
use crate::write::Written;

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
    /// The calendar year a donor's impact statement covers.
    pub year: Option<i32>,
    /// For a year's impact statement: one site's figures only. A site's
    /// users always get their own site's.
    pub site_id: Option<SiteId>,
    /// `fr` (default) or `en`.
    #[serde(default)]
    pub language: Language,
    /// To correct an issued certificate: its number. The new one is its next revision.
    #[validate(length(max = 30))]
    pub supersedes: Option<String>,
}

fn not_past_erasure(devices: &[DeviceLine]) -> Option<AppError> {
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
struct Target {
    kind: Kind,
    subject_id: Uuid,
    site_id: SiteId,
    /// What an impact statement covers.
    statement: Option<Scope>,
}

impl Target {
    fn year(&self) -> Option<i32> {
        match self.statement {
            Some(Scope::Year { year, .. }) => Some(year),
            _ => None,
        }
    }
}

async fn target(
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
async fn statement_target(
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

/// The revision a new certificate for `target` is: 1, or the next after the
/// one it says it corrects — which must be the latest.
async fn revision(
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

/// The number the next certificate issued at `at` takes.
async fn number(db: &impl ConnectionTrait, at: DateTime<Utc>) -> Result<String, AppError> {
    let last = certificate::Entity::find()
        .filter(certificate::Column::Number.starts_with(format!("CERT-{}-", at.year())))
        .order_by_desc(certificate::Column::Number)
        .one(db)
        .await?;
    Ok(next_number(at, last.as_ref().map(|c| c.number.as_str())))
}

/// What the top of a certificate says, owned, for the thread that lays it out.
struct Letterhead {
    instance_name: String,
    number: String,
    issued_at: DateTime<Utc>,
    verify_url: String,
    supersedes: Option<String>,
    language: Language,
}

impl Letterhead {
    fn as_heading(&self) -> Heading<'_> {
        Heading {
            instance_name: &self.instance_name,
            number: &self.number,
            issued_at: self.issued_at,
            verify_url: &self.verify_url,
            supersedes: self.supersedes.as_deref(),
            language: self.language,
        }
    }
}

/// A certificate ready to record: its file, sealed, and what it relied on.
#[derive(Debug)]
struct Draft {
    target: Target,
    revision: i32,
    number: String,
    issued_at: DateTime<Utc>,
    supersedes: Option<String>,
    language: Language,
    holder: String,
    device_count: i32,
    /// The records' versions (or the statement's figures) the file was made from.
    fingerprint: String,
    file: Vec<u8>,
    sealed: seal::Seal,
}

/// What a certificate's file relies on: equal fingerprints mean the file
/// would say the same. A donor or erasure certificate quotes records, and
/// their versions tell; an impact statement quotes figures, and they tell.
async fn fingerprint(
    db: &impl ConnectionTrait,
    principal: &Principal,
    target: Target,
    issued_at: DateTime<Utc>,
    factors: &crate::impact::Factors,
) -> Result<String, AppError> {
    match target.statement {
        Some(scope) => statement::read(db, principal, scope, issued_at.date_naive(), factors)
            .await?
            .fingerprint(),
        None => content::fingerprint(db, target.kind, target.subject_id).await,
    }
}

/// Reads, lays out and seals the certificate, from the read pool. The
/// records' fingerprint is taken before and after reading them: if they
/// moved in between, what was read may be half of each, and it starts over.
/// A statement's fingerprint is its figures, taken once: the write job
/// reads them again and compares.
async fn prepare(
    state: &AppState,
    principal: &Principal,
    target: Target,
    new: &NewCertificate,
) -> Result<Draft, AppError> {
    let db = &state.db;
    let factors = &crate::impact::Factors::for_request(&state.settings)?;
    let issued_at = state.settings.clock.now();
    let revision = revision(db, target, new.supersedes.as_deref()).await?;
    let number = number(db, issued_at).await?;
    let supersedes = new.supersedes.clone();
    let heading = Letterhead {
        instance_name: state.settings.instance_name.clone(),
        verify_url: super::verification::url(&state.settings.public_url, &state.key, &number),
        number: number.clone(),
        issued_at,
        supersedes: supersedes.clone(),
        language: new.language,
    };
    // Laying out a thousand-device table is CPU work: off the async workers.
    let (pdf, holder, device_count, fingerprint) = match (target.kind, target.statement) {
        (Kind::ImpactStatement, Some(scope)) => {
            let statement =
                statement::read(db, principal, scope, issued_at.date_naive(), factors).await?;
            let fingerprint = statement.fingerprint()?;
            let holder = render::holder(&statement.donor);
            let count = statement.device_count();
            let pdf = tokio::task::spawn_blocking(move || {
                statement::render(&statement, &heading.as_heading())
            })
            .await
            .map_err(AppError::internal)??;
            (pdf, holder, count, fingerprint)
        }
        (Kind::Donor, _) => {
            let fingerprint = content::fingerprint(db, target.kind, target.subject_id).await?;
            let content = content::donor(db, target.subject_id).await?;
            if let Some(refusal) = not_past_erasure(&content.devices) {
                return Err(refusal);
            }
            let holder = render::holder(&content.donor);
            let count = i32::try_from(content.devices.len()).unwrap_or(i32::MAX);
            let factors = factors.clone();
            let pdf = tokio::task::spawn_blocking(move || {
                render::donor(&content, &heading.as_heading(), &factors)
            })
            .await
            .map_err(AppError::internal)??;
            if content::fingerprint(db, target.kind, target.subject_id).await? != fingerprint {
                return Err(CertificateRefused::RecordsMoved.into());
            }
            (pdf, holder, count, fingerprint)
        }
        (Kind::Erasure, _) => {
            let fingerprint = content::fingerprint(db, target.kind, target.subject_id).await?;
            let content = content::device(db, target.subject_id).await?;
            if let Some(refusal) = not_past_erasure(std::slice::from_ref(&content.device)) {
                return Err(refusal);
            }
            let holder = content
                .donor
                .as_ref()
                .map_or_else(|| "—".to_owned(), render::holder);
            let pdf = tokio::task::spawn_blocking(move || {
                render::erasure(&content, &heading.as_heading())
            })
            .await
            .map_err(AppError::internal)??;
            if content::fingerprint(db, target.kind, target.subject_id).await? != fingerprint {
                return Err(CertificateRefused::RecordsMoved.into());
            }
            (pdf, holder, 1, fingerprint)
        }
        (Kind::ImpactStatement, None) => {
            return Err(AppError::internal("an impact statement without a scope"));
        }
    };
    let (file, sealed) = seal::seal(pdf, &state.key);
    Ok(Draft {
        target,
        revision,
        number,
        issued_at,
        supersedes,
        language: new.language,
        holder,
        device_count,
        fingerprint,
        file,
        sealed,
    })
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
