//! Values of the schema as people read them: enum values in words ("Toll free", not
//! `TOLL_FREE`) and days as "1 Jan 2027", never `2027-01-01`.

use std::fmt::Debug;

use chrono::NaiveDate;

/// An enum value of an operation's types in words: `TOLL_FREE` → "Toll free". A value added
/// to the schema after this console was built (`Other("NEW")`) reads as its name.
pub fn label(value: &impl Debug) -> String {
    let debug = format!("{value:?}");
    let name = debug
        .strip_prefix("Other(\"")
        .and_then(|rest| rest.strip_suffix("\")"))
        .unwrap_or(&debug);
    let mut words = name.replace('_', " ").to_lowercase();
    if let Some(first) = words.get(..1) {
        let upper = first.to_uppercase();
        words.replace_range(..1, &upper);
    }
    words
}

/// The schema's name of an operation's enum value (`MONTH`, `PER_UNIT`), through its serde
/// form: each operation has its own enum types, this compares them.
pub fn schema_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// "1 Jan 2027".
pub fn day(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// The half-open period `[start, end)` by its first and last days: "1 Dec 2026 – 31 Dec 2026".
pub fn period(start: NaiveDate, end: NaiveDate) -> String {
    let last = end.pred_opt().filter(|last| *last > start).unwrap_or(start);
    if last == start {
        day(start)
    } else {
        format!("{} – {}", day(start), day(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
    enum Kind {
        TOLL_FREE,
        #[allow(dead_code)]
        Other(String),
    }

    #[test]
    fn enum_values_read_as_words() {
        assert_eq!(label(&Kind::TOLL_FREE), "Toll free");
        assert_eq!(label(&Kind::Other("NEW_KIND".into())), "New kind");
    }

    #[test]
    fn periods_show_their_last_day() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("a day");
        assert_eq!(period(d(12, 1), d(12, 2)), "1 Dec 2026");
        assert_eq!(period(d(11, 1), d(12, 1)), "1 Nov 2026 – 30 Nov 2026");
    }
}
