//! The handover form (SPEC §5): what the beneficiary receives — the device,
//! its specs and OS, that its drives were erased — on what terms, with which
//! warranty, and their commitment to bring it back at its end of life; then
//! the signatures. It is laid out afresh each time it is printed, from the
//! records: it quotes them, it is not a certificate. Its QR code opens the
//! device's public card.

use chrono::{DateTime, Utc};
use entities::{allocation_signature, site};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{Acceptance, Allocation, Conditions, queries};
use crate::beneficiaries::{self, Beneficiary};
use crate::certificates::render::{Heading, date, header, kind_name};
use crate::devices::{self, Device};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::AllocationId;
use crate::pdf::{MARGIN, PAGE_WIDTH, Weight, Writer};
use crate::principal::Principal;

/// Everything the form quotes, read with the reader's rights: a name is
/// printed only for those who may read it.
pub struct Form {
    pub instance_name: String,
    pub device_url: String,
    pub site: site::Model,
    pub allocation: Allocation,
    pub device: Device,
    pub beneficiary: Beneficiary,
    /// Storage media still in the device, and how many are sanitized or destroyed.
    pub media: (usize, usize),
    pub strokes: Option<Vec<Vec<[f64; 2]>>>,
    pub printed_at: DateTime<Utc>,
    pub language: Language,
}

/// The form's number: the allocation's, short enough to read on the phone.
pub fn number(id: AllocationId) -> String {
    let simple = id.0.simple().to_string().to_uppercase();
    format!("R-{}", &simple[simple.len() - 10..])
}

