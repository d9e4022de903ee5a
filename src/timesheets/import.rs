//! Hours from a spreadsheet: the CSV a workshop already keeps (one line per
//! worker, day and activity), in French or English, with `,` `;` or tab, in
//! whatever encoding the spreadsheet saved it. Workers are named by their
//! reference or, for those who may read it, their name.

use chrono::NaiveDate;

use super::{Activity, NewEntry};
use crate::asset_list::{decode, delimiter, fold};
use crate::error::{AppError, FieldError};
use crate::workers::Worker;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Worker,
    Date,
    Hours,
    Activity,
}

fn column_of(header: &str) -> Option<Column> {
    Some(match fold(header).as_str() {
        "salarie" | "salariee" | "worker" | "employee" | "reference" | "ref" | "nom" | "name"
        | "personne" | "prenom nom" => Column::Worker,
        "date" | "jour" | "day" => Column::Date,
        "heures" | "hours" | "duree" | "nb heures" | "nombre d heures" | "temps" => Column::Hours,
        "activite" | "activity" | "tache" | "poste" | "task" => Column::Activity,
        _ => return None,
    })
}

/// The activity a spreadsheet's word means.
pub fn activity_of(word: &str) -> Option<Activity> {
    let folded = fold(word);
    if let Some(activity) = Activity::parse(&folded) {
        return Some(activity);
    }
    Some(match folded.as_str() {
        "accueil" | "reception" | "collecte" | "enlevement" => Activity::Intake,
        "effacement" | "effacement des donnees" | "wipe" | "wiping" => Activity::Erasure,
        "reparation" | "reconditionnement" | "depannage" => Activity::Repair,
        "installation" | "installation systeme" | "os" => Activity::Install,
        "controle qualite" | "controle" | "qualite" | "quality control" => Activity::Qc,
        "logistique" | "livraison" | "stock" => Activity::Logistics,
        "formation" | "training" | "apprentissage" => Activity::Training,
        "autre" | "divers" => Activity::Other,
        _ => return None,
    })
}

/// `2026-11-30` or `30/11/2026`.
pub fn date_of(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

/// `7,5`, `7.5` or `7h30`.
pub fn hours_of(text: &str) -> Option<f64> {
    let text = text.trim().to_lowercase().replace(',', ".");
    if let Some((h, m)) = text.split_once('h') {
        let hours: f64 = h.trim().parse().ok()?;
        let minutes: f64 = if m.trim().is_empty() {
            0.0
        } else {
            m.trim().parse().ok()?
        };
        return (minutes < 60.0).then(|| hours + minutes / 60.0);
    }
    text.parse().ok().filter(|h: &f64| h.is_finite())
}

/// The entries a file holds, or every line's problem (nothing is recorded
/// unless every line reads). `workers` are those the importer may name.
pub fn parse(bytes: &[u8], workers: &[Worker]) -> Result<Vec<NewEntry>, AppError> {
    let (text, _) = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| AppError::field("file", "is not a CSV file"))?
        .clone();
    let columns: Vec<Option<Column>> = headers.iter().map(column_of).collect();
    for wanted in [Column::Worker, Column::Date, Column::Hours] {
        if !columns.contains(&Some(wanted)) {
            return Err(AppError::field(
                "file",
                "needs columns for the worker, the date and the hours (and may name the activity)",
            ));
        }
    }
    let by_name = |text: &str| -> Vec<&Worker> {
        let folded = fold(text);
        workers
            .iter()
            .filter(|w| {
                w.reference.eq_ignore_ascii_case(text.trim())
                    || w.display_name.as_deref().is_some_and(|n| fold(n) == folded)
            })
            .collect()
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        // Line 1 is the header.
        let line = index + 2;
        let Ok(record) = record else {
            problems.push(FieldError::new(format!("lines[{line}]"), "cannot be read"));
            continue;
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |wanted: Column| {
            columns
                .iter()
                .position(|c| *c == Some(wanted))
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        let mut problem = |field: &str, message: &str| {
            problems.push(FieldError::new(format!("lines[{line}].{field}"), message));
        };
        let worker = match by_name(cell(Column::Worker)).as_slice() {
            [one] => Some(one.id),
            [] => {
                problem("worker", "no such worker (their reference or name)");
                None
            }
            _ => {
                problem(
                    "worker",
                    "several workers have this name: use the reference",
                );
                None
            }
        };
        let date = date_of(cell(Column::Date));
        if date.is_none() {
            problem("date", "a date such as 2026-11-30 or 30/11/2026");
        }
        let hours = hours_of(cell(Column::Hours));
        if hours.is_none() {
            problem("hours", "hours such as 7,5 or 7h30");
        }
        let activity_text = cell(Column::Activity);
        let activity = if activity_text.is_empty() {
            Some(Activity::Other)
        } else {
            activity_of(activity_text)
        };
        if activity.is_none() {
            problem(
                "activity",
                "an activity: accueil, effacement, réparation, installation, contrôle qualité, logistique, formation, autre",
            );
        }
        if let (Some(worker_id), Some(date), Some(hours), Some(activity)) =
            (worker, date, hours, activity)
        {
            entries.push(NewEntry {
                worker_id,
                date,
                hours,
                activity,
            });
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    if entries.is_empty() {
        return Err(AppError::field("file", "holds no hours"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spreadsheet_words_read_as_activities_dates_and_hours() {
        assert_eq!(activity_of("Contrôle qualité"), Some(Activity::Qc));
        assert_eq!(activity_of("RÉPARATION"), Some(Activity::Repair));
        assert_eq!(activity_of("training"), Some(Activity::Training));
        assert_eq!(activity_of("café"), None);
        assert_eq!(date_of("30/11/2026"), NaiveDate::from_ymd_opt(2026, 11, 30));
        assert_eq!(date_of("2026-11-30"), NaiveDate::from_ymd_opt(2026, 11, 30));
        assert_eq!(date_of("31/02/2026"), None);
        assert_eq!(hours_of("7,5"), Some(7.5));
        assert_eq!(hours_of("7h30"), Some(7.5));
        assert_eq!(hours_of("7h"), Some(7.0));
        assert_eq!(hours_of("7h75"), None);
        assert_eq!(hours_of("NaN"), None);
    }

    proptest! {
        #[test]
        fn any_file_is_entries_or_problems_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse(&bytes, &[]);
        }
    }
}
