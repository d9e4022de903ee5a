//! The chronological register of outgoing waste (arrêté du 31 mai 2021), in
//! the national register's (RNDTS) import template for « déchets dangereux
//! et non dangereux sortants »: `;`-separated, UTF-8 with a BOM, one line per
//! shipment and waste code, empty cells where Retrace has nothing to say.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::events::{Dispatched, Line, Organisation};
use crate::error::AppError;

/// When [`HEADERS`] were taken from the public Trackdéchets sources: the
/// template evolves, and this says which one the file follows.
pub const TEMPLATE_DATE: &str = "2026";

/// The template's columns, in its order, spelled exactly as it spells them —
/// "Raison sociale de l’éco-organisme " ends with a space and has a curly
/// apostrophe.
pub const HEADERS: [&str; 101] = [
    "Motif",
    "Identifiant unique",
    "SIRET du déclarant",
    "SIRET de l'expéditeur ou du détenteur",
    "Référence du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
    "Libellé de l'adresse du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
    "Code postal du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
    "Commune du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
    "Code pays du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
    "Dénomination du déchet",
    "Code déchet",
    "Code déchet Bâle",
    "POP",
    "Dangereux",
    "Date d'expédition",
    "Poids en tonnes",
    "Type de poids",
    "Volume en M3",
    "Type de producteur initial",
    "Numéro d'identification du producteur initial",
    "Raison sociale du producteur initial",
    "Libellé de l'adresse du producteur initial",
    "Code postal du producteur initial",
    "Commune du producteur initial",
    "Code pays du producteur initial",
    "Code(s) INSEE de(s) commune(s)",
    "Type de destinataire",
    "Numéro d'identification du destinataire",
    "Raison sociale du destinataire",
    "Libellé de l'adresse du destinataire",
    "Code postal du destinataire",
    "Commune du destinataire",
    "Code pays du destinataire",
    "Libellé de l'adresse de dépôt du destinataire",
    "Code postal du lieu de dépôt du destinataire",
    "Commune du lieu de dépôt du destinataire",
    "Code pays du lieu de dépôt du destinataire",
    "Numéro de déclaration GISTRID",
    "Numéro de notification GISTRID",
    "Numéro de mouvement",
    "Code de traitement prévu",
    "Mode de traitement prévu",
    "SIRET de l'éco-organisme",
    "Raison sociale de l\u{2019}éco-organisme ",
    "SIRET du courtier",
    "Raison sociale du courtier",
    "Numéro de récépissé du courtier",
    "SIRET du négociant",
    "Raison sociale du négociant",
    "Numéro de récépissé du négociant",
    "Approvisionnement direct (pipeline, convoyeur)",
    "Mode de transport du transporteur n°1",
    "Type de transporteur n°1",
    "Numéro d'identification du transporteur n°1",
    "Raison sociale du transporteur n°1",
    "Libellé de l'adresse du transporteur n°1",
    "Code postal du transporteur n°1",
    "Commune du transporteur n°1",
    "Code pays du transporteur n°1",
    "Exemption de récépissé du transporteur n°1",
    "Numéro de récépissé du transporteur n°1",
    "Mode de transport du transporteur n°2",
    "Type de transporteur n°2",
    "Numéro d'identification du transporteur n°2",
    "Raison sociale du transporteur n°2",
    "Libellé de l'adresse du transporteur n°2",
    "Code postal du transporteur n°2",
    "Commune du transporteur n°2",
    "Code pays du transporteur n°2",
    "Exemption de récépissé du transporteur n°2",
    "Numéro de récépissé du transporteur n°2",
    "Mode de transport du transporteur n°3",
    "Type de transporteur n°3",
    "Numéro d'identification du transporteur n°3",
    "Raison sociale du transporteur n°3",
    "Libellé de l'adresse du transporteur n°3",
    "Code postal du transporteur n°3",
    "Commune du transporteur n°3",
    "Code pays du transporteur n°3",
    "Exemption de récépissé du transporteur n°3",
    "Numéro de récépissé du transporteur n°3",
    "Mode de transport du transporteur n°4",
    "Type de transporteur n°4",
    "Numéro d'identification du transporteur n°4",
    "Raison sociale du transporteur n°4",
    "Libellé de l'adresse du transporteur n°4",
    "Code postal du transporteur n°4",
    "Commune du transporteur n°4",
    "Code pays du transporteur n°4",
    "Exemption de récépissé du transporteur n°4",
    "Numéro de récépissé du transporteur n°4",
    "Mode de transport du transporteur n°5",
    "Type de transporteur n°5",
    "Numéro d'identification du transporteur n°5",
    "Raison sociale du transporteur n°5",
    "Libellé de l'adresse du transporteur n°5",
    "Code postal du transporteur n°5",
    "Commune du transporteur n°5",
    "Code pays du transporteur n°5",
    "Exemption de récépissé du transporteur n°5",
    "Numéro de récépissé du transporteur n°5",
];

