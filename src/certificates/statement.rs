//! The donor impact statement (SPEC §5): what one donation's equipment
//! became over a period, for the donor's CSR / CSRD reporting.
//!
//! Its figures are the impact report's for that donor or lot
//! ([`crate::reports::impact::report`] with a [`Donation`] focus), so a
//! funder's report and a donor's statement can never disagree. Only
//! categories and territories of beneficiaries appear, never a person.

use chrono::{Datelike, NaiveDate};
use entities::{donor, lot, site};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::labels::Language;
use super::render::{Heading, date, header, kind_name};
use crate::devices::DeviceKind;
use crate::error::AppError;
use crate::ids::{DonorId, LotId, SiteId};
use crate::impact::Factors;
use crate::pdf::{Column, Weight, Writer};
use crate::principal::Principal;
use crate::reports::{Donation, Figures, Focus, Period, impact};

/// What a statement covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One lot, from its reception to the day of issue.
    Lot(LotId),
    /// All a donor gave, over a calendar year (to the day of issue, for
    /// the year under way), in one site or every site the issuer sees.
    Year {
        donor: DonorId,
        year: i32,
        site: Option<SiteId>,
    },
}

/// Everything a statement says, read at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub donor: donor::Model,
    /// The site that issues it: the lot's, the one asked, or the issuer's own.
    pub site: site::Model,
    pub lot: Option<lot::Model>,
    pub year: Option<i32>,
    pub figures: Figures,
}

impl Statement {
    /// What must not move between laying the file out and recording it:
    /// every figure and every record the file quotes.
    pub fn fingerprint(&self) -> Result<String, AppError> {
        use sha2::{Digest, Sha256};
        let bytes = serde_json::to_vec(self).map_err(AppError::internal)?;
        Ok(hex::encode(Sha256::digest(bytes)))
    }

    /// The devices the statement speaks of: those received in its period.
    pub fn device_count(&self) -> i32 {
        i32::try_from(self.figures.devices.collected).unwrap_or(i32::MAX)
    }
}

/// The earliest year a statement may cover.
const FIRST_YEAR: i32 = 2000;

/// Reads a statement's records and figures as `principal` may see them,
/// as of `today`.
pub async fn read(
    db: &impl ConnectionTrait,
    principal: &Principal,
    scope: Scope,
    today: NaiveDate,
    factors: &Factors,
) -> Result<Statement, AppError> {
    let (donor_id, lot, period, focus, year) = match scope {
        Scope::Lot(id) => {
            let lot = lot::Entity::find_by_id(id.0)
                .one(db)
                .await?
                .filter(|l| principal.check_site(l.site_id).is_ok())
                .ok_or_else(|| AppError::field("lot_id", "no such lot"))?;
            // A lot may be recorded after its devices arrived, or before.
            let from = lot.received_on.min(lot.created_at.date_naive());
            let period = Period {
                from,
                to: today.max(from),
            };
            let focus = Focus {
                site: Some(SiteId(lot.site_id)),
                donation: Some(Donation::Lot(id)),
            };
            (lot.donor_id, Some(lot), period, focus, None)
        }
        Scope::Year { donor, year, site } => {
            if !(FIRST_YEAR..=today.year()).contains(&year) {
                return Err(AppError::field(
                    "year",
                    format!("must be between {FIRST_YEAR} and {}", today.year()),
                ));
            }
            let first = NaiveDate::from_ymd_opt(year, 1, 1)
                .ok_or_else(|| AppError::field("year", "is not a year"))?;
            let last = NaiveDate::from_ymd_opt(year, 12, 31)
                .ok_or_else(|| AppError::field("year", "is not a year"))?;
            let period = Period {
                from: first,
                to: last.min(today),
            };
            let focus = Focus {
                site,
                donation: Some(Donation::Donor(donor)),
            };
            (donor.0, None, period, focus, Some(year))
        }
    };
    let donor = donor::Entity::find_by_id(donor_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("donor_id", "no such donor"))?;
    let figures = impact::period_figures(db, principal, period, focus, factors).await?;
    let site_id = match &lot {
        Some(lot) => SiteId(lot.site_id),
        None => {
            issuing_site(
                db,
                DonorId(donor_id),
                principal.read_scope(focus.site)?.map(SiteId),
            )
            .await?
        }
    };
    let site = site::Entity::find_by_id(site_id.0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Statement {
        donor,
        site,
        lot,
        year,
        figures,
    })
}

