//! Postal code formats per country, pure: what a country's postal codes look like, and the one
//! canonical way to write each (`sw1a1aa` → `SW1A 1AA`, `1234ab` → `1234 AB`). Covers the
//! EU-27, the United Kingdom, the United States, Canada, Switzerland and Norway; every other
//! country takes any short code of letters, digits, spaces and hyphens, or none.
//!
//! A format is a list of shapes, one character per position: `9` a digit, `A` a letter, `X` a
//! letter or a digit, anything else itself. A code matches when it has one of the shapes once
//! spaces and hyphens are taken out of both, and is then rewritten in the first shape (the
//! canonical one), so `75 002` is `75002` and `00950` in Poland is `00-950`.

/// How a country writes its postal codes.
#[derive(Clone, Copy, Debug)]
pub struct PostalFormat {
    /// Accepted shapes, the canonical one first.
    shapes: &'static [&'static str],
    /// A valid code, for the message when a code does not match.
    pub example: &'static str,
    /// Whether an address in the country must have one (Ireland's Eircodes are optional).
    pub required: bool,
    /// A rule no shape can say (first digits, letters a country does not use).
    extra: Option<fn(&str) -> bool>,
}

const fn format(shapes: &'static [&'static str], example: &'static str) -> PostalFormat {
    PostalFormat {
        shapes,
        example,
        required: true,
        extra: None,
    }
}

const FOUR: PostalFormat = format(&["9999"], "1010");
const FIVE: PostalFormat = format(&["99999"], "75002");

/// The postal code format of a country (upper-case ISO code), when we know it.
pub fn format_of(country: &str) -> Option<PostalFormat> {
    let format = match country {
        // EU-27.
        "AT" | "BE" | "BG" | "CY" | "DK" | "HU" | "SI" => FOUR,
        "HR" | "EE" | "FI" | "FR" | "DE" | "IT" => FIVE,
        "ES" => PostalFormat {
            extra: Some(spanish_province),
            ..format(&["99999"], "28014")
        },
        "CZ" | "SK" | "SE" | "GR" => format(&["999 99"], "110 00"),
        "IE" => PostalFormat {
            required: false,
            extra: Some(eircode),
            ..format(&["XXX XXXX"], "D02 X285")
        },
        "LV" => format(&["LV-9999"], "LV-1050"),
        "LT" => format(&["LT-99999"], "LT-01100"),
        "LU" => format(&["L-9999"], "L-1648"),
        "MT" => format(&["AAA 9999"], "VLT 1117"),
        "NL" => PostalFormat {
            extra: Some(dutch),
            ..format(&["9999 AA"], "1012 AB")
        },
        "PL" => format(&["99-999"], "00-950"),
        "PT" => format(&["9999-999"], "1100-148"),
        "RO" => format(&["999999"], "010011"),
        // Elsewhere in Europe.
        "CH" | "NO" => FOUR,
        "GB" => PostalFormat {
            extra: Some(british),
            ..format(
                &[
                    "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA",
                ],
                "SW1A 1AA",
            )
        },
        // North America.
        "US" => format(&["99999", "99999-9999"], "94105"),
        "CA" => PostalFormat {
            extra: Some(canadian),
            ..format(&["A9A 9A9"], "K1A 0B1")
        },
        _ => return None,
    };
    Some(format)
}

/// Where a postal code went wrong.
#[derive(Clone, Copy, Debug)]
pub enum PostalError {
    /// The country's format does not match.
    Format(PostalFormat),
    /// Not a postal code anywhere: too long, or characters no country uses.
    Malformed,
}

/// Longest postal code of a country whose format we do not know.
const MAX_OTHER_LEN: usize = 12;

