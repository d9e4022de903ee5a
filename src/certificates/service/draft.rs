//! A certificate prepared outside the writer: its number, its letterhead,
//! its file laid out and sealed, and the fingerprint of what it relied on.

use chrono::{DateTime, Datelike, Utc};
use entities::certificate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::NewCertificate;
use super::revision::revision;
use super::target::{Target, not_past_erasure};
use crate::certificates::content::{self};
use crate::certificates::refusals::CertificateRefused;
use crate::certificates::render::{self, Heading};
use crate::certificates::statement::{self};
use crate::certificates::{Kind, Language, next_number, seal};
use crate::error::AppError;
use crate::principal::Principal;
use crate::state::AppState;

/// The number the next certificate issued at `at` takes.
pub(super) async fn number(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
) -> Result<String, AppError> {
    let last = certificate::Entity::find()
        .filter(certificate::Column::Number.starts_with(format!("CERT-{}-", at.year())))
        .order_by_desc(certificate::Column::Number)
        .one(db)
        .await?;
    Ok(next_number(at, last.as_ref().map(|c| c.number.as_str())))
}

/// What the top of a certificate says, owned, for the thread that lays it out.
pub(super) struct Letterhead {
    pub(super) instance_name: String,
    pub(super) number: String,
    pub(super) issued_at: DateTime<Utc>,
    pub(super) verify_url: String,
    pub(super) supersedes: Option<String>,
    pub(super) language: Language,
}

impl Letterhead {
    pub(super) fn as_heading(&self) -> Heading<'_> {
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
pub(super) struct Draft {
    pub(super) target: Target,
    pub(super) revision: i32,
    pub(super) number: String,
    pub(super) issued_at: DateTime<Utc>,
    pub(super) supersedes: Option<String>,
    pub(super) language: Language,
    pub(super) holder: String,
    pub(super) device_count: i32,
    /// The records' versions (or the statement's figures) the file was made from.
    pub(super) fingerprint: String,
    pub(super) file: Vec<u8>,
    pub(super) sealed: seal::Seal,
}

/// What a certificate's file relies on: equal fingerprints mean the file
/// would say the same. A donor or erasure certificate quotes records, and
/// their versions tell; an impact statement quotes figures, and they tell.
pub(super) async fn fingerprint(
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
pub(super) async fn prepare(
    state: &AppState,
    principal: &Principal,
    target: Target,
    new: &NewCertificate,
) -> Result<Draft, AppError> {
    let started = std::time::Instant::now();
    let db = &state.db;
    let factors = &crate::impact::Factors::for_request(&state.settings)?;
    let issued_at = state.settings.clock.now();
    let revision = revision(db, target, new.supersedes.as_deref()).await?;
    let number = number(db, issued_at).await?;
    let supersedes = new.supersedes.clone();
    let heading = Letterhead {
        instance_name: state.settings.instance_name.clone(),
        verify_url: crate::certificates::verification::url(
            &state.settings.public_url,
            &state.key,
            &number,
        ),
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
    let kind = match target.kind {
        Kind::Donor => "donor_certificate",
        Kind::Erasure => "erasure_certificate",
        Kind::ImpactStatement => "impact_statement",
    };
    crate::metrics::document(kind, started.elapsed());
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
