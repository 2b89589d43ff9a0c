//! Checks of what a customer types: a card number's Luhn digit, an expiry in the future, an
//! IBAN's ISO 13616 check digits. Pure functions; the values are never kept.

use chrono::{DateTime, Datelike, Utc};

/// The digits of a card number typed with spaces or dashes; `None` when anything else is in it
/// or the length is not 12 to 19 digits.
pub fn card_digits(number: &str) -> Option<String> {
    let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.len() >= 12 && digits.len() <= 19 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

/// Whether `digits` (ASCII digits only) pass the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// Whether a card expiring at the end of `month`/`year` is still valid at `now`.
pub fn expiry_in_future(month: u32, year: i32, now: DateTime<Utc>) -> bool {
    (1..=12).contains(&month) && (year, month) >= (now.year(), now.month())
}

/// The IBAN without spaces, upper-cased, when its shape and check digits are right.
pub fn iban(value: &str) -> Option<String> {
    let iban: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if iban.len() < 15 || iban.len() > 34 || !iban.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let (head, tail) = iban.split_at(4);
    if !head[..2].bytes().all(|b| b.is_ascii_uppercase())
        || !head[2..].bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    // Move the first four characters to the end, letters to 10..35, and take it mod 97.
    let mut remainder = 0u32;
    for b in tail.bytes().chain(head.bytes()) {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    (remainder == 1).then_some(iban)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_test_cards_pass_luhn_and_a_changed_digit_does_not() {
        for number in [
            "4242 4242 4242 4242",
            "4000000000000002",
            "4000 0000 0000 9995",
            "4000-0027-6000-3184",
        ] {
            let digits = card_digits(number).expect("digits");
            assert!(luhn_valid(&digits), "{number}");
        }
        assert!(!luhn_valid("4242424242424241"));
        assert_eq!(card_digits("4242 4242 abcd 4242"), None);
        assert_eq!(card_digits("42424242"), None);
    }

    #[test]
    fn an_expiry_is_valid_through_its_month() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert!(expiry_in_future(12, 2026, now));
        assert!(!expiry_in_future(11, 2026, now));
        assert!(expiry_in_future(1, 2027, now));
        assert!(!expiry_in_future(13, 2030, now));
    }

    #[test]
    fn ibans_are_checked_by_their_check_digits() {
        assert_eq!(
            iban("DE89 3704 0044 0532 0130 00").as_deref(),
            Some("DE89370400440532013000")
        );
        assert!(iban("DE62370400440532013001").is_some());
        assert!(iban("FR1420041010050500013M02606").is_some());
        assert!(iban("DE89370400440532013001").is_none());
        assert!(iban("DE8937").is_none());
    }
}
