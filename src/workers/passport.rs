//! The skills passport (SPEC §7): what a worker did in the workshop, counted
//! from the ledger's own record of who did what — the events their user
//! account wrote — and worded for a future employer. A PDF they keep.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{event, site, timesheet_entry};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{Worker, queries};
use crate::error::AppError;
use crate::i18n::Language;
use crate::ids::WorkerId;
use crate::pdf::{Column, Weight, Writer};
use crate::principal::Principal;

/// An operation, as an employer reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    Audit,
    Erasure,
    Destruction,
    Repair,
    Grading,
    BatteryTest,
    OsInstall,
    QualityControl,
    Handover,
    StockCount,
}

impl Operation {
    pub(crate) fn words(self, language: Language) -> &'static str {
        match (language, self) {
            (Language::Fr, Self::Audit) => "Inventaire et diagnostic matériel d’ordinateurs",
            (Language::Fr, Self::Erasure) => {
                "Effacement certifié de supports de stockage (NIST SP 800-88)"
            }
            (Language::Fr, Self::Destruction) => "Destruction physique de supports de stockage",
            (Language::Fr, Self::Repair) => "Réparation et remplacement de pièces",
            (Language::Fr, Self::Grading) => "Évaluation de l’état esthétique",
            (Language::Fr, Self::BatteryTest) => "Test de batteries",
            (Language::Fr, Self::OsInstall) => "Installation de systèmes libres (GNU/Linux)",
            (Language::Fr, Self::QualityControl) => "Contrôle qualité avant remise",
            (Language::Fr, Self::Handover) => "Remise d’équipements et accueil du public",
            (Language::Fr, Self::StockCount) => "Inventaire de stock (scan d’étiquettes)",
            (Language::En, Self::Audit) => "Hardware inventory and diagnosis of computers",
            (Language::En, Self::Erasure) => {
                "Certified data erasure of storage media (NIST SP 800-88)"
            }
            (Language::En, Self::Destruction) => "Physical destruction of storage media",
            (Language::En, Self::Repair) => "Repairs and parts replacement",
            (Language::En, Self::Grading) => "Cosmetic grading",
            (Language::En, Self::BatteryTest) => "Battery testing",
            (Language::En, Self::OsInstall) => "Installing free operating systems (GNU/Linux)",
            (Language::En, Self::QualityControl) => "Quality control before handover",
            (Language::En, Self::Handover) => "Handing equipment over to the public",
            (Language::En, Self::StockCount) => "Stock counts (label scanning)",
        }
    }
}

/// The operation an event records, if it is one a person performs.
pub fn operation_of(kind: &str, payload: &serde_json::Value) -> Option<Operation> {
    match kind {
        "device.transitioned" => match payload["action"].as_str()? {
            "audit" => Some(Operation::Audit),
            "install_os" => Some(Operation::OsInstall),
            "pass_qc" => Some(Operation::QualityControl),
            "deliver" => Some(Operation::Handover),
            _ => None,
        },
        "erasure.recorded" => Some(if payload["category"] == "destroy" {
            Operation::Destruction
        } else {
            Operation::Erasure
        }),
        // A medium moved by an erasure record is that record's consequence:
        // counted once, as the record.
        "medium.transitioned" if payload["erasure_id"].is_null() => {
            match payload["action"].as_str()? {
                "record_erasure" => Some(Operation::Erasure),
                "destroy" => Some(Operation::Destruction),
                _ => None,
            }
        }
        "device.work_recorded" => match payload["work"]["type"].as_str()? {
            "repair" => Some(Operation::Repair),
            "grade" => Some(Operation::Grading),
            "battery" => Some(Operation::BatteryTest),
            "os" => Some(Operation::OsInstall),
            _ => None,
        },
        "stock_audit.scanned" => Some(Operation::StockCount),
        _ => None,
    }
}

/// What a passport says.
pub struct Passport {
    pub worker: Worker,
    pub workshop: String,
    pub instance_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub operations: BTreeMap<Operation, u64>,
    pub hours_by_activity: BTreeMap<String, f64>,
    pub language: Language,
}

/// Counts a worker's operations and hours between `from` and `to`.
pub async fn prepare(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: WorkerId,
    from: NaiveDate,
    to: NaiveDate,
    language: Language,
    instance_name: &str,
) -> Result<Passport, AppError> {
    if to < from {
        return Err(AppError::field("to", "must not be before `from`"));
    }
    let worker = queries::get(db, principal, id).await?;
    let start: DateTime<Utc> = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let end: DateTime<Utc> = to
        .succ_opt()
        .unwrap_or(to)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let mut operations = BTreeMap::new();
    if let Some(user) = worker.user_id {
        let rows: Vec<(String, String)> = event::Entity::find()
            .select_only()
            .column(event::Column::Kind)
            .column(event::Column::Payload)
            .filter(event::Column::ActorId.eq(user.0))
            .filter(event::Column::At.gte(start))
            .filter(event::Column::At.lt(end))
            .into_tuple()
            .all(db)
            .await?;
        for (kind, payload) in rows {
            let payload: serde_json::Value = serde_json::from_str(&payload).unwrap_or_default();
            if let Some(operation) = operation_of(&kind, &payload) {
                *operations.entry(operation).or_default() += 1;
            }
        }
    }
    let mut hours_by_activity: BTreeMap<String, f64> = BTreeMap::new();
    let hours: Vec<(f64, String)> = timesheet_entry::Entity::find()
        .select_only()
        .column(timesheet_entry::Column::Hours)
        .column(timesheet_entry::Column::Activity)
        .filter(timesheet_entry::Column::WorkerId.eq(id.0))
        .filter(timesheet_entry::Column::WorkedOn.gte(from))
        .filter(timesheet_entry::Column::WorkedOn.lte(to))
        .into_tuple()
        .all(db)
        .await?;
    for (h, activity) in hours {
        *hours_by_activity.entry(activity).or_default() += h;
    }
    let workshop = site::Entity::find_by_id(worker.site_id.0)
        .one(db)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    Ok(Passport {
        worker,
        workshop,
        instance_name: instance_name.to_owned(),
        from,
        to,
        operations,
        hours_by_activity,
        language,
    })
}

