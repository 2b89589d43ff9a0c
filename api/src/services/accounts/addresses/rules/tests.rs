//! Each rule of [`super::validate`] at its boundary, and the printed lines per country family.

use super::*;

fn input<'a>(country: &'a str, postal_code: &'a str, region: &'a str) -> AddressInput<'a> {
    AddressInput {
        line1: "1 Main Street",
        line2: None,
        city: "Springfield",
        postal_code: Some(postal_code),
        region: Some(region),
        country,
    }
}

fn refusal(input: &AddressInput<'_>) -> (&'static str, &'static str) {
    let error = validate(input).expect_err("refused");
    (error.field(), error.reason())
}

#[test]
fn the_country_is_a_known_iso_code_in_any_case() {
    let ok = validate(&input("fr", "75002", "")).expect("valid");
    assert_eq!(ok.country, "FR");
    for bad in ["FRA", "F", "UK", "EU", "", "F1"] {
        assert_eq!(
            refusal(&input(bad, "75002", "")),
            ("country", "UNKNOWN_COUNTRY"),
            "{bad}"
        );
    }
}

#[test]
fn line1_and_city_are_required_and_bounded() {
    let mut address = input("FR", "75002", "");
    address.line1 = "   ";
    assert_eq!(refusal(&address), ("line1", "LINE1_LENGTH"));
    let long = "x".repeat(201);
    let limit = "x".repeat(200);
    address.line1 = &long;
    assert_eq!(refusal(&address), ("line1", "LINE1_LENGTH"));
    address.line1 = &limit;
    assert!(validate(&address).is_ok());
    address.city = "";
    assert_eq!(refusal(&address), ("city", "CITY_LENGTH"));
    let city = "y".repeat(101);
    address.city = &city;
    assert_eq!(refusal(&address), ("city", "CITY_LENGTH"));
    address.city = "Paris";
    address.line2 = Some(&long);
    assert_eq!(refusal(&address), ("line2", "LINE2_LENGTH"));
    address.line2 = Some("  ");
    assert_eq!(validate(&address).expect("valid").line2, None);
}

#[test]
fn postal_codes_follow_the_country_family() {
    // Digits only (France, Germany), with a fixed separator (Poland, the Netherlands), with a
    // prefix (Latvia), alphanumeric (UK, Canada), ZIP (US): a good and a bad one each.
    for (country, region, good, bad) in [
        ("FR", "", "75002", "7500"),
        ("DE", "", "10115", "101155"),
        ("AT", "", "1010", "10100"),
        ("PL", "", "00-950", "00-95"),
        ("NL", "", "1012 AB", "1012 A1"),
        ("PT", "", "1100-148", "1100-14"),
        ("LV", "", "LV-1050", "LV-105"),
        ("MT", "", "VLT 1117", "1117 VLT"),
        ("SE", "", "114 53", "114 5"),
        ("CH", "", "8001", "80011"),
        ("NO", "", "0150", "015"),
        ("GB", "", "SW1A 1AA", "SW1A 1A"),
        ("US", "CA", "94105", "9410"),
        ("CA", "ON", "K1A 0B1", "K1A 0B"),
    ] {
        assert!(
            validate(&input(country, good, region)).is_ok(),
            "{country} {good}"
        );
        assert_eq!(
            refusal(&input(country, bad, region)),
            ("postalCode", "POSTAL_CODE_FORMAT"),
            "{country} {bad}"
        );
    }
}

#[test]
fn a_postal_code_is_required_where_the_country_has_them() {
    assert_eq!(
        refusal(&input("FR", "", "")),
        ("postalCode", "POSTAL_CODE_REQUIRED")
    );
    assert_eq!(
        refusal(&input("US", " ", "NY")),
        ("postalCode", "POSTAL_CODE_REQUIRED")
    );
    // Ireland's Eircodes are optional; so are codes of countries whose format we do not know.
    assert_eq!(
        validate(&input("IE", "", "")).expect("valid").postal_code,
        None
    );
    assert_eq!(
        validate(&input("AE", "", "")).expect("valid").postal_code,
        None
    );
    assert_eq!(
        refusal(&input("JP", "100/0001", "")),
        ("postalCode", "POSTAL_CODE_FORMAT")
    );
}

#[test]
fn us_and_canada_need_a_known_state_or_province() {
    assert_eq!(
        refusal(&input("US", "94105", "")),
        ("region", "REGION_REQUIRED")
    );
    assert_eq!(
        refusal(&input("CA", "K1A 0B1", " ")),
        ("region", "REGION_REQUIRED")
    );
    assert_eq!(
        refusal(&input("US", "94105", "ZZ")),
        ("region", "UNKNOWN_REGION")
    );
    assert_eq!(
        refusal(&input("CA", "K1A 0B1", "NY")),
        ("region", "UNKNOWN_REGION")
    );
    // A code in any case, or the name, is stored as the code.
    let region = |country, code, region| {
        validate(&input(country, code, region))
            .expect("valid")
            .region
    };
    assert_eq!(region("US", "94105", "ca").as_deref(), Some("CA"));
    assert_eq!(region("US", "94105", "California").as_deref(), Some("CA"));
    assert_eq!(region("CA", "H2Y 1C6", "Quebec").as_deref(), Some("QC"));
}

#[test]
fn the_uk_has_no_region_and_others_a_free_one() {
    assert_eq!(
        refusal(&input("GB", "SW1A 1AA", "Greater London")),
        ("region", "REGION_NOT_USED")
    );
    assert_eq!(
        validate(&input("GB", "SW1A 1AA", " "))
            .expect("valid")
            .region,
        None
    );
    assert_eq!(
        validate(&input("FR", "75002", "Île-de-France"))
            .expect("valid")
            .region
            .as_deref(),
        Some("Île-de-France")
    );
    let long = "r".repeat(101);
    assert_eq!(
        refusal(&input("FR", "75002", &long)),
        ("region", "REGION_LENGTH")
    );
}

fn lines(country: &str, postal: &str, region: &str, city: &str) -> Vec<String> {
    let address = validate(&AddressInput {
        line1: "1 Main Street",
        line2: Some("Floor 2"),
        city,
        postal_code: Some(postal),
        region: Some(region),
        country,
    })
    .expect("valid");
    display_lines(&address)
}

#[test]
fn each_country_family_prints_its_own_way() {
    assert_eq!(
        lines("FR", "75002", "", "Paris"),
        ["1 Main Street", "Floor 2", "75002 Paris", "France"]
    );
    assert_eq!(
        lines("US", "94105", "ca", "San Francisco"),
        [
            "1 Main Street",
            "Floor 2",
            "San Francisco, CA 94105",
            "United States"
        ]
    );
    assert_eq!(
        lines("CA", "k1a0b1", "ON", "Ottawa"),
        ["1 Main Street", "Floor 2", "Ottawa ON K1A 0B1", "Canada"]
    );
    assert_eq!(
        lines("GB", "sw1a1aa", "", "London"),
        [
            "1 Main Street",
            "Floor 2",
            "LONDON",
            "SW1A 1AA",
            "United Kingdom"
        ]
    );
    assert_eq!(
        lines("IE", "", "Co. Dublin", "Dublin"),
        [
            "1 Main Street",
            "Floor 2",
            "Dublin",
            "Co. Dublin",
            "Ireland"
        ]
    );
}
