//! The impact report as a PDF for the funder's file: the figures beside the
//! period before, the charts as bars, the beneficiaries by département.

use chrono::Utc;

use super::chart::Bar;
use super::summary;
use super::{ImpactReport, Period};
use crate::error::AppError;
use crate::i18n::Language;
use crate::pdf::{Column, MARGIN, PAGE_WIDTH, Weight, Writer, line_height};

/// One chart as bars: its title, then a label a row with its two bars.
fn chart(writer: &mut Writer, title: &str, bars: &[Bar]) {
    let row = 9.0;
    if !writer.fits(8.0 + row * bars.len().max(1) as f32) {
        writer.new_page();
    }
    writer.paragraph(title, 11.0, Weight::Bold);
    let max = bars
        .iter()
        .flat_map(|b| [b.current, b.previous])
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let left = MARGIN + 60.0;
    let span = PAGE_WIDTH - left - MARGIN - 15.0;
    if bars.is_empty() {
        writer.paragraph("—", 9.0, Weight::Regular);
    }
    for bar in bars {
        let y = writer.y;
        writer.text(MARGIN, y + 3.5, 8.0, Weight::Regular, &bar.label);
        let current = (bar.current / max) as f32 * span;
        let previous = (bar.previous / max) as f32 * span;
        writer.fill_rect(left, y, current, 3.5, 0.25);
        writer.text(
            left + current + 1.5,
            y + 3.0,
            7.0,
            Weight::Regular,
            &format!("{}", bar.current),
        );
        writer.fill_rect(left, y + 4.2, previous, 2.5, 0.7);
        writer.text(
            left + previous + 1.5,
            y + 6.6,
            6.0,
            Weight::Regular,
            &format!("{}", bar.previous),
        );
        writer.y = y + row;
    }
    writer.y += line_height(6.0);
}

/// Lays the report out.
pub fn render(
    report: &ImpactReport,
    instance_name: &str,
    scope: &str,
    language: Language,
) -> Result<Vec<u8>, AppError> {
    let title = language.text("report.title");
    let mut writer = Writer::new(title, Utc::now())?;
    let (now, before) = (&report.current, &report.previous);
    let span = |p: Period| format!("{} → {}", p.from, p.to);
    writer.paragraph(instance_name, 15.0, Weight::Bold);
    writer.paragraph(scope, 10.0, Weight::Regular);
    writer.y += 4.0;
    writer.paragraph(title, 16.0, Weight::Bold);
    writer.paragraph(
        &format!(
            "{} — {} {}",
            span(now.period),
            language.text("report.compared"),
            span(before.period)
        ),
        10.0,
        Weight::Regular,
    );
    writer.y += 3.0;
    let rows: Vec<Vec<String>> = summary::lines(language, now, before)
        .into_iter()
        .map(|l| vec![l.label, l.current, l.previous])
        .collect();
    writer.table(
        &[
            Column {
                title: String::new(),
                width: 90.0,
            },
            Column {
                title: span(now.period),
                width: 45.0,
            },
            Column {
                title: span(before.period),
                width: 45.0,
            },
        ],
        &rows,
        9.0,
    );
    writer.y += 4.0;
    writer.paragraph(
        &format!("■ {}   ▪ {}", span(now.period), span(before.period)),
        8.0,
        Weight::Regular,
    );
    for (title, bars) in summary::series(language, now, before) {
        chart(&mut writer, &title, &bars);
    }
    let departements = summary::departements(now, before);
    if !departements.is_empty() {
        if !writer.fits(20.0) {
            writer.new_page();
        }
        writer.paragraph(language.text("report.by_departement"), 11.0, Weight::Bold);
        let rows: Vec<Vec<String>> = departements
            .into_iter()
            .map(|(d, a, b)| vec![d, a.to_string(), b.to_string()])
            .collect();
        writer.table(
            &[
                Column {
                    title: String::new(),
                    width: 90.0,
                },
                Column {
                    title: span(now.period),
                    width: 45.0,
                },
                Column {
                    title: span(before.period),
                    width: 45.0,
                },
            ],
            &rows,
            9.0,
        );
    }
    writer.y += 4.0;
    writer.paragraph(language.text("report.co2e_source"), 8.0, Weight::Regular);
    writer.finish(&format!("{instance_name} — {title}"))
}
