//! What a valid billing address is, per country, and how it is printed: pure functions, no I/O.
//!
//! - the country is an ISO 3166-1 alpha-2 code ([`super::countries`]);
//! - line 1 and the city are required; line 2 is optional;
//! - the postal code follows the country's format ([`super::postal`]), required where the
//!   country has one (Ireland's Eircodes are optional), free and optional elsewhere;
//! - the region: the United States and Canada need their state or province (code or name,
//!   stored as the code); the United Kingdom uses none (the postcode locates the address);
//!   elsewhere it is optional free text.
//!
//! Each refusal has a stable code and the input field at fault ([`AddressError`]).

use super::countries::country_name;
use super::postal::{self, PostalError};
use super::regions::{CA_PROVINCES, US_STATES};

/// Longest line 1, line 2 or region.
const MAX_LINE: usize = 200;
/// Longest city name.
const MAX_CITY: usize = 100;
/// Longest free-text region.
const MAX_REGION: usize = 100;

/// An address as typed.
#[derive(Clone, Copy, Debug, Default)]
pub struct AddressInput<'a> {
    /// Street and number.
    pub line1: &'a str,
    /// Building, floor, c/o…
    pub line2: Option<&'a str>,
    /// City or town.
    pub city: &'a str,
    /// Postal code.
    pub postal_code: Option<&'a str>,
    /// State, province or region.
    pub region: Option<&'a str>,
    /// ISO 3166-1 alpha-2 country code (any case).
    pub country: &'a str,
}

/// An address that passed [`validate`]: trimmed, blank optional parts absent, the country and
/// region codes upper case, the postal code in its canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidAddress {
    /// Street and number.
    pub line1: String,
    /// Building, floor, c/o…
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// Postal code, canonical.
    pub postal_code: Option<String>,
    /// Region: a code in the US and Canada, free text elsewhere.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country: String,
}

/// Why an address is refused: one variant per rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressError {
    /// Not an ISO 3166-1 alpha-2 country code.
    UnknownCountry,
    /// Line 1 is empty or too long.
    Line1,
    /// Line 2 is too long.
    Line2,
    /// The city is empty or too long.
    City,
    /// The country needs a postal code and none was given.
    PostalCodeRequired {
        /// A valid one, for the message.
        example: &'static str,
    },
    /// The postal code does not have the country's format.
    PostalCodeFormat {
        /// The country's name.
        country: &'static str,
        /// A valid one, for the message.
        example: &'static str,
    },
    /// The postal code has characters or a length no country uses.
    PostalCodeMalformed,
    /// The country needs a state or province.
    RegionRequired {
        /// "state" or "province".
        kind: &'static str,
    },
    /// Not one of the country's states or provinces.
    UnknownRegion {
        /// "state" or "province".
        kind: &'static str,
    },
    /// The country's addresses have no region.
    RegionNotUsed,
    /// A free-text region that is too long.
    RegionTooLong,
}

impl AddressError {
    /// The stable code clients tell refusals apart by (`extensions.reason`).
    pub fn reason(&self) -> &'static str {
        match self {
            AddressError::UnknownCountry => "UNKNOWN_COUNTRY",
            AddressError::Line1 => "LINE1_LENGTH",
            AddressError::Line2 => "LINE2_LENGTH",
            AddressError::City => "CITY_LENGTH",
            AddressError::PostalCodeRequired { .. } => "POSTAL_CODE_REQUIRED",
            AddressError::PostalCodeFormat { .. } | AddressError::PostalCodeMalformed => {
                "POSTAL_CODE_FORMAT"
            }
            AddressError::RegionRequired { .. } => "REGION_REQUIRED",
            AddressError::UnknownRegion { .. } => "UNKNOWN_REGION",
            AddressError::RegionNotUsed => "REGION_NOT_USED",
            AddressError::RegionTooLong => "REGION_LENGTH",
        }
    }

    /// The input field at fault, as the schema names it (without the `input.` prefix).
    pub fn field(&self) -> &'static str {
        match self {
            AddressError::UnknownCountry => "country",
            AddressError::Line1 => "line1",
            AddressError::Line2 => "line2",
            AddressError::City => "city",
            AddressError::PostalCodeRequired { .. }
            | AddressError::PostalCodeFormat { .. }
            | AddressError::PostalCodeMalformed => "postalCode",
            AddressError::RegionRequired { .. }
            | AddressError::UnknownRegion { .. }
            | AddressError::RegionNotUsed
            | AddressError::RegionTooLong => "region",
        }
    }

    /// What to tell the user.
    pub fn message(&self) -> String {
        match self {
            AddressError::UnknownCountry => {
                "enter an ISO 3166-1 alpha-2 country code, e.g. FR".into()
            }
            AddressError::Line1 => {
                format!("enter the street and number (at most {MAX_LINE} characters)")
            }
            AddressError::Line2 => format!("at most {MAX_LINE} characters"),
            AddressError::City => format!("enter the city (at most {MAX_CITY} characters)"),
            AddressError::PostalCodeRequired { example } => {
                format!("enter the postal code, e.g. {example}")
            }
            AddressError::PostalCodeFormat { country, example } => {
                format!("enter a postal code like {example} ({country})")
            }
            AddressError::PostalCodeMalformed => {
                "a postal code has at most 12 letters, digits, spaces or hyphens".into()
            }
            AddressError::RegionRequired { kind } => format!("choose the {kind}"),
            AddressError::UnknownRegion { kind } => {
                format!("enter the {kind}'s two-letter code or its name")
            }
            AddressError::RegionNotUsed => {
                "addresses in the United Kingdom have no region: leave it empty".into()
            }
            AddressError::RegionTooLong => format!("at most {MAX_REGION} characters"),
        }
    }
}