/// The site that issues a donor's year statement: the one it covers, or
/// for a network-wide statement the site that received the donor's latest lot.
pub async fn issuing_site(
    db: &impl ConnectionTrait,
    donor: DonorId,
    site: Option<SiteId>,
) -> Result<SiteId, AppError> {
    if let Some(site) = site {
        return Ok(site);
    }
    lot::Entity::find()
        .filter(lot::Column::DonorId.eq(donor.0))
        .order_by_desc(lot::Column::ReceivedOn)
        .one(db)
        .await?
        .map(|l| SiteId(l.site_id))
        .ok_or_else(|| AppError::field("donor_id", "this donor has given no lot yet"))
}

fn decimal(value: f64, decimals: usize, language: Language) -> String {
    crate::i18n::format::number(language, value, decimals)
}

fn count(value: u64, language: Language) -> String {
    decimal(value as f64, 0, language)
}

fn day(on: NaiveDate, language: Language) -> String {
    date(
        on.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        language,
    )
}

/// A two-column table of what and how much.
fn facts(writer: &mut Writer, rows: Vec<(String, String)>) {
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(a, b)| vec![a, b]).collect();
    writer.table(
        &[
            Column {
                title: String::new(),
                width: 120.0,
            },
            Column {
                title: String::new(),
                width: 60.0,
            },
        ],
        &rows,
        9.0,
    );
}

fn section(writer: &mut Writer, title: &str) {
    if !writer.fits(30.0) {
        writer.new_page();
    }
    writer.y += 3.0;
    writer.paragraph(title, 11.0, Weight::Bold);
}

