//! A tariff version's terms as staff type them, shared by the new tariff and the new version
//! forms: rates one per line (`prefix, rate per minute`: `33, 0.10`), the billing increments,
//! the minimum charge and the connection fee. Only the shape is checked here; the API judges
//! the values, and its refusal of a rate names the line.

use serde::Deserialize;

use crate::client::ConsoleError;
use crate::form::{FormErrors, InputField};

/// The terms, as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct TermsForm {
    #[serde(default)]
    pub(super) rates: String,
    #[serde(default)]
    pub(super) increment_first_seconds: String,
    #[serde(default)]
    pub(super) increment_next_seconds: String,
    #[serde(default)]
    pub(super) minimum_charge: String,
    #[serde(default)]
    pub(super) connection_fee: String,
}

/// The terms read: (rates as `(prefix, rate)`, first and next increments, minimum, fee).
pub(super) struct Terms {
    pub(super) rates: Vec<(String, String)>,
    pub(super) first: i64,
    pub(super) next: i64,
    pub(super) minimum: String,
    pub(super) fee: String,
}

impl TermsForm {
    /// The form as a version's terms are, rates in order.
    pub(super) fn from_version<'a>(
        rates: impl Iterator<Item = (&'a str, &'a str)>,
        first: i64,
        next: i64,
        minimum: &str,
        fee: &str,
    ) -> Self {
        Self {
            rates: rates
                .map(|(prefix, rate)| format!("{prefix}, {rate}"))
                .collect::<Vec<_>>()
                .join("\n"),
            increment_first_seconds: first.to_string(),
            increment_next_seconds: next.to_string(),
            minimum_charge: minimum.to_owned(),
            connection_fee: fee.to_owned(),
        }
    }

    /// Reads the terms, or the refusal to show beside the field at fault.
    pub(super) fn parse(&self) -> Result<Terms, FormErrors> {
        let mut rates = Vec::new();
        let lines = self.rates.lines().map(str::trim).filter(|l| !l.is_empty());
        for (n, line) in lines.enumerate() {
            let Some((prefix, rate)) = line.split_once(',') else {
                let message = format!(
                    "Line {}: write the prefix, a comma, the rate per minute.",
                    n + 1
                );
                return Err(FormErrors::on("rates", message));
            };
            rates.push((prefix.trim().to_owned(), rate.trim().to_owned()));
        }
        let seconds = |field: &str, text: &str| {
            text.trim()
                .parse::<i64>()
                .map_err(|_| FormErrors::on(field, "A whole number of seconds."))
        };
        Ok(Terms {
            rates,
            first: seconds("incrementFirstSeconds", &self.increment_first_seconds)?,
            next: seconds("incrementNextSeconds", &self.increment_next_seconds)?,
            minimum: self.minimum_charge.trim().to_owned(),
            fee: self.connection_fee.trim().to_owned(),
        })
    }

    /// The terms' inputs, for the form's template.
    pub(super) fn fields(&self, errors: &FormErrors) -> Vec<InputField> {
        vec![
            InputField::text(
                "increment_first_seconds".into(),
                "First block (seconds)",
                &self.increment_first_seconds,
                errors,
                "incrementFirstSeconds",
            )
            .hint("60 with 60: started minutes; 30 with 6: 30 s, then 6 s blocks."),
            InputField::text(
                "increment_next_seconds".into(),
                "Next blocks (seconds)",
                &self.increment_next_seconds,
                errors,
                "incrementNextSeconds",
            ),
            InputField::text(
                "minimum_charge".into(),
                "Minimum per connected call",
                &self.minimum_charge,
                errors,
                "minimumCharge",
            )
            .hint("Connection fee included; exact (0.05)."),
            InputField::text(
                "connection_fee".into(),
                "Connection fee",
                &self.connection_fee,
                errors,
                "connectionFee",
            ),
        ]
    }
}

/// The API's refusal placed on a terms form: a rate's field names its line in the rates box;
/// `others` are the form's other fields.
pub(super) fn terms_refusal(
    error: ConsoleError,
    others: &[&str],
) -> Result<FormErrors, ConsoleError> {
    if let ConsoleError::Field { field, message } = &error
        && let Some(rest) = field.strip_prefix("input.rates")
    {
        let line = rest
            .strip_prefix('.')
            .and_then(|r| r.split('.').next())
            .and_then(|n| n.parse::<usize>().ok())
            .map_or(String::new(), |n| format!("Line {}: ", n + 1));
        return Ok(FormErrors::on("rates", format!("{line}{message}")));
    }
    FormErrors::from_refusal(error, |f| {
        others.contains(&f)
            || matches!(
                f,
                "incrementFirstSeconds"
                    | "incrementNextSeconds"
                    | "minimumCharge"
                    | "connectionFee"
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_one_per_line_and_a_bad_line_is_named() {
        let form = TermsForm {
            rates: "33, 0.10\n\n44,0.03".into(),
            increment_first_seconds: "30".into(),
            increment_next_seconds: "6".into(),
            ..TermsForm::default()
        };
        let terms = form.parse().expect("terms");
        assert_eq!(
            terms.rates,
            vec![("33".into(), "0.10".into()), ("44".into(), "0.03".into())]
        );
        let shown = TermsForm::from_version(
            terms.rates.iter().map(|(p, r)| (p.as_str(), r.as_str())),
            30,
            6,
            "0",
            "0",
        );
        assert_eq!(shown.rates, "33, 0.10\n44, 0.03");
        let bad = TermsForm {
            rates: "33, 0.10\n44 0.03".into(),
            ..form
        };
        let errors = bad.parse().err().expect("refused");
        assert!(
            errors
                .get("rates")
                .is_some_and(|m| m.starts_with("Line 2:"))
        );
    }
}
