//! Amounts as the schema sends them (exact decimal text beside a formatted form), for pages that
//! leave out rows of nothing.

/// `formatted` unless `amount` (exact decimal text, e.g. `-0.00`) is zero.
pub fn unless_zero(amount: &str, formatted: String) -> Option<String> {
    let zero = amount
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.');
    (!zero).then_some(formatted)
}

#[cfg(test)]
mod tests {
    use super::unless_zero;

    #[test]
    fn zero_in_any_form_is_left_out() {
        for zero in ["0", "0.00", "-0.000", "0."] {
            assert_eq!(unless_zero(zero, "x".into()), None, "{zero}");
        }
        assert_eq!(unless_zero("0.01", "€0.01".into()), Some("€0.01".into()));
        assert_eq!(unless_zero("-5", "-€5.00".into()), Some("-€5.00".into()));
    }
}
