//! Billing intervals in forms: the units offered, a form's `(unit, count)` checked into an
//! operation's own `IntervalUnit` type (each operation has its own), and a cycle in words
//! ("Monthly", "Every 2 weeks").

use serde::de::DeserializeOwned;

use crate::form::{FormErrors, InputField, SelectField};

/// The units offered: (form value, as the schema names it; words).
pub const UNITS: [(&str, &str); 5] = [
    ("MONTH", "Months"),
    ("QUARTER", "Quarters"),
    ("YEAR", "Years"),
    ("WEEK", "Weeks"),
    ("DAY", "Days"),
];

/// [`UNITS`] as a select's options.
pub fn unit_options() -> Vec<(String, String)> {
    UNITS
        .iter()
        .map(|(value, words)| ((*value).to_owned(), (*words).to_owned()))
        .collect()
}

/// A customer form's billing cycle unit (`cycle_unit`), refused on `billingCycle.interval`.
pub fn unit_field(selected: &str, errors: &FormErrors) -> SelectField {
    SelectField::new(
        "cycle_unit",
        "Billing cycle",
        unit_options(),
        selected,
        errors,
        "billingCycle.interval",
    )
}

/// A customer form's units per cycle (`cycle_count`), refused on `billingCycle.intervalCount`.
pub fn count_field(value: &str, errors: &FormErrors, hint: &'static str) -> InputField {
    InputField::text(
        "cycle_count".into(),
        "Units per cycle",
        value,
        errors,
        "billingCycle.intervalCount",
    )
    .kind("number", "off")
    .hint(hint)
}

/// The form's `unit` and `count` as an operation's `IntervalUnit` (`T`) and count, or the
/// refusal beside `unit_field` or `count_field` (the API's names, without `input.`).
pub fn parse<T: DeserializeOwned>(
    unit: &str,
    count: &str,
    unit_field: &str,
    count_field: &str,
) -> Result<(T, i64), FormErrors> {
    let unit = UNITS
        .iter()
        .find(|(value, _)| *value == unit)
        .and_then(|(value, _)| serde_json::from_value(serde_json::Value::from(*value)).ok())
        .ok_or_else(|| FormErrors::on(unit_field, "Choose how often it bills."))?;
    let count = count
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|count| *count >= 1)
        .ok_or_else(|| FormErrors::on(count_field, "Enter a whole number, 1 or more."))?;
    Ok((unit, count))
}

/// A cycle in words, from the unit as the schema names it (`MONTH`) and the count.
pub fn words(unit: &str, count: i64) -> String {
    let once = match unit {
        "DAY" => "Daily",
        "WEEK" => "Weekly",
        "MONTH" => "Monthly",
        "QUARTER" => "Quarterly",
        "YEAR" => "Yearly",
        _ => "",
    };
    if count == 1 && !once.is_empty() {
        return once.to_owned();
    }
    let plural = UNITS
        .iter()
        .find(|(value, _)| *value == unit)
        .map_or(unit, |(_, words)| words);
    format!("Every {count} {}", plural.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An operation's own unit type, as the pages use it.
    type Unit = crate::operations::create_customer::IntervalUnit;

    #[test]
    fn a_cycle_is_checked_and_read_in_words() {
        let (unit, count) = parse::<Unit>("YEAR", " 2 ", "u", "c").expect("a cycle");
        assert_eq!((format!("{unit:?}"), count), ("YEAR".to_owned(), 2));
        assert!(parse::<Unit>("FORTNIGHT", "1", "u", "c").is_err_and(|e| e.get("u").is_some()));
        assert!(parse::<Unit>("MONTH", "0", "u", "c").is_err_and(|e| e.get("c").is_some()));
        assert_eq!(words("MONTH", 1), "Monthly");
        assert_eq!(words("WEEK", 2), "Every 2 weeks");
        assert_eq!(words("QUARTER", 4), "Every 4 quarters");
    }
}