/// Lays the passport out.
pub fn render(passport: &Passport) -> Result<Vec<u8>, AppError> {
    let fr = passport.language == Language::Fr;
    let title = if fr {
        "Passeport de compétences"
    } else {
        "Skills passport"
    };
    let mut writer = Writer::new(title, Utc::now())?;
    writer.paragraph(&passport.instance_name, 15.0, Weight::Bold);
    writer.paragraph(&passport.workshop, 10.0, Weight::Regular);
    writer.y += 6.0;
    writer.paragraph(title, 16.0, Weight::Bold);
    let who = match &passport.worker.display_name {
        Some(name) => format!("{name} — {}", passport.worker.reference),
        None => passport.worker.reference.clone(),
    };
    writer.paragraph(&who, 12.0, Weight::Regular);
    let contract_key = format!("contract.{}", passport.worker.contract_kind.as_str());
    let contract = passport.language.text(&contract_key);
    let since = if fr { "depuis le" } else { "since" };
    writer.paragraph(
        &format!("{contract}, {since} {}", passport.worker.started_on),
        10.0,
        Weight::Regular,
    );
    let period = if fr { "Période" } else { "Period" };
    writer.paragraph(
        &format!("{period} : {} → {}", passport.from, passport.to),
        10.0,
        Weight::Regular,
    );
    writer.y += 4.0;
    let (what, count) = if fr {
        (
            "Opérations réalisées, enregistrées dans le registre de l’atelier",
            "Nombre",
        )
    } else {
        (
            "Operations performed, as recorded in the workshop's ledger",
            "Count",
        )
    };
    let rows: Vec<Vec<String>> = passport
        .operations
        .iter()
        .map(|(op, n)| vec![op.words(passport.language).to_owned(), n.to_string()])
        .collect();
    writer.paragraph(what, 11.0, Weight::Bold);
    if rows.is_empty() {
        writer.paragraph("—", 10.0, Weight::Regular);
    } else {
        writer.table(
            &[
                Column {
                    title: if fr { "Opération" } else { "Operation" }.into(),
                    width: 150.0,
                },
                Column {
                    title: count.into(),
                    width: 30.0,
                },
            ],
            &rows,
            10.0,
        );
    }
    writer.y += 4.0;
    writer.paragraph(
        if fr {
            "Heures par activité"
        } else {
            "Hours by activity"
        },
        11.0,
        Weight::Bold,
    );
    let rows: Vec<Vec<String>> = passport
        .hours_by_activity
        .iter()
        .map(|(activity, h)| {
            vec![
                passport
                    .language
                    .text(&format!("activity.{activity}"))
                    .to_owned(),
                format!("{h}"),
            ]
        })
        .collect();
    if rows.is_empty() {
        writer.paragraph("—", 10.0, Weight::Regular);
    } else {
        writer.table(
            &[
                Column {
                    title: if fr { "Activité" } else { "Activity" }.into(),
                    width: 150.0,
                },
                Column {
                    title: if fr { "Heures" } else { "Hours" }.into(),
                    width: 30.0,
                },
            ],
            &rows,
            10.0,
        );
    }
    writer.finish(&format!("{} — {title}", passport.instance_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_are_read_from_the_events_a_person_writes() {
        let op = |kind: &str, payload: serde_json::Value| operation_of(kind, &payload);
        assert_eq!(
            op("device.transitioned", json!({"action": "audit"})),
            Some(Operation::Audit)
        );
        assert_eq!(
            op("device.transitioned", json!({"action": null})),
            None,
            "automatic moves are nobody's"
        );
        assert_eq!(
            op("erasure.recorded", json!({"category": "purge"})),
            Some(Operation::Erasure)
        );
        assert_eq!(
            op("erasure.recorded", json!({"category": "destroy"})),
            Some(Operation::Destruction)
        );
        assert_eq!(
            op(
                "medium.transitioned",
                json!({"action": "record_erasure", "erasure_id": "x"})
            ),
            None,
            "counted once, as its erasure record"
        );
        assert_eq!(
            op("medium.transitioned", json!({"action": "record_erasure"})),
            Some(Operation::Erasure)
        );
        assert_eq!(
            op("device.work_recorded", json!({"work": {"type": "repair"}})),
            Some(Operation::Repair)
        );
        assert_eq!(op("site.created", json!({})), None);
    }
}