fn yes_no(value: bool) -> &'static str {
    if value { "Oui" } else { "Non" }
}

/// Tonnes with at most three decimals and a point: 12.5 kg → `0.013`. A
/// few hundred grams still weigh something: never less than `0.001`.
pub fn tonnes(kg: f64) -> String {
    let text = format!(
        "{:.3}",
        (kg / 1000.0).max(if kg > 0.0 { 0.001 } else { 0.0 })
    );
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-0" {
        "0".into()
    } else {
        text.to_owned()
    }
}

/// "Identifiant unique": the shipment's number, with the line's rank when a
/// shipment has several waste codes; only the characters the template allows.
pub fn unique_id(number: &str, index: usize, count: usize) -> String {
    let id = if count > 1 {
        format!("{number}.{}", index + 1)
    } else {
        number.to_owned()
    };
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_./".contains(*c))
        .take(36)
        .collect()
}

/// The cells of one line, by header.
fn cells<'a>(
    shipment: &'a Dispatched,
    line: &'a Line,
    index: usize,
) -> HashMap<&'static str, String> {
    let mut cells: HashMap<&'static str, String> = HashMap::new();
    let mut put = |header: &'static str, value: Option<&str>| {
        if let Some(value) = value {
            cells.insert(header, value.to_owned());
        }
    };
    let holder = &shipment.holder;
    let id = unique_id(&shipment.number, index, shipment.lines.len());
    put("Identifiant unique", Some(&id));
    put("SIRET du déclarant", holder.siret.as_deref());
    put(
        "SIRET de l'expéditeur ou du détenteur",
        holder.siret.as_deref(),
    );
    put("Dénomination du déchet", Some(&line.denomination));
    put("Code déchet", Some(&line.waste_code));
    put("POP", Some("Non"));
    put(
        "Dangereux",
        Some(yes_no(super::codes::is_hazardous(&line.waste_code))),
    );
    let date = shipment.dispatched_on.format("%Y-%m-%d").to_string();
    put("Date d'expédition", Some(&date));
    put("Poids en tonnes", Some(&tonnes(line.weight_kg)));
    put(
        "Type de poids",
        Some(if line.weight_measured {
            "REEL"
        } else {
            "ESTIME"
        }),
    );
    let recycler = &shipment.recycler;
    put(
        "Type de destinataire",
        Some(shipment.recipient_kind.register_text()),
    );
    put(
        "Numéro d'identification du destinataire",
        recycler.siret.as_deref(),
    );
    put("Raison sociale du destinataire", Some(&recycler.name));
    put(
        "Libellé de l'adresse du destinataire",
        recycler.address.as_deref(),
    );
    put("Code postal du destinataire", recycler.postcode.as_deref());
    put("Commune du destinataire", recycler.city.as_deref());
    put("Code pays du destinataire", Some(&recycler.country));
    put("Code de traitement prévu", Some(&shipment.treatment_code));
    put(
        "Mode de traitement prévu",
        Some(shipment.treatment_mode.register_text()),
    );
    if let Some(eco) = &shipment.eco_organism {
        put("SIRET de l'éco-organisme", eco.siret.as_deref());
        put("Raison sociale de l\u{2019}éco-organisme ", Some(&eco.name));
    }
    put(
        "Approvisionnement direct (pipeline, convoyeur)",
        Some("Non"),
    );
    // Without a transporter named, the workshop drove the load there itself.
    let carrier: &Organisation = shipment.transporter.as_ref().unwrap_or(holder);
    put("Mode de transport du transporteur n°1", Some("ROUTE"));
    put(
        "Type de transporteur n°1",
        Some(if carrier.country == "FR" {
            "ETABLISSEMENT_FR"
        } else {
            "ENTREPRISE_UE"
        }),
    );
    put(
        "Numéro d'identification du transporteur n°1",
        carrier.siret.as_deref(),
    );
    put("Raison sociale du transporteur n°1", Some(&carrier.name));
    put(
        "Libellé de l'adresse du transporteur n°1",
        carrier.address.as_deref(),
    );
    put(
        "Code postal du transporteur n°1",
        carrier.postcode.as_deref(),
    );
    put("Commune du transporteur n°1", carrier.city.as_deref());
    put("Code pays du transporteur n°1", Some(&carrier.country));
    put(
        "Exemption de récépissé du transporteur n°1",
        Some(yes_no(carrier.receipt_number.is_none())),
    );
    put(
        "Numéro de récépissé du transporteur n°1",
        carrier.receipt_number.as_deref(),
    );
    cells
}