/// `code` in its canonical form for `country`, or why it is not one.
pub fn canonical(country: &str, code: &str) -> Result<String, PostalError> {
    let compact: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    let Some(format) = format_of(country) else {
        return other(code);
    };
    // A country prefix the canonical shape writes (`LV-`, `L-`) may be typed or not.
    for shape in format.shapes {
        let candidates = match country_prefix(shape) {
            Some(prefix) if !compact.starts_with(prefix) => {
                vec![compact.clone(), format!("{prefix}{compact}")]
            }
            _ => vec![compact.clone()],
        };
        for candidate in candidates {
            if let Some(written) = fit(shape, &candidate)
                && format.extra.is_none_or(|rule| rule(&candidate))
            {
                return Ok(written);
            }
        }
    }
    Err(PostalError::Format(format))
}

/// A code of a country whose format we do not know: trimmed, upper-cased, single spaces.
fn other(code: &str) -> Result<String, PostalError> {
    let words: Vec<String> = code.split_whitespace().map(str::to_uppercase).collect();
    let code = words.join(" ");
    let allowed = code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if code.is_empty() || code.chars().count() > MAX_OTHER_LEN || !allowed {
        Err(PostalError::Malformed)
    } else {
        Ok(code)
    }
}

/// The literal letters a shape starts with before a hyphen (`LV` of `LV-9999`), if any.
fn country_prefix(shape: &str) -> Option<&str> {
    let (head, _) = shape.split_once('-')?;
    let literal = !head.is_empty()
        && head
            .bytes()
            .all(|b| b.is_ascii_uppercase() && !matches!(b, b'A' | b'X'));
    literal.then_some(head)
}

/// `compact` (no spaces or hyphens) written in `shape`, when it has that shape.
fn fit(shape: &str, compact: &str) -> Option<String> {
    let mut chars = compact.chars();
    let mut written = String::with_capacity(shape.len());
    for slot in shape.chars() {
        if slot == ' ' || slot == '-' {
            written.push(slot);
            continue;
        }
        let c = chars.next()?;
        let fits = match slot {
            '9' => c.is_ascii_digit(),
            'A' => c.is_ascii_uppercase(),
            'X' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            literal => c == literal,
        };
        if !fits {
            return None;
        }
        written.push(c);
    }
    chars.next().is_none().then_some(written)
}

/// Spanish codes start with a province number, 01 to 52.
fn spanish_province(compact: &str) -> bool {
    compact
        .get(..2)
        .and_then(|p| p.parse::<u8>().ok())
        .is_some_and(|p| (1..=52).contains(&p))
}

/// Dutch codes never start with 0 and never end in SA, SD or SS.
fn dutch(compact: &str) -> bool {
    !compact.starts_with('0') && !["SA", "SD", "SS"].iter().any(|s| compact.ends_with(s))
}

/// Irish Eircodes: a routing key (a letter and two digits, or D6W) and four characters, from
/// an alphabet without B, G, I, J, L, M, O, Q, S, U, Z where letters are used.
fn eircode(compact: &str) -> bool {
    const LETTERS: &str = "ACDEFHKNPRTVWXY";
    let mut chars = compact.chars();
    let key: String = chars.by_ref().take(3).collect();
    let routing = key == "D6W"
        || (key.starts_with(|c| LETTERS.contains(c))
            && key.chars().skip(1).all(|c| c.is_ascii_digit()));
    routing && chars.all(|c| c.is_ascii_digit() || LETTERS.contains(c))
}

/// UK postcodes: the inward code's letters are never C, I, K, M, O or V.
fn british(compact: &str) -> bool {
    compact.chars().rev().take(2).all(|c| !"CIKMOV".contains(c))
}