/// The statement as a PDF, in the heading's language.
pub fn render(statement: &Statement, heading: &Heading<'_>) -> Result<Vec<u8>, AppError> {
    let lang = heading.language;
    let t = |key: &str| lang.text(&format!("statement.{key}")).to_owned();
    let title = t("title");
    let mut writer = Writer::new(&format!("{title} {}", heading.number), heading.issued_at)?;
    header(&mut writer, heading, &statement.site, &title)?;

    let figures = &statement.figures;
    let period = figures.period;
    let donor = &statement.donor;
    let holder = super::render::holder(donor);
    let siret = donor
        .siret
        .as_deref()
        .map(|s| format!(" — SIRET {s}"))
        .unwrap_or_default();
    writer.paragraph(
        &format!("{} : {holder}{siret}", lang.labels().donor),
        10.0,
        Weight::Regular,
    );
    let covers = match (&statement.lot, statement.year) {
        (Some(lot), _) => {
            let reference = lot
                .donor_reference
                .as_deref()
                .map(|r| format!(" ({} {r})", lang.labels().reference))
                .unwrap_or_default();
            lang.fill(
                "statement.covers_lot",
                &[("received", &day(lot.received_on, lang))],
            ) + &reference
        }
        (None, Some(year)) => lang.fill("statement.covers_year", &[("year", &year.to_string())]),
        (None, None) => String::new(),
    };
    writer.paragraph(&covers, 10.0, Weight::Regular);
    writer.paragraph(
        &lang.fill(
            "statement.period",
            &[
                ("from", &day(period.from, lang)),
                ("to", &day(period.to, lang)),
            ],
        ),
        10.0,
        Weight::Regular,
    );
    writer.y += 2.0;
    writer.paragraph(
        &lang.fill(
            "statement.intro",
            &[("workshop", heading.instance_name), ("donor", &holder)],
        ),
        9.5,
        Weight::Regular,
    );

    let devices = &figures.devices;
    let kg = |v: f64| format!("{} kg", decimal(v, 1, lang));
    section(&mut writer, &t("what_became"));
    facts(
        &mut writer,
        vec![
            (t("collected"), count(devices.collected, lang)),
            (t("reused"), count(devices.reused, lang)),
            (t("recycled"), count(devices.recycled, lang)),
            (t("dismantled"), count(devices.dismantled, lang)),
            (t("in_progress"), count(devices.in_stock, lang)),
            (t("kg_collected"), kg(figures.weight_kg.collected)),
            (t("kg_reused"), kg(figures.weight_kg.reused)),
            (t("kg_recycled"), kg(figures.weight_kg.recycled)),
        ],
    );
    if !devices.by_kind.is_empty() {
        writer.y += 2.0;
        let rows: Vec<Vec<String>> = devices
            .by_kind
            .iter()
            .map(|(kind, f)| {
                let name = DeviceKind::parse(kind).map_or(kind.as_str(), |k| kind_name(k, lang));
                vec![
                    name.to_owned(),
                    count(f.collected, lang),
                    count(f.reused, lang),
                    count(f.recycled, lang),
                ]
            })
            .collect();
        let column = |title: String, width: f32| Column { title, width };
        writer.table(
            &[
                column(t("col_kind"), 60.0),
                column(t("col_collected"), 40.0),
                column(t("col_reused"), 40.0),
                column(t("col_recycled"), 40.0),
            ],
            &rows,
            9.0,
        );
    }

    let beneficiaries = &figures.beneficiaries;
    section(&mut writer, &t("who"));
    // A lot's people are few: its counts are published as open data's are,
    // every count below 5 as `<5`, and any that would give one away as `secret`.
    let shown = crate::reports::opendata::alone(&figures.beneficiaries, &figures.workforce);
    let people = |cell: String, n: u64| match shown.get(&cell) {
        Some(hidden) if hidden.is_hidden() => crate::reports::opendata::marker(*hidden),
        _ => count(n, lang),
    };
    let mut who = vec![
        (
            t("individuals"),
            people(
                "beneficiaries.individuals".into(),
                beneficiaries.individuals,
            ),
        ),
        (
            t("organisations"),
            people(
                "beneficiaries.organisations".into(),
                beneficiaries.organisations,
            ),
        ),
    ];
    for (category, n) in &beneficiaries.by_category {
        who.push((
            format!("  {}", lang.text(&format!("category.{category}"))),
            people(format!("beneficiaries.by_category.{category}"), *n),
        ));
    }
    for (departement, n) in &beneficiaries.by_departement {
        let place = if departement == "unknown" {
            t("departement_unknown")
        } else {
            lang.fill("statement.departement", &[("code", departement)])
        };
        who.push((
            format!("  {place}"),
            people(format!("beneficiaries.by_departement.{departement}"), *n),
        ));
    }
    facts(&mut writer, who);
    writer.paragraph(&t("no_person"), 8.0, Weight::Regular);

    let co2e = &figures.co2e_avoided_kg;
    section(&mut writer, &t("climate"));
    facts(
        &mut writer,
        vec![(
            t("co2e"),
            format!("{} kg CO2e", decimal(co2e.avoided_kg, 1, lang)),
        )],
    );
    let used: Vec<String> = co2e
        .factors
        .iter()
        .filter(|(kind, _)| devices.by_kind.get(*kind).is_some_and(|f| f.reused > 0))
        .map(|(kind, factor)| {
            let name = DeviceKind::parse(kind).map_or(kind.as_str(), |k| kind_name(k, lang));
            format!("{name} {} kg", decimal(*factor, 0, lang))
        })
        .collect();
    if !used.is_empty() {
        writer.paragraph(
            &format!("{} : {}", t("factors"), used.join(", ")),
            8.0,
            Weight::Regular,
        );
    }
    writer.paragraph(
        &format!("{} : {}", t("source"), co2e.source),
        8.0,
        Weight::Regular,
    );
    if co2e.not_estimated > 0 {
        writer.paragraph(
            &lang.fill(
                "statement.not_estimated",
                &[("count", &count(co2e.not_estimated, lang))],
            ),
            8.0,
            Weight::Regular,
        );
    }

    section(&mut writer, &t("work"));
    if let Some(supported) = &figures.supported {
        facts(
            &mut writer,
            vec![(
                t("hours_supported"),
                format!(
                    "{} h",
                    decimal(supported.insertion_hours_supported, 1, lang)
                ),
            )],
        );
        writer.paragraph(
            &lang.fill(
                "statement.hours_rule",
                &[
                    ("sent_on", &count(supported.devices_sent_on, lang)),
                    ("all", &count(supported.all_devices_sent_on, lang)),
                    ("hours", &decimal(supported.insertion_hours, 1, lang)),
                ],
            ),
            8.0,
            Weight::Regular,
        );
    }

    section(&mut writer, &t("esrs"));
    writer.paragraph(&t("esrs_intro"), 9.0, Weight::Regular);
    let diverted = figures.weight_kg.reused + figures.weight_kg.recycled;
    let devices_word = |n: u64| if n > 1 { t("devices") } else { t("device") };
    facts(
        &mut writer,
        vec![
            (
                t("esrs_reuse"),
                format!(
                    "{} ({} {})",
                    kg(figures.weight_kg.reused),
                    count(devices.reused, lang),
                    devices_word(devices.reused)
                ),
            ),
            (
                t("esrs_recycling"),
                format!(
                    "{} ({} {})",
                    kg(figures.weight_kg.recycled),
                    count(devices.recycled, lang),
                    devices_word(devices.recycled)
                ),
            ),
            (t("esrs_diverted"), kg(diverted)),
            (
                t("esrs_co2e"),
                format!("{} kg CO2e", decimal(co2e.avoided_kg, 1, lang)),
            ),
        ],
    );
    writer.paragraph(&t("method"), 8.0, Weight::Regular);
    writer.y += 2.0;
    writer.paragraph(
        &lang.fill(
            "statement.signed",
            &[("url", heading.verify_url), ("number", heading.number)],
        ),
        8.0,
        Weight::Regular,
    );
    writer.finish(&format!("{} — {}", heading.number, heading.instance_name))
}

#[cfg(test)]
mod tests;
