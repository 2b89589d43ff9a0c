//! A price's tier table as staff type it: one tier per line, `from, to, unit amount, flat fee`,
//! `to` left empty on the open last tier (`1, 10, 5.00, 0` then `11, , 4.00, 0`). Only the
//! shape is checked here; the amounts and the table's continuity are the API's to judge, and
//! its refusal names the line.

use crate::operations::create_price::TierInput;

/// Tiers read from the text box.
#[derive(Debug, PartialEq)]
pub(super) struct TierLines(Vec<(i64, Option<i64>, String, String)>);

impl TierLines {
    /// Reads `text`; an empty box is no tiers. The error names the line at fault.
    pub(super) fn parse(text: &str) -> Result<Self, String> {
        let mut tiers = Vec::new();
        let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        for (n, line) in lines.enumerate() {
            let at = |what: &str| format!("Line {}: {what}", n + 1);
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let [from, to, unit, flat] = cells[..] else {
                return Err(at("write from, to, unit amount, flat fee (4 values)."));
            };
            let from = from
                .parse::<i64>()
                .map_err(|_| at("'from' is a whole number of units."))?;
            let to = match to {
                "" => None,
                to => Some(
                    to.parse::<i64>()
                        .map_err(|_| at("'to' is a whole number of units, or empty."))?,
                ),
            };
            let flat = if flat.is_empty() { "0" } else { flat };
            tiers.push((from, to, unit.to_owned(), flat.to_owned()));
        }
        Ok(Self(tiers))
    }

    /// The tiers as `createPrice` takes them.
    pub(super) fn into_input(self) -> Vec<TierInput> {
        self.0
            .into_iter()
            .map(|(from, to, unit_amount, flat_fee)| TierInput {
                from,
                to,
                unit_amount,
                flat_fee,
            })
            .collect()
    }
}

/// A version's tiers as the text box shows them.
pub(super) fn tiers_text<'a>(
    tiers: impl Iterator<Item = (i64, Option<i64>, &'a str, &'a str)>,
) -> String {
    tiers
        .map(|(from, to, unit, flat)| {
            let to = to.map(|t| t.to_string()).unwrap_or_default();
            format!("{from}, {to}, {unit}, {flat}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_round_trip_through_the_text_box() {
        let text = "1, 10, 5.00, 0\n\n11, , 4.00, 10";
        let tiers = TierLines::parse(text).expect("tiers");
        let shown = tiers_text(
            tiers
                .0
                .iter()
                .map(|(f, t, u, x)| (*f, *t, u.as_str(), x.as_str())),
        );
        assert_eq!(shown, "1, 10, 5.00, 0\n11, , 4.00, 10");
        assert_eq!(TierLines::parse("").expect("none"), TierLines(Vec::new()));
    }

    #[test]
    fn a_malformed_line_is_named() {
        assert_eq!(
            TierLines::parse("1, 10, 5, 0\n11, 4.00").expect_err("refused"),
            "Line 2: write from, to, unit amount, flat fee (4 values)."
        );
        assert!(
            TierLines::parse("one, 10, 5, 0")
                .expect_err("refused")
                .starts_with("Line 1")
        );
    }
}