/// Reads what the form of allocation `id` quotes, as `principal` may see it.
pub async fn prepare(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: AllocationId,
    language: Language,
    instance_name: &str,
    public_url: &str,
) -> Result<Form, AppError> {
    // The form a beneficiary signs is the workshop's, not a funder's.
    principal.require(crate::principal::Permission::ReadNotes)?;
    let allocation = queries::get(db, principal, id).await?;
    let device = devices::queries::load(db, allocation.device_id).await?;
    let beneficiary = beneficiaries::queries::get(db, principal, allocation.beneficiary_id).await?;
    let site = site::Entity::find_by_id(allocation.site_id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let media = devices::queries::media_facts(db, allocation.device_id).await?;
    let safe = media.iter().filter(|m| m.state.is_safe()).count();
    // The strokes are the beneficiary's: printed for whoever may read them.
    let strokes = if beneficiaries::queries::may_read_personal_data(principal, allocation.site_id) {
        allocation_signature::Entity::find_by_id(id.0)
            .one(db)
            .await?
            .and_then(|row| serde_json::from_value(row.strokes).ok())
    } else {
        None
    };
    Ok(Form {
        instance_name: instance_name.to_owned(),
        device_url: crate::labels::item_url(public_url, &device.asset_tag),
        site,
        device,
        beneficiary,
        media: (media.len(), safe),
        strokes,
        printed_at: Utc::now(),
        language,
        allocation,
    })
}

struct Words {
    title: &'static str,
    beneficiary: &'static str,
    reference: &'static str,
    referred_by: &'static str,
    device: &'static str,
    serial: &'static str,
    specs: &'static str,
    grade: &'static str,
    os: &'static str,
    erasure: &'static str,
    no_media: &'static str,
    terms: &'static str,
    free: &'static str,
    price: &'static str,
    loan: &'static str,
    warranty: &'static str,
    months: &'static str,
    until: &'static str,
    take_back: &'static str,
    signatures: &'static str,
    for_workshop: &'static str,
    for_beneficiary: &'static str,
    signed_on_paper: &'static str,
    signed_on: &'static str,
}

const FR: Words = Words {
    title: "Fiche de remise d’équipement",
    beneficiary: "Bénéficiaire",
    reference: "référence",
    referred_by: "orienté par",
    device: "Équipement",
    serial: "n° de série",
    specs: "Caractéristiques",
    grade: "État esthétique",
    os: "Système installé",
    erasure: "Données : {safe} support(s) de stockage sur {total} effacé(s) ou détruit(s) selon NIST SP 800-88, avant la remise.",
    no_media: "Données : aucun support de stockage dans cet équipement.",
    terms: "Conditions",
    free: "don gratuit",
    price: "prix solidaire de {price} €",
    loan: "prêt jusqu’au {until}",
    warranty: "Garantie",
    months: "mois",
    until: "jusqu’au",
    take_back: "Engagement de reprise : en fin de vie, le bénéficiaire rapporte l’équipement à l’atelier (ou à un point de collecte des DEEE), afin qu’il soit recyclé dans la filière agréée. L’atelier le reprend gratuitement.",
    signatures: "Signatures",
    for_workshop: "Pour l’atelier",
    for_beneficiary: "Le bénéficiaire (lu et accepté)",
    signed_on_paper: "Signé sur la fiche papier.",
    signed_on: "Signé le",
};

const EN: Words = Words {
    title: "Equipment handover form",
    beneficiary: "Beneficiary",
    reference: "reference",
    referred_by: "referred by",
    device: "Equipment",
    serial: "serial no.",
    specs: "Specifications",
    grade: "Cosmetic grade",
    os: "Operating system",
    erasure: "Data: {safe} of {total} storage medium(s) sanitized or destroyed per NIST SP 800-88 before handover.",
    no_media: "Data: this equipment holds no storage medium.",
    terms: "Terms",
    free: "free donation",
    price: "solidarity price of €{price}",
    loan: "loan until {until}",
    warranty: "Warranty",
    months: "months",
    until: "until",
    take_back: "Take-back commitment: at its end of life, the beneficiary brings the equipment back to the workshop (or to a WEEE collection point) so that it is recycled in the approved channel. The workshop takes it back free of charge.",
    signatures: "Signatures",
    for_workshop: "For the workshop",
    for_beneficiary: "The beneficiary (read and accepted)",
    signed_on_paper: "Signed on the paper form.",
    signed_on: "Signed on",
};

fn specs_line(device: &Device, language: Language) -> String {
    let s = &device.specs;
    let (gigabytes, battery) = match language {
        Language::Fr => ("Go", "batterie"),
        Language::En => ("GB", "battery"),
    };
    [
        s.cpu.clone(),
        s.ram_mib.map(|m| format!("{} {gigabytes} RAM", m / 1024)),
        s.storage.clone(),
        s.screen_inches.map(|i| format!("{i}\"")),
        s.battery_health_percent.map(|b| format!("{battery} {b} %")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

/// Lays the form out.
pub fn render(form: &Form) -> Result<Vec<u8>, AppError> {
    let words = match form.language {
        Language::Fr => &FR,
        Language::En => &EN,
    };
    let number = number(form.allocation.id);
    let mut writer = Writer::new(&format!("{} {number}", words.title), form.printed_at)?;
    let heading = Heading {
        instance_name: &form.instance_name,
        number: &number,
        issued_at: form.printed_at,
        verify_url: &form.device_url,
        supersedes: None,
        language: form.language,
    };
    header(&mut writer, &heading, &form.site, words.title)?;
    let line = |writer: &mut Writer, text: &str| writer.paragraph(text, 10.0, Weight::Regular);
    let title = |writer: &mut Writer, text: &str| {
        writer.y += 2.0;
        writer.paragraph(text, 11.0, Weight::Bold);
    };

    let b = &form.beneficiary;
    title(&mut writer, words.beneficiary);
    let mut who = format!("{} {}", words.reference, b.reference);
    if let Some(name) = b.personal_data.as_ref().and_then(|p| p.name.as_deref()) {
        who = format!("{name} — {who}");
    }
    if let Some(partner) = &b.referring_partner {
        who.push_str(&format!(" — {} {partner}", words.referred_by));
    }
    line(&mut writer, &who);

    let d = &form.device;
    title(&mut writer, words.device);
    let model = [d.manufacturer.as_deref(), d.model.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let serial = d
        .serial_number
        .as_deref()
        .map(|s| format!(" — {} {s}", words.serial))
        .unwrap_or_default();
    line(
        &mut writer,
        &format!(
            "{} — {} {model}{serial}",
            d.asset_tag,
            kind_name(d.kind, form.language)
        ),
    );
    let specs = specs_line(d, form.language);
    if !specs.is_empty() {
        line(&mut writer, &format!("{} : {specs}", words.specs));
    }
    if let Some(grade) = d.grade {
        line(&mut writer, &format!("{} : {grade:?}", words.grade));
    }
    if let Some(os) = &d.os {
        line(&mut writer, &format!("{} : {os}", words.os));
    }
    let (total, safe) = form.media;
    if total == 0 {
        line(&mut writer, words.no_media);
    } else {
        line(
            &mut writer,
            &words
                .erasure
                .replace("{safe}", &safe.to_string())
                .replace("{total}", &total.to_string()),
        );
    }

    let a = &form.allocation;
    title(&mut writer, words.terms);
    let terms = match &a.conditions {
        Conditions::Free {} => words.free.to_owned(),
        Conditions::SolidarityPrice { price_cents } => words.price.replace(
            "{price}",
            &crate::i18n::format::number(form.language, *price_cents as f64 / 100.0, 2),
        ),
        Conditions::Loan { until } => words.loan.replace(
            "{until}",
            &date(
                until.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
                form.language,
            ),
        ),
    };
    line(&mut writer, &terms);
    let mut warranty = format!(
        "{} : {} {}",
        words.warranty, a.warranty_months, words.months
    );
    if let Some(until) = a.warranty_until {
        warranty.push_str(&format!(
            " ({} {})",
            words.until,
            date(
                until.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
                form.language
            )
        ));
    }
    line(&mut writer, &warranty);
    writer.y += 2.0;
    writer.paragraph(words.take_back, 9.0, Weight::Regular);

    title(&mut writer, words.signatures);
    if !writer.fits(45.0) {
        writer.new_page();
    }
    let top = writer.y + 2.0;
    let width = (PAGE_WIDTH - 2.0 * MARGIN - 10.0) / 2.0;
    let height = 35.0;
    let right = MARGIN + width + 10.0;
    writer.text(MARGIN, top + 3.5, 9.0, Weight::Regular, words.for_workshop);
    writer.text(
        right,
        top + 3.5,
        9.0,
        Weight::Regular,
        words.for_beneficiary,
    );
    writer.frame(MARGIN, top + 5.0, width, height);
    writer.frame(right, top + 5.0, width, height);
    match (a.acceptance, &form.strokes) {
        (Acceptance::SignedOnDevice, Some(strokes)) => {
            let (pad_x, pad_y) = (right + 2.0, top + 7.0);
            let (pad_w, pad_h) = (width - 4.0, height - 4.0);
            for stroke in strokes {
                let points: Vec<(f32, f32)> = stroke
                    .iter()
                    .map(|[x, y]| (pad_x + *x as f32 * pad_w, pad_y + *y as f32 * pad_h))
                    .collect();
                writer.polyline(&points, 1.2);
            }
        }
        (Acceptance::SignedOnPaper, _) => {
            writer.text(
                right + 2.0,
                top + 12.0,
                9.0,
                Weight::Regular,
                words.signed_on_paper,
            );
        }
        _ => {}
    }
    if let Some(at) = a.accepted_at {
        writer.text(
            right,
            top + height + 9.0,
            8.0,
            Weight::Regular,
            &format!("{} {}", words.signed_on, date(at, form.language)),
        );
    }
    writer.y = top + height + 12.0;
    writer.finish(&format!("{} — {number}", form.instance_name))
}
