//! What the report's page and its PDF both show: the figures as lines of
//! a table, and the series of its charts — worded once for both.

use super::Figures;
use super::chart::Bar;
use crate::i18n::Language;

/// A line of the figures table: what, this period, the previous one.
pub struct Line {
    pub label: String,
    pub current: String,
    pub previous: String,
}

/// Beneficiaries by département, this period and the previous one, every
/// département either names, in order.
pub fn departements(now: &Figures, before: &Figures) -> Vec<(String, u64, u64)> {
    let count = |f: &Figures, k: &str| f.beneficiaries.by_departement.get(k).copied().unwrap_or(0);
    let mut keys: Vec<&String> = now
        .beneficiaries
        .by_departement
        .keys()
        .chain(before.beneficiaries.by_departement.keys())
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| (k.clone(), count(now, k), count(before, k)))
        .collect()
}

pub fn lines(lang: Language, now: &Figures, before: &Figures) -> Vec<Line> {
    let rate = |f: &Figures| {
        f.quality.non_conformity_rate.map_or_else(
            || "—".to_owned(),
            |r| format!("{}\u{a0}%", crate::i18n::format::number(lang, r * 100.0, 1)),
        )
    };
    let rows: Vec<(&str, f64, f64)> = vec![
        (
            "collected",
            now.devices.collected as f64,
            before.devices.collected as f64,
        ),
        (
            "reused",
            now.devices.reused as f64,
            before.devices.reused as f64,
        ),
        (
            "recycled",
            now.devices.recycled as f64,
            before.devices.recycled as f64,
        ),
        (
            "dismantled",
            now.devices.dismantled as f64,
            before.devices.dismantled as f64,
        ),
        ("lost", now.devices.lost as f64, before.devices.lost as f64),
        (
            "in_stock",
            now.devices.in_stock as f64,
            before.devices.in_stock as f64,
        ),
        (
            "kg_collected",
            now.weight_kg.collected,
            before.weight_kg.collected,
        ),
        ("kg_reused", now.weight_kg.reused, before.weight_kg.reused),
        (
            "kg_recycled",
            now.weight_kg.recycled,
            before.weight_kg.recycled,
        ),
        (
            "co2e",
            now.co2e_avoided_kg.avoided_kg,
            before.co2e_avoided_kg.avoided_kg,
        ),
        (
            "individuals",
            now.beneficiaries.individuals as f64,
            before.beneficiaries.individuals as f64,
        ),
        (
            "organisations",
            now.beneficiaries.organisations as f64,
            before.beneficiaries.organisations as f64,
        ),
        ("hours", now.workforce.hours, before.workforce.hours),
        ("fte", now.workforce.fte, before.workforce.fte),
        (
            "jobs_created",
            now.workforce.jobs_created as f64,
            before.workforce.jobs_created as f64,
        ),
        (
            "dynamic_exits",
            now.workforce.dynamic_exits as f64,
            before.workforce.dynamic_exits as f64,
        ),
        (
            "training_hours",
            now.workforce.training_hours,
            before.workforce.training_hours,
        ),
    ];
    let mut out: Vec<Line> = rows
        .into_iter()
        .map(|(key, a, b)| Line {
            label: lang.text(&format!("report.{key}")).to_owned(),
            current: crate::i18n::format::figure(lang, a),
            previous: crate::i18n::format::figure(lang, b),
        })
        .collect();
    out.push(Line {
        label: lang.text("report.median_days").to_owned(),
        current: now
            .median_days_to_delivery
            .map_or_else(|| "—".to_owned(), |d| crate::i18n::format::figure(lang, d)),
        previous: before
            .median_days_to_delivery
            .map_or_else(|| "—".to_owned(), |d| crate::i18n::format::figure(lang, d)),
    });
    out.push(Line {
        label: lang.text("report.non_conformity").to_owned(),
        current: rate(now),
        previous: rate(before),
    });
    out
}

pub fn series(lang: Language, now: &Figures, before: &Figures) -> Vec<(String, Vec<Bar>)> {
    let outcomes = ["collected", "reused", "recycled", "dismantled", "lost"]
        .into_iter()
        .map(|key| {
            let pick = |f: &Figures| match key {
                "collected" => f.devices.collected,
                "reused" => f.devices.reused,
                "recycled" => f.devices.recycled,
                "dismantled" => f.devices.dismantled,
                _ => f.devices.lost,
            } as f64;
            Bar {
                label: lang.text(&format!("report.{key}")).to_owned(),
                current: pick(now),
                previous: pick(before),
            }
        })
        .collect::<Vec<_>>();
    let breakdown = |section: &str,
                     a: &std::collections::BTreeMap<String, u64>,
                     b: &std::collections::BTreeMap<String, u64>| {
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| Bar {
                label: lang.text(&format!("{section}.{k}")).to_owned(),
                current: a.get(k).copied().unwrap_or(0) as f64,
                previous: b.get(k).copied().unwrap_or(0) as f64,
            })
            .collect::<Vec<_>>()
    };
    vec![
        (lang.text("report.chart_devices").to_owned(), outcomes),
        (
            lang.text("report.chart_beneficiaries").to_owned(),
            breakdown(
                "category",
                &now.beneficiaries.by_category,
                &before.beneficiaries.by_category,
            ),
        ),
        (
            lang.text("report.chart_workers").to_owned(),
            breakdown(
                "contract",
                &now.workforce.workers_by_contract_kind,
                &before.workforce.workers_by_contract_kind,
            ),
        ),
    ]
}
