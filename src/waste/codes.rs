//! The codes of the waste trade: the European List of Waste codes a
//! workshop ships under, treatment codes (R/D, Directive 2008/98/EC annexes)
//! and the register's treatment modes and recipient kinds.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Waste codes of electrical and electronic equipment and its parts, with
/// the denomination the register prints. A `*` marks hazardous waste.
pub const WASTE_CODES: &[(&str, &str)] = &[
    (
        "16 02 14",
        "Équipements électriques et électroniques hors d'usage",
    ),
    (
        "16 02 13*",
        "Équipements hors d'usage contenant des composants dangereux",
    ),
    (
        "16 02 16",
        "Composants retirés des équipements hors d'usage",
    ),
    (
        "16 02 15*",
        "Composants dangereux retirés des équipements hors d'usage",
    ),
    (
        "20 01 36",
        "Équipements électriques et électroniques mis au rebut (DEEE ménagers)",
    ),
    (
        "20 01 35*",
        "Équipements électriques et électroniques mis au rebut contenant des composants dangereux",
    ),
    ("16 06 05", "Autres piles et accumulateurs"),
    (
        "20 01 33*",
        "Piles et accumulateurs contenant des substances dangereuses, en mélange",
    ),
    (
        "20 01 34",
        "Piles et accumulateurs autres que ceux visés à la rubrique 20 01 33",
    ),
];

/// A known waste code, written with its spaces (`16 02 13*`), from what was
/// typed (`160213*`, `16 02 13 *`); `None` for a code not in the list.
pub fn waste_code(typed: &str) -> Option<(&'static str, &'static str)> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    WASTE_CODES
        .iter()
        .find(|(code, _)| code.replace(' ', "") == compact)
        .copied()
}

pub fn is_hazardous(code: &str) -> bool {
    code.ends_with('*')
}

/// A treatment code as the register writes it: `R 4`, `D 10`; `None` when
/// it is not one of R 1–R 13 or D 1–D 15.
pub fn treatment_code(typed: &str) -> Option<String> {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let (letter, number) = compact.split_at_checked(1)?;
    let number: u8 = number.parse().ok()?;
    let max = match letter {
        "R" => 13,
        "D" => 15,
        _ => return None,
    };
    (1..=max)
        .contains(&number)
        .then(|| format!("{letter} {number}"))
}

/// "Mode de traitement prévu".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TreatmentMode {
    Reuse,
    Recycling,
    EnergyRecovery,
    Disposal,
    OtherRecovery,
}

impl TreatmentMode {
    /// The register's words.
    pub fn register_text(self) -> &'static str {
        match self {
            Self::Reuse => "Réutilisation",
            Self::Recycling => "Recyclage",
            Self::EnergyRecovery => "Valorisation énergétique",
            Self::Disposal => "Élimination",
            Self::OtherRecovery => "Autres valorisations",
        }
    }

    /// What a treatment code usually means: R 1 burns, R 2–R 11 recycle
    /// or recover materials, R 12–R 13 prepare or store, D eliminates.
    pub fn of_code(code: &str) -> Self {
        match code {
            "R 1" => Self::EnergyRecovery,
            c if c.starts_with('D') => Self::Disposal,
            "R 12" | "R 13" => Self::OtherRecovery,
            _ => Self::Recycling,
        }
    }
}

/// "Type de destinataire".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecipientKind {
    EtablissementFr,
    EntrepriseUe,
    EntrepriseHorsUe,
    Association,
    PersonnePhysique,
    Communes,
}

impl RecipientKind {
    pub fn register_text(self) -> &'static str {
        match self {
            Self::EtablissementFr => "ETABLISSEMENT_FR",
            Self::EntrepriseUe => "ENTREPRISE_UE",
            Self::EntrepriseHorsUe => "ENTREPRISE_HORS_UE",
            Self::Association => "ASSOCIATION",
            Self::PersonnePhysique => "PERSONNE_PHYSIQUE",
            Self::Communes => "COMMUNES",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn waste_codes_are_written_with_their_spaces() {
        assert_eq!(waste_code("160214").map(|c| c.0), Some("16 02 14"));
        assert_eq!(waste_code("16 02 13 *").map(|c| c.0), Some("16 02 13*"));
        assert_eq!(waste_code("16 02 99"), None);
        assert!(is_hazardous("20 01 35*"));
        assert!(!is_hazardous("20 01 36"));
    }

    #[test]
    fn treatment_codes_are_r1_to_r13_and_d1_to_d15() {
        assert_eq!(treatment_code("R4").as_deref(), Some("R 4"));
        assert_eq!(treatment_code(" r 12 ").as_deref(), Some("R 12"));
        assert_eq!(treatment_code("D15").as_deref(), Some("D 15"));
        for bad in ["R 0", "R 14", "D 16", "X 1", "R", "", "R1a"] {
            assert_eq!(treatment_code(bad), None, "{bad}");
        }
        assert_eq!(TreatmentMode::of_code("R 4"), TreatmentMode::Recycling);
        assert_eq!(TreatmentMode::of_code("D 10"), TreatmentMode::Disposal);
    }

    proptest! {
        #[test]
        fn any_text_is_a_code_or_refused_without_panic(text in "\\PC{0,12}") {
            if let Some(code) = treatment_code(&text) {
                prop_assert!(code.starts_with("R ") || code.starts_with("D "));
            }
            if let Some((code, _)) = waste_code(&text) {
                prop_assert!(WASTE_CODES.iter().any(|(c, _)| *c == code));
            }
        }
    }
}
