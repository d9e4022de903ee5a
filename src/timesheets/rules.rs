//! What a timesheet's hours may be: quarters of an hour.

/// Hours are kept in quarters of an hour: what a timesheet says.
pub fn is_quarter_hours(hours: f64) -> bool {
    (hours * 4.0 - (hours * 4.0).round()).abs() < 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_counted_in_quarters() {
        for hours in [0.25, 1.0, 7.5, 7.75, 24.0] {
            assert!(is_quarter_hours(hours), "{hours}");
        }
        for hours in [0.1, 7.4, 7.8, 1.0 / 3.0] {
            assert!(!is_quarter_hours(hours), "{hours}");
        }
    }
}
