//! How certificates look: an A4 header with the workshop, the number and a
//! QR code to the verification page, then the body, then a footer with the
//! number and the page on every page.

use chrono::{DateTime, Utc};

use super::content::{DeviceContent, DeviceLine, DonorContent, Fate, fate};
use super::labels::{Labels, Language};
use crate::devices::DeviceKind;
use crate::erasure::ErasureRecord;
use crate::error::AppError;
use crate::impact;
use crate::pdf::{Column, MARGIN, PAGE_WIDTH, Weight, Writer};

/// Where and when a certificate is issued: what every page says.
pub struct Heading<'a> {
    pub instance_name: &'a str,
    pub number: &'a str,
    pub issued_at: DateTime<Utc>,
    pub verify_url: &'a str,
    pub supersedes: Option<&'a str>,
    pub language: Language,
}

pub(crate) fn date(at: DateTime<Utc>, language: Language) -> String {
    crate::i18n::format::date(language, at.date_naive())
}

pub(crate) fn kind_name(kind: DeviceKind, language: Language) -> &'static str {
    use DeviceKind::*;
    match (language, kind) {
        (Language::Fr, Laptop) => "portable",
        (Language::Fr, Desktop) => "fixe",
        (Language::Fr, AllInOne) => "tout-en-un",
        (Language::Fr, Monitor) => "écran",
        (Language::Fr, Tablet) => "tablette",
        (Language::Fr, Smartphone) => "smartphone",
        (Language::Fr, Server) => "serveur",
        (Language::Fr, Printer) => "imprimante",
        (Language::Fr, Other) => "autre",
        (Language::En, other) => other.as_str(),
    }
}

fn fate_name(fate: Fate, labels: &Labels) -> &'static str {
    match fate {
        Fate::Reused => labels.reused,
        Fate::Recycled => labels.recycled,
        Fate::Dismantled => labels.dismantled,
        Fate::InProgress => labels.in_progress,
    }
}

fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header of the first page; returns the writer positioned below it.
pub(crate) fn header(
    writer: &mut Writer,
    heading: &Heading<'_>,
    site: &entities::site::Model,
    title: &str,
) -> Result<(), AppError> {
    let labels = heading.language.labels();
    let qr = 28.0;
    writer.qr(
        PAGE_WIDTH - MARGIN - qr,
        MARGIN - 2.0,
        qr,
        8,
        heading.verify_url,
    )?;
    writer.text(
        MARGIN,
        MARGIN + 5.0,
        15.0,
        Weight::Bold,
        heading.instance_name,
    );
    writer.text(
        MARGIN,
        MARGIN + 11.0,
        9.0,
        Weight::Regular,
        &format!("{} : {} ({})", labels.site, site.name, site.code),
    );
    if let Some(address) = &site.address {
        writer.text(MARGIN, MARGIN + 15.5, 8.0, Weight::Regular, address);
    }
    writer.y = MARGIN + 30.0;
    writer.paragraph(title, 14.0, Weight::Bold);
    let mut facts = format!(
        "{} : {} — {} : {}",
        labels.number,
        heading.number,
        labels.issued,
        date(heading.issued_at, heading.language)
    );
    if let Some(previous) = heading.supersedes {
        facts.push_str(&format!(" — {} {previous}", labels.revision_of));
    }
    writer.paragraph(&facts, 10.0, Weight::Regular);
    Ok(())
}

