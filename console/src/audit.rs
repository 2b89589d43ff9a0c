//! An audit log as the console shows it, for a customer's audit tab and the operator's audit
//! page alike: the filter the URL carries (kind, first and last day) and one row per change.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The filter, as the URL carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AuditFilter {
    /// `money`, `access`, … or empty for every kind.
    #[serde(default)]
    pub kind: String,
    /// First day, `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub to: String,
}

/// The kinds offered: (URL value, words); the schema's name is the value in capitals.
pub const KINDS: [(&str, &str); 6] = [
    ("money", "Money"),
    ("access", "Access"),
    ("documents", "Documents"),
    ("addresses", "Addresses"),
    ("people", "People"),
    ("other", "Other"),
];

/// The filter read: the kind as an operation's `AuditKind`, and the days.
pub struct ParsedFilter<K> {
    /// Only entries of this kind.
    pub kind: Option<K>,
    /// From this day.
    pub from: Option<NaiveDate>,
    /// To this day, included.
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    /// The filter as an operation's variables; `Err` (said above the table) for a kind the
    /// select does not offer or a day that is not one.
    pub fn parse<K: DeserializeOwned>(&self) -> Result<ParsedFilter<K>, &'static str> {
        let (from, to) = (day(&self.from)?, day(&self.to)?);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err("The last day comes before the first.");
        }
        Ok(ParsedFilter {
            kind: self.kind()?,
            from,
            to,
        })
    }

    fn kind<K: DeserializeOwned>(&self) -> Result<Option<K>, &'static str> {
        const WRONG: &str = "Choose a kind from the list.";
        if self.kind.is_empty() {
            return Ok(None);
        }
        if !KINDS.iter().any(|(value, _)| *value == self.kind) {
            return Err(WRONG);
        }
        serde_json::from_value(serde_json::Value::String(self.kind.to_uppercase()))
            .map(Some)
            .map_err(|_| WRONG)
    }

    /// The URL's query pairs of this filter, empty ones left out.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [("kind", &self.kind), ("from", &self.from), ("to", &self.to)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.clone()))
            .collect()
    }
}

/// A day of the filter; `Err` for text that is not one.
fn day(text: &str) -> Result<Option<NaiveDate>, &'static str> {
    match text {
        "" => Ok(None),
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| "Enter days as YYYY-MM-DD."),
    }
}

/// One change, for people.
pub struct AuditRow {
    /// "3 Dec 2026 09:14 UTC".
    pub when: String,
    /// `area.verb`.
    pub action: String,
    /// Its kind, in words.
    pub kind: String,
    /// "invoice inv_…".
    pub subject: String,
    /// Who, with their role.
    pub actor: String,
}

impl AuditRow {
    /// The row of an entry made at `at` by `actor_name` (none for the system) in
    /// `actor_role` (in words).
    pub fn new(
        at: DateTime<Utc>,
        action: String,
        kind: String,
        subject: (String, String),
        actor_name: Option<String>,
        actor_role: String,
    ) -> Self {
        Self {
            when: format!("{} UTC", at.format("%-d %b %Y %H:%M")),
            action,
            kind,
            subject: format!("{} {}", subject.0, subject.1),
            actor: match actor_name {
                Some(name) => format!("{name} ({actor_role})"),
                None => actor_role,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[allow(clippy::upper_case_acronyms)]
    enum Kind {
        MONEY,
        OTHER,
    }

    fn filter(kind: &str, from: &str, to: &str) -> AuditFilter {
        AuditFilter {
            kind: kind.into(),
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn a_filter_reads_its_kind_and_days_or_says_what_is_wrong() {
        let parsed = filter("money", "2026-12-01", "").parse::<Kind>().unwrap();
        assert_eq!(parsed.kind, Some(Kind::MONEY));
        assert_eq!(parsed.from, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(parsed.to, None);
        assert!(filter("", "", "").parse::<Kind>().unwrap().kind.is_none());
        assert_eq!(
            filter("MONEY", "", "").parse::<Kind>().err(),
            Some("Choose a kind from the list.")
        );
        assert_eq!(
            filter("", "1 Dec", "").parse::<Kind>().err(),
            Some("Enter days as YYYY-MM-DD.")
        );
        assert_eq!(
            filter("", "2026-12-03", "2026-12-01").parse::<Kind>().err(),
            Some("The last day comes before the first.")
        );
        assert_eq!(
            filter("other", "", "2026-12-03").pairs(),
            vec![
                ("kind", "other".to_owned()),
                ("to", "2026-12-03".to_owned())
            ]
        );
    }
}
