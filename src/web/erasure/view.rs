//! What the device and medium pages show of erasure: the forms of the bench
//! (which media are still to erase), each medium's records in words, and
//! what an nwipe log just did.

use crate::devices::DeviceState;
use crate::erasure::service::ImportReport;
use crate::erasure::{Category, Destination, StoredErasure, Technique, Verification, queries};
use crate::error::AppError;
use crate::i18n::Language;
use crate::media::{Medium, MediumKind};
use crate::principal::{Permission, Principal};
use crate::scan::{ItemType, ScanResult};
use crate::state::AppState;

/// A choice of a `<select>`: the value sent and the words shown.
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    fn word(lang: Language, section: &str, value: &str) -> Self {
        Self {
            value: value.to_owned(),
            label: lang.word(section, value),
        }
    }
}

/// The bench's forms, for someone who may erase.
pub struct Panel {
    /// Whether a hardware report (lshw) is offered: the device is not yet
    /// being erased, so its drives may still be listed from it.
    pub audit: bool,
    /// Whether a drive may be added by hand (a device still in the workshop).
    pub add_medium: bool,
    /// The media whose data is not yet gone, to erase or destroy.
    pub open_media: Vec<Choice>,
    pub kinds: Vec<Choice>,
    /// Techniques that clear or purge, and those that destroy (NIST SP 800-88).
    pub erase_techniques: Vec<Choice>,
    pub destroy_techniques: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub verifications: Vec<Choice>,
    pub destinations: Vec<Choice>,
}

/// One erasure record, as a technician or an auditor reads it.
pub struct RecordLine {
    pub medium_tag: String,
    pub at: String,
    /// Category, technique and method: "Purge · Effacement cryptographique · ATA Secure Erase".
    pub how: String,
    /// The tool and its version, when known.
    pub tool: String,
    pub verification: String,
    pub passed: bool,
    pub outcome: String,
    /// Who did it (empty for a reader who may not see names).
    pub by: String,
    pub errors: String,
    pub witness: String,
    pub source: String,
}

/// What an nwipe log just did: the media it erased, and the drives it
/// erased that match no medium yet, each with the record to attach.
pub struct LogView {
    pub method: String,
    pub complete: bool,
    pub recorded: Vec<String>,
    pub unmatched: Vec<UnmatchedLine>,
}

pub struct UnmatchedLine {
    pub drive: String,
    pub status: String,
    pub reason: String,
    /// The record nwipe's log stands for, as JSON, to post with a medium.
    pub proposed: String,
    /// The serial a new medium would carry.
    pub serial: String,
    pub model: String,
    pub capacity_bytes: String,
}

/// The bench's forms for `item`, if `principal` may erase and something is
/// left to do on it.
pub fn panel(lang: Language, principal: &Principal, item: &ScanResult) -> Option<Panel> {
    if !principal.role.allows(Permission::WorkshopActions) {
        return None;
    }
    let (media, audit, add_medium): (Vec<&Medium>, bool, bool) =
        match (&item.item_type, &item.device, &item.medium) {
            (ItemType::Medium, _, Some(medium)) => (vec![medium], false, false),
            (_, Some(device), _) => (
                item.media.iter().collect(),
                matches!(
                    device.state,
                    DeviceState::Received | DeviceState::Inventoried
                ),
                device.state.is_in_workshop() && device.state != DeviceState::Ready,
            ),
            _ => return None,
        };
    let open_media: Vec<Choice> = media
        .iter()
        .filter(|m| !m.state.is_safe())
        .map(|m| Choice {
            value: m.id.to_string(),
            label: format!("{} · {}", m.asset_tag, title(lang, m)),
        })
        .collect();
    if open_media.is_empty() && !audit && !add_medium {
        return None;
    }
    let words = |section: &str, values: &[&str]| -> Vec<Choice> {
        values
            .iter()
            .map(|v| Choice::word(lang, section, v))
            .collect()
    };
    let technique = |t: Technique| Choice::word(lang, "technique", t.as_str());
    use Technique::*;
    Some(Panel {
        audit,
        add_medium,
        open_media,
        kinds: MediumKind::ALL
            .iter()
            .map(|k| Choice::word(lang, "medium_kind", k.as_str()))
            .collect(),
        erase_techniques: [Overwrite, BlockErase, CryptoErase, Degauss, Other]
            .into_iter()
            .map(technique)
            .collect(),
        destroy_techniques: [Shred, Disintegrate, Other]
            .into_iter()
            .map(technique)
            .collect(),
        categories: words(
            "nist_category",
            &[Category::Clear.as_str(), Category::Purge.as_str()],
        ),
        verifications: [
            Verification::Full,
            Verification::Sampling,
            Verification::None,
        ]
        .into_iter()
        .map(|v| Choice::word(lang, "verification", v.as_str()))
        .collect(),
        destinations: Destination::ALL
            .iter()
            .map(|d| Choice::word(lang, "destination", d.as_str()))
            .collect(),
    })
}