fn media_summary(device: &DeviceLine, labels: &Labels, language: Language) -> String {
    if device.media.is_empty() {
        return labels.no_media.to_owned();
    }
    device
        .media
        .iter()
        .map(|m| {
            let serial = m.serial_number.as_deref().unwrap_or(&m.asset_tag);
            match &m.erasure {
                Some(e) => format!(
                    "{serial} — {}/{}, {} {}, {}",
                    e.category.as_str(),
                    e.technique.as_str(),
                    e.verification.as_str(),
                    e.verification_result.as_str(),
                    e.ended_at
                        .or(e.started_at)
                        .map_or_else(|| labels.not_recorded.to_owned(), |t| date(t, language)),
                ),
                None => format!("{serial} — {}", labels.not_recorded),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The donor certificate; CO2e from the instance's `factors`.
pub fn donor(
    content: &DonorContent,
    heading: &Heading<'_>,
    factors: &impact::Factors,
) -> Result<Vec<u8>, AppError> {
    let labels = heading.language.labels();
    let mut writer = Writer::new(
        &format!("{} {}", labels.donor_title, heading.number),
        heading.issued_at,
    )?;
    header(&mut writer, heading, &content.site, labels.donor_title)?;
    let donor = &content.donor;
    let siret = donor
        .siret
        .as_deref()
        .map(|s| format!(" — SIRET {s}"))
        .unwrap_or_default();
    writer.paragraph(
        &format!("{} : {}{siret}", labels.donor, holder(donor)),
        10.0,
        Weight::Regular,
    );
    let lot = &content.lot;
    let reference = lot
        .donor_reference
        .as_deref()
        .map(|r| format!(", {} {r}", labels.reference))
        .unwrap_or_default();
    writer.paragraph(
        &format!(
            "{} : {} {}{reference} — {} {}",
            labels.lot,
            labels.received,
            date(
                lot.received_on
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or_default()
                    .and_utc(),
                heading.language
            ),
            content.devices.len(),
            labels.devices
        ),
        10.0,
        Weight::Regular,
    );
    writer.y += 2.0;
    let columns = [
        Column {
            title: labels.col_tag.into(),
            width: 25.0,
        },
        Column {
            title: labels.col_kind.into(),
            width: 17.0,
        },
        Column {
            title: labels.col_model.into(),
            width: 28.0,
        },
        Column {
            title: labels.col_serial.into(),
            width: 24.0,
        },
        Column {
            title: labels.col_donor_asset.into(),
            width: 20.0,
        },
        Column {
            title: labels.col_media.into(),
            width: 48.0,
        },
        Column {
            title: labels.col_outcome.into(),
            width: 18.0,
        },
    ];
    let rows: Vec<Vec<String>> = content
        .devices
        .iter()
        .map(|d| {
            vec![
                d.asset_tag.clone(),
                kind_name(d.kind, heading.language).to_owned(),
                join(&[d.manufacturer.as_deref(), d.model.as_deref()]),
                d.serial_number.clone().unwrap_or_default(),
                d.donor_asset_number.clone().unwrap_or_default(),
                media_summary(d, labels, heading.language),
                fate_name(fate(d.state), labels).to_owned(),
            ]
        })
        .collect();
    writer.table(&columns, &rows, 7.0);
    if !writer.fits(40.0) {
        writer.new_page();
    }
    writer.y += 4.0;
    let count = |f: Fate| {
        content
            .devices
            .iter()
            .filter(|d| fate(d.state) == f)
            .count()
    };
    let weight: f64 = lot.weight_kg.unwrap_or_else(|| {
        content
            .devices
            .iter()
            .map(|d| {
                d.weight_kg
                    .unwrap_or_else(|| impact::default_weight_kg(d.kind))
            })
            .sum()
    });
    // Starting from +0.0: an empty sum of f64 is -0.0, which prints as such.
    let co2e: f64 = content
        .devices
        .iter()
        .filter(|d| fate(d.state) == Fate::Reused)
        .filter_map(|d| factors.co2e_avoided_kg(d.kind))
        .fold(0.0, |total, kg| total + kg);
    writer.paragraph(labels.totals, 11.0, Weight::Bold);
    writer.paragraph(
        &format!(
            "{} {}, {} {}, {} {}, {} {} — {} : {weight:.1} kg — {} : {co2e:.1} kg",
            count(Fate::Reused),
            labels.reused,
            count(Fate::Recycled),
            labels.recycled,
            count(Fate::Dismantled),
            labels.dismantled,
            count(Fate::InProgress),
            labels.in_progress,
            labels.weight,
            labels.co2e,
        ),
        9.0,
        Weight::Regular,
    );
    writer.paragraph(labels.statement, 8.0, Weight::Regular);
    writer.paragraph(
        &format!("{} {}", labels.verify_at, heading.verify_url),
        8.0,
        Weight::Regular,
    );
    writer.finish(&format!("{} — {}", heading.number, heading.instance_name))
}

/// The donor as a certificate names them: never a private person's name.
pub fn holder(donor: &entities::donor::Model) -> String {
    if donor.kind == "individual" {
        "—".to_owned()
    } else {
        donor.name.clone()
    }
}

/// A member of staff as a certificate names them: function and reference.
fn named_by_function(staff: Option<&super::content::Staff>, labels: &Labels) -> String {
    use crate::principal::Role;
    match staff {
        Some(staff) => {
            let function = match staff.role {
                Role::Admin => labels.functions[0],
                Role::Coordinator => labels.functions[1],
                Role::Technician => labels.functions[2],
                Role::Viewer => labels.functions[3],
            };
            format!("{function} ({})", staff.reference)
        }
        None => "—".into(),
    }
}

fn erasure_rows(
    record: &ErasureRecord,
    medium: &super::content::MediumLine,
    labels: &Labels,
    language: Language,
) -> Vec<Vec<String>> {
    let or_none = |v: Option<String>| {
        v.filter(|s| !s.is_empty())
            .unwrap_or_else(|| labels.not_recorded.to_owned())
    };
    let method = [
        record.method.clone(),
        record.pattern.clone(),
        record.passes.map(|p| format!("{p} passes")),
        record.rounds.map(|r| format!("{r} rounds")),
        record
            .blanking
            .filter(|b| *b)
            .map(|_| "blanking".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let times = match (record.started_at, record.ended_at) {
        (Some(s), Some(e)) => format!(
            "{} – {}",
            s.format("%Y-%m-%d %H:%M"),
            e.format("%Y-%m-%d %H:%M")
        ),
        (Some(s), None) => s.format("%Y-%m-%d %H:%M").to_string(),
        _ => labels.not_recorded.to_owned(),
    };
    let _ = language;
    vec![
        vec![labels.f_category.into(), record.category.as_str().into()],
        vec![labels.f_technique.into(), record.technique.as_str().into()],
        vec![labels.f_method.into(), or_none(Some(method))],
        vec![
            labels.f_tool.into(),
            or_none(Some(join(&[
                record.tool.as_deref(),
                record.tool_version.as_deref(),
            ]))),
        ],
        vec![
            labels.f_verification.into(),
            format!(
                "{}, {}",
                record.verification.as_str(),
                record.verification_result.as_str()
            ),
        ],
        vec![labels.f_times.into(), times],
        vec![
            labels.f_bytes.into(),
            or_none(record.bytes_erased.map(|b| b.to_string())),
        ],
        vec![
            labels.f_errors.into(),
            format!(
                "{}{}",
                record.error_count,
                record
                    .errors
                    .as_deref()
                    .map(|e| format!(" — {e}"))
                    .unwrap_or_default()
            ),
        ],
        vec![
            labels.f_destination.into(),
            record.destination.as_str().into(),
        ],
        vec![
            labels.f_operator.into(),
            named_by_function(medium.operator.as_ref(), labels),
        ],
        vec![
            labels.f_validator.into(),
            match record.validator_id {
                Some(_) => named_by_function(medium.validator.as_ref(), labels),
                None => or_none(None),
            },
        ],
        vec![labels.f_witness.into(), or_none(record.witness.clone())],
        vec![labels.f_outcome.into(), record.outcome.as_str().into()],
    ]
}

pub fn erasure(content: &DeviceContent, heading: &Heading<'_>) -> Result<Vec<u8>, AppError> {
    let labels = heading.language.labels();
    let mut writer = Writer::new(
        &format!("{} {}", labels.erasure_title, heading.number),
        heading.issued_at,
    )?;
    header(&mut writer, heading, &content.site, labels.erasure_title)?;
    let d = &content.device;
    writer.paragraph(
        &format!(
            "{} : {} — {} {} — {} {}",
            labels.device,
            d.asset_tag,
            kind_name(d.kind, heading.language),
            join(&[d.manufacturer.as_deref(), d.model.as_deref()]),
            labels.col_serial,
            d.serial_number.as_deref().unwrap_or(labels.not_recorded)
        ),
        10.0,
        Weight::Regular,
    );
    if let Some(donor) = &content.donor {
        writer.paragraph(
            &format!("{} : {}", labels.donor, holder(donor)),
            10.0,
            Weight::Regular,
        );
    }
    if d.media.is_empty() {
        writer.paragraph(labels.no_media, 10.0, Weight::Regular);
    }
    let columns = [
        Column {
            title: labels.field.into(),
            width: 60.0,
        },
        Column {
            title: labels.value.into(),
            width: 120.0,
        },
    ];
    for medium in &d.media {
        if !writer.fits(70.0) {
            writer.new_page();
        }
        writer.y += 3.0;
        let title = format!(
            "{} {} — {} {} — {} {}",
            labels.medium,
            medium.asset_tag,
            medium.kind,
            join(&[medium.manufacturer.as_deref(), medium.model.as_deref()]),
            labels.col_serial,
            medium
                .serial_number
                .as_deref()
                .unwrap_or(labels.not_recorded)
        );
        writer.paragraph(&title, 10.0, Weight::Bold);
        match &medium.erasure {
            Some(record) => writer.table(
                &columns,
                &erasure_rows(record, medium, labels, heading.language),
                8.0,
            ),
            None => writer.paragraph(labels.not_recorded, 9.0, Weight::Regular),
        }
    }
    writer.y += 4.0;
    writer.paragraph(labels.statement, 8.0, Weight::Regular);
    writer.paragraph(
        &format!("{} {}", labels.verify_at, heading.verify_url),
        8.0,
        Weight::Regular,
    );
    writer.finish(&format!("{} — {}", heading.number, heading.instance_name))
}