/// Canadian codes never use D, F, I, O, Q or U, and never start with W or Z.
fn canadian(compact: &str) -> bool {
    !compact.starts_with(['W', 'Z']) && !compact.contains(['D', 'F', 'I', 'O', 'Q', 'U'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(country: &str, code: &str) -> String {
        canonical(country, code).unwrap_or_else(|e| panic!("{country} {code}: {e:?}"))
    }

    fn refused(country: &str, code: &str) {
        assert!(
            canonical(country, code).is_err(),
            "{country} {code} should be refused"
        );
    }

    #[test]
    fn every_eu_country_has_a_format_and_its_example_passes() {
        let eu = [
            "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
            "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
        ];
        assert_eq!(eu.len(), 27);
        for country in eu.iter().chain(&["GB", "US", "CA", "CH", "NO"]) {
            let format = format_of(country).unwrap_or_else(|| panic!("{country} has a format"));
            assert_eq!(ok(country, format.example), format.example, "{country}");
        }
    }

    #[test]
    fn digit_counts_are_exact() {
        assert_eq!(ok("FR", "75002"), "75002");
        assert_eq!(ok("FR", " 75 002 "), "75002");
        refused("FR", "7500");
        refused("FR", "750021");
        refused("FR", "7500A");
        assert_eq!(ok("DE", "10115"), "10115");
        refused("DE", "1011");
        assert_eq!(ok("BE", "1000"), "1000");
        refused("BE", "10000");
        assert_eq!(ok("RO", "010011"), "010011");
        refused("RO", "01001");
        assert_eq!(ok("CH", "8001"), "8001");
        assert_eq!(ok("NO", "0150"), "0150");
        refused("NO", "01500");
    }

    #[test]
    fn codes_are_written_the_canonical_way() {
        assert_eq!(ok("SE", "11453"), "114 53");
        assert_eq!(ok("CZ", "110 00"), "110 00");
        assert_eq!(ok("PL", "00950"), "00-950");
        assert_eq!(ok("PT", "1100 148"), "1100-148");
        assert_eq!(ok("LV", "1050"), "LV-1050");
        assert_eq!(ok("LV", "lv-1050"), "LV-1050");
        assert_eq!(ok("LT", "01100"), "LT-01100");
        assert_eq!(ok("LU", "1648"), "L-1648");
        assert_eq!(ok("MT", "vlt1117"), "VLT 1117");
        assert_eq!(ok("NL", "1012ab"), "1012 AB");
        assert_eq!(ok("IE", "d02x285"), "D02 X285");
        assert_eq!(ok("GB", "sw1a1aa"), "SW1A 1AA");
        assert_eq!(ok("GB", "M1 1AE"), "M1 1AE");
        assert_eq!(ok("GB", "EC1A 1BB"), "EC1A 1BB");
        assert_eq!(ok("CA", "k1a0b1"), "K1A 0B1");
        assert_eq!(ok("US", "94105"), "94105");
        assert_eq!(ok("US", "94105-1234"), "94105-1234");
        assert_eq!(ok("US", "941051234"), "94105-1234");
    }

    #[test]
    fn country_rules_beyond_the_shape() {
        assert_eq!(ok("ES", "01001"), "01001");
        assert_eq!(ok("ES", "52001"), "52001");
        refused("ES", "00001");
        refused("ES", "53001");
        refused("NL", "0123 AB");
        refused("NL", "1012 SS");
        refused("GB", "SW1A 1AC");
        refused("GB", "SW1A1");
        refused("GB", "1A 1AA");
        refused("CA", "W1A 0B1");
        refused("CA", "K1A 0D1");
        refused("IE", "B02 X285");
        assert_eq!(ok("IE", "D6W 1234"), "D6W 1234");
        refused("US", "9410");
        refused("US", "94105-123");
        refused("LT", "0110");
    }

    #[test]
    fn other_countries_take_any_short_code() {
        assert_eq!(ok("JP", " 100-0001 "), "100-0001");
        assert_eq!(ok("BR", "01310 100"), "01310 100");
        assert!(matches!(
            canonical("JP", "1234567890123"),
            Err(PostalError::Malformed)
        ));
        assert!(matches!(
            canonical("JP", "100/0001"),
            Err(PostalError::Malformed)
        ));
        assert!(format_of("JP").is_none());
    }

    #[test]
    fn ireland_does_not_require_one() {
        assert!(!format_of("IE").is_some_and(|f| f.required));
        assert!(format_of("FR").is_some_and(|f| f.required));
    }
}
