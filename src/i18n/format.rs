//! Numbers and dates, written one way per language on every page, PDF and
//! CSV: `3 272,40` and `06/12/2026` in French, `3,272.40` and `2026-12-06`
//! in English (ISO 8601: no reader takes it for another day).

use chrono::{DateTime, NaiveDate, Utc};

use super::Language;

/// `value` with `decimals` decimals, its thousands grouped: `1 234,5` in
/// French (a narrow no-break space, so a number never breaks across
/// lines), `1,234.5` in English.
pub fn number(language: Language, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let (sign, digits) = whole
        .strip_prefix('-')
        .map_or(("", whole), |rest| ("-", rest));
    let (group, point) = match language {
        Language::Fr => ('\u{202f}', ','),
        Language::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// A number as a spreadsheet cell reads it: the language's decimal mark,
/// no grouping (a spreadsheet takes a grouped figure for text).
pub fn cell(language: Language, value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match language {
        Language::Fr => text.replace('.', ","),
        Language::En => text,
    }
}

/// A figure with up to two decimals and no trailing zero, as hours and
/// report figures are shown: `12`, `12,5`, `12,25` in French.
pub fn figure(language: Language, value: f64) -> String {
    let two = number(language, value, 2);
    let point = match language {
        Language::Fr => ',',
        Language::En => '.',
    };
    match two.split_once(point) {
        Some((whole, fraction)) => match fraction.trim_end_matches('0') {
            "" => whole.to_owned(),
            kept => format!("{whole}{point}{kept}"),
        },
        None => two,
    }
}

/// A count for Fluent's plural choice: no grouping, no decimals unless it has some.
pub(super) fn plain_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        value.to_string()
    }
}

pub fn date(language: Language, day: NaiveDate) -> String {
    match language {
        Language::Fr => day.format("%d/%m/%Y").to_string(),
        Language::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// A moment, to the minute, in UTC as the ledger holds it.
pub fn moment(language: Language, at: DateTime<Utc>) -> String {
    format!("{} {}", date(language, at.date_naive()), at.format("%H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_pointed_as_each_language_writes_them() {
        assert_eq!(number(Language::Fr, 3272.4, 2), "3\u{202f}272,40");
        assert_eq!(number(Language::En, 3272.4, 2), "3,272.40");
        assert_eq!(
            number(Language::Fr, -1_234_567.0, 0),
            "-1\u{202f}234\u{202f}567"
        );
        assert_eq!(number(Language::En, 999.0, 0), "999");
        assert_eq!(cell(Language::Fr, 3272.4, 2), "3272,40");
        assert_eq!(figure(Language::Fr, 12.0), "12");
        assert_eq!(figure(Language::Fr, 12.5), "12,5");
        assert_eq!(figure(Language::En, 1234.25), "1,234.25");
    }

    #[test]
    fn dates_are_written_one_way_per_language() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(date(Language::Fr, day), "03/11/2026");
        assert_eq!(date(Language::En, day), "2026-11-03");
    }
}