/// The register file for `shipments`, oldest first.
pub fn write(shipments: &[Dispatched]) -> Result<Vec<u8>, AppError> {
    let mut sheet = crate::spreadsheet::Sheet::new();
    sheet.row(HEADERS.iter().copied())?;
    for shipment in shipments {
        for (index, line) in shipment.lines.iter().enumerate() {
            let cells = cells(shipment, line, index);
            sheet.row(
                HEADERS
                    .iter()
                    .map(|h| cells.get(h).map_or("", String::as_str)),
            )?;
        }
    }
    sheet.finish()
}

/// The file name a download gets: `registre-dechets-sortants_2026-01-01_2026-12-31.csv`.
pub fn file_name(from: NaiveDate, to: NaiveDate) -> String {
    format!("registre-dechets-sortants_{from}_{to}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_tonnes_with_at_most_three_decimals() {
        assert_eq!(tonnes(12.5), "0.013");
        assert_eq!(tonnes(1500.0), "1.5");
        assert_eq!(tonnes(2000.0), "2");
        assert_eq!(tonnes(0.2), "0.001");
        assert_eq!(tonnes(0.0), "0");
    }

    #[test]
    fn unique_ids_fit_the_template() {
        assert_eq!(unique_id("BRE-DS-2026-0001", 0, 1), "BRE-DS-2026-0001");
        assert_eq!(unique_id("BRE-DS-2026-0001", 1, 2), "BRE-DS-2026-0001.2");
        let long = unique_id(&"X".repeat(50), 0, 1);
        assert_eq!(long.len(), 36);
    }

    #[test]
    fn every_cell_filled_names_a_column_of_the_template() {
        let party = |name: &str| Organisation {
            name: name.into(),
            siret: Some("73282932000074".into()),
            address: Some("1 rue".into()),
            postcode: Some("29200".into()),
            city: Some("Brest".into()),
            country: "FR".into(),
            receipt_number: Some("R-1".into()),
        };
        let shipment = Dispatched {
            site_id: crate::ids::SiteId::generate(),
            number: "BRE-DS-2026-0001".into(),
            dispatched_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
            holder: party("Atelier"),
            recycler: party("Recycleur"),
            recipient_kind: super::super::RecipientKind::EtablissementFr,
            eco_organism: Some(party("Eco")),
            transporter: Some(party("Transport")),
            treatment_code: "R 4".into(),
            treatment_mode: super::super::TreatmentMode::Recycling,
            trackdechets_number: None,
            lines: vec![Line {
                waste_code: "16 02 13*".into(),
                denomination: "x".into(),
                weight_kg: 10.0,
                weight_measured: true,
                items: vec![],
            }],
        };
        let cells = cells(&shipment, &shipment.lines[0], 0);
        for header in cells.keys() {
            assert!(HEADERS.contains(header), "{header} is not a column");
        }
        assert_eq!(cells["Dangereux"], "Oui");
        assert_eq!(cells["Raison sociale de l\u{2019}éco-organisme "], "Eco");
    }
}