/// "SSD Samsung 870 EVO 256 GB S/N S3Z9…"
fn title(lang: Language, m: &Medium) -> String {
    lang.medium_title(
        m.kind.as_str(),
        m.model.as_deref(),
        m.capacity_bytes,
        m.serial_number.as_deref(),
    )
}

/// The erasure records of the item's media (of the medium itself, for a
/// medium), newest first, as `principal` may read them.
pub async fn records(
    state: &AppState,
    principal: &Principal,
    item: &ScanResult,
    lang: Language,
) -> Result<Vec<RecordLine>, AppError> {
    let media: Vec<&Medium> = match (&item.item_type, &item.medium) {
        (ItemType::Medium, Some(medium)) => vec![medium],
        _ => item.media.iter().collect(),
    };
    if media.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<_> = media.iter().map(|m| m.id).collect();
    let stored = queries::of_media(&state.db, principal, &ids).await?;
    Ok(stored
        .into_iter()
        .map(|erasure| {
            let tag = media
                .iter()
                .find(|m| m.id == erasure.record.medium_id)
                .map(|m| m.asset_tag.clone())
                .unwrap_or_default();
            line(lang, tag, erasure)
        })
        .collect())
}

fn line(lang: Language, medium_tag: String, erasure: StoredErasure) -> RecordLine {
    let r = erasure.record;
    let how = [
        Some(lang.word("nist_category", r.category.as_str())),
        Some(lang.word("technique", r.technique.as_str())),
        r.method,
        r.passes
            .map(|n| lang.fill("erasure.passes", &[("n", &n.to_string())])),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let verification = match r.verification {
        Verification::None => lang.word("verification", "none"),
        v => format!(
            "{} : {}",
            lang.word("verification", v.as_str()),
            lang.word("verification_result", r.verification_result.as_str())
        ),
    };
    let at = r.ended_at.or(r.started_at).unwrap_or(erasure.created_at);
    RecordLine {
        medium_tag,
        at: crate::i18n::format::moment(lang, at),
        how,
        tool: [r.tool, r.tool_version]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
        verification,
        passed: r.outcome == crate::erasure::Outcome::Passed,
        outcome: lang.word("erasure_outcome", r.outcome.as_str()),
        by: r.operator_name,
        errors: r.errors.unwrap_or_default(),
        witness: r.witness.unwrap_or_default(),
        source: lang.word("erasure_source", r.source.as_str()),
    }
}

/// What the page says of an imported log.
pub fn log_view(lang: Language, report: &ImportReport) -> LogView {
    LogView {
        method: report.method.clone().unwrap_or_default(),
        complete: report.complete,
        recorded: report
            .records
            .iter()
            .map(|r| {
                format!(
                    "{} · {} : {}",
                    r.medium.asset_tag,
                    title(lang, &r.medium),
                    lang.word("erasure_outcome", r.erasure.record.outcome.as_str())
                )
            })
            .collect(),
        unmatched: report
            .unmatched
            .iter()
            .map(|d| UnmatchedLine {
                drive: [
                    Some(d.device.clone()),
                    d.model.clone(),
                    d.size_bytes.map(|b| format!("{:.0} GB", b as f64 / 1e9)),
                    d.serial.as_ref().map(|s| format!("S/N {s}")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
                status: d.status.clone(),
                reason: d.reason.clone(),
                proposed: d.proposed.to_string(),
                serial: d.serial.clone().unwrap_or_default(),
                model: d.model.clone().unwrap_or_default(),
                capacity_bytes: d.size_bytes.map(|b| b.to_string()).unwrap_or_default(),
            })
            .collect(),
    }
}