/// Checks `input` against the rules of its country; the address as stored, or the first rule
/// it breaks (country first: every other rule depends on it).
pub fn validate(input: &AddressInput<'_>) -> Result<ValidAddress, AddressError> {
    let country = input.country.trim().to_ascii_uppercase();
    if country_name(&country).is_none() {
        return Err(AddressError::UnknownCountry);
    }
    let line1 = bounded(input.line1, MAX_LINE).ok_or(AddressError::Line1)?;
    let line2 = optional(input.line2, MAX_LINE).map_err(|()| AddressError::Line2)?;
    let city = bounded(input.city, MAX_CITY).ok_or(AddressError::City)?;
    let postal_code = postal_code(&country, input.postal_code)?;
    let region = region(&country, input.region)?;
    Ok(ValidAddress {
        line1,
        line2,
        city,
        postal_code,
        region,
        country,
    })
}

/// A trimmed, non-empty text of at most `max` characters.
fn bounded(value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    (!value.is_empty() && value.chars().count() <= max).then(|| value.to_owned())
}

/// An optional text: blank is none; too long is an error.
fn optional(value: Option<&str>, max: usize) -> Result<Option<String>, ()> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.chars().count() <= max => Ok(Some(v.to_owned())),
        Some(_) => Err(()),
    }
}

fn postal_code(country: &str, code: Option<&str>) -> Result<Option<String>, AddressError> {
    let format = postal::format_of(country);
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return match format {
            Some(format) if format.required => Err(AddressError::PostalCodeRequired {
                example: format.example,
            }),
            _ => Ok(None),
        };
    };
    match postal::canonical(country, code) {
        Ok(code) => Ok(Some(code)),
        Err(PostalError::Format(format)) => Err(AddressError::PostalCodeFormat {
            country: country_name(country).unwrap_or("this country"),
            example: format.example,
        }),
        Err(PostalError::Malformed) => Err(AddressError::PostalCodeMalformed),
    }
}

fn region(country: &str, region: Option<&str>) -> Result<Option<String>, AddressError> {
    let region = region.map(str::trim).filter(|r| !r.is_empty());
    let listed = match country {
        "US" => Some(("state", US_STATES)),
        "CA" => Some(("province", CA_PROVINCES)),
        _ => None,
    };
    match (listed, region) {
        (Some((kind, _)), None) => Err(AddressError::RegionRequired { kind }),
        (Some((kind, list)), Some(region)) => list
            .iter()
            .find(|(code, name)| {
                code.eq_ignore_ascii_case(region) || name.eq_ignore_ascii_case(region)
            })
            .map(|(code, _)| Some((*code).to_owned()))
            .ok_or(AddressError::UnknownRegion { kind }),
        (None, Some(_)) if country == "GB" => Err(AddressError::RegionNotUsed),
        (None, region) => optional(region, MAX_REGION).map_err(|()| AddressError::RegionTooLong),
    }
}

/// The address as printed on an invoice, one line per element, in the order the country's
/// post expects: `75002 Paris` in most of Europe, `San Francisco, CA 94105` in the United
/// States, `Ottawa ON K1A 0B1` in Canada, and the British and Irish post town above the
/// postcode (in capitals in the UK); the country's name last.
pub fn display_lines(address: &ValidAddress) -> Vec<String> {
    let mut lines = vec![address.line1.clone()];
    lines.extend(address.line2.clone());
    let postal = address.postal_code.as_deref();
    let region = address.region.as_deref();
    let join = |parts: &[Option<&str>], separator: &str| -> String {
        parts
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(separator)
    };
    match address.country.as_str() {
        "US" => {
            let state_zip = join(&[region, postal], " ");
            lines.push(join(&[Some(&address.city), Some(&state_zip)], ", "));
        }
        "CA" => lines.push(join(&[Some(&address.city), region, postal], " ")),
        "GB" | "IE" => {
            let town = if address.country == "GB" {
                address.city.to_uppercase()
            } else {
                address.city.clone()
            };
            lines.push(town);
            lines.extend(region.map(str::to_owned));
            lines.extend(postal.map(str::to_owned));
        }
        _ => {
            lines.push(join(&[postal, Some(&address.city)], " "));
            lines.extend(region.map(str::to_owned));
        }
    }
    lines.push(
        country_name(&address.country)
            .unwrap_or(&address.country)
            .to_owned(),
    );
    lines.retain(|l| !l.is_empty());
    lines
}

#[cfg(test)]
mod tests;
