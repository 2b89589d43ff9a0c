//! Inputs parsed at the edge of a use case into types that are valid once built: a service
//! that holds an [`Email`] or a [`RequiredText`] never checks it again. Each parse names the
//! input field at fault, as the schema spells it.

use std::fmt;

use crate::error::{ServiceError, ServiceResult};

/// Longest e-mail address accepted (RFC 5321 path limit).
const MAX_EMAIL_LEN: usize = 254;

/// A trimmed, non-empty text of bounded length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredText(String);

impl RequiredText {
    /// Trims `value`; refuses it on `field` when empty or longer than `max` characters.
    pub fn parse(field: &str, value: &str, max: usize) -> ServiceResult<Self> {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > max {
            return Err(ServiceError::bad_input(
                field,
                format!("must be 1 to {max} characters"),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// The text.
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An e-mail address, trimmed and lower-cased, that looks like one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses the input `input.email`.
    pub fn parse(value: &str) -> ServiceResult<Self> {
        Self::parse_field("input.email", value)
    }

    /// Parses an e-mail address given as `field`.
    pub fn parse_field(field: &str, value: &str) -> ServiceResult<Self> {
        let email = value.trim().to_lowercase();
        let valid = email.len() <= MAX_EMAIL_LEN
            && email
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if valid {
            Ok(Self(email))
        } else {
            Err(ServiceError::bad_input(
                field,
                "enter an e-mail address like name@example.com",
            ))
        }
    }

    /// The address.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Billing@Acme.Example ")
                .map(Email::into_inner)
                .ok()
                .as_deref(),
            Some("billing@acme.example")
        );
        assert!(Email::parse("not-an-email").is_err());
        assert!(Email::parse("@acme.example").is_err());
        // 254 characters is the limit, 255 is refused.
        let local = |n: usize| "a".repeat(n);
        assert!(Email::parse(&format!("{}@x.io", local(254 - 5))).is_ok());
        assert!(Email::parse(&format!("{}@x.io", local(255 - 5))).is_err());
    }

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        let parse = |v: &str| RequiredText::parse("input.name", v, 3).map(RequiredText::into_inner);
        assert_eq!(parse("  abc ").ok().as_deref(), Some("abc"));
        assert!(parse("   ").is_err());
        assert!(parse("abcd").is_err());
        // Characters, not bytes: three accented letters fit.
        assert_eq!(parse("éèê").ok().as_deref(), Some("éèê"));
    }
}
