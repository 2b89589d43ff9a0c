//! A form shown again after the API refused it: the message next to the field at fault, or
//! above the form when no field of it is at fault (a conflict, something gone).
//!
//! The API names the field as its input does (`input.postalCode`); a form knows its fields by
//! the same names without the `input.` prefix, so a page asks `errors.get("postalCode")`.

use crate::client::PortalError;

/// The refusal of one form.
#[derive(Clone, Debug, Default)]
pub struct FormErrors {
    /// (field, message) of the field at fault.
    field: Option<(String, String)>,
    /// A message about the form as a whole.
    pub form: Option<String>,
}

impl FormErrors {
    /// No error: a form shown for the first time.
    pub fn none() -> Self {
        Self::default()
    }

    /// An error on `field`, found before asking the API (two passwords that differ).
    pub fn on(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some((field.to_owned(), message.into())),
            form: None,
        }
    }

    /// The refusal `error` placed on the form whose fields are `fields`: a bad input on one of
    /// them next to it, any other correctable refusal (bad input elsewhere, a conflict,
    /// something gone) above the form. Errors no form can correct (signed out, forbidden,
    /// internal) are handed back for the page error to render.
    pub fn from_refusal(error: PortalError, fields: &[&str]) -> Result<Self, PortalError> {
        if let PortalError::Field { field, message } = &error {
            let name = field.strip_prefix("input.").unwrap_or(field);
            if fields.contains(&name) {
                return Ok(Self::on(name, message.clone()));
            }
        }
        Ok(Self {
            field: None,
            form: Some(error.form_message()?),
        })
    }

    /// Whether the form was refused (the page then says so at its top, with a link down to
    /// the form: on a phone the form may be far below).
    pub fn is_refused(&self) -> bool {
        self.field.is_some() || self.form.is_some()
    }

    /// The message next to `field`, if it is the one at fault.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.field
            .as_ref()
            .filter(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_of_the_form_gets_its_message_and_others_go_above() {
        let error = PortalError::Field {
            field: "input.postalCode".into(),
            message: "not a postal code".into(),
        };
        let errors = FormErrors::from_refusal(error, &["line1", "postalCode"]).expect("placed");
        assert_eq!(errors.get("postalCode"), Some("not a postal code"));
        assert_eq!(errors.get("line1"), None);
        assert!(errors.form.is_none());

        let elsewhere = PortalError::Field {
            field: "input.addressId".into(),
            message: "malformed".into(),
        };
        let errors = FormErrors::from_refusal(elsewhere, &["line1"]).expect("placed");
        assert_eq!(errors.form.as_deref(), Some("malformed"));
        let conflict = PortalError::Rejected {
            code: "CONFLICT".into(),
            message: "choose another default first".into(),
        };
        let errors = FormErrors::from_refusal(conflict, &["line1"]).expect("placed");
        assert_eq!(errors.form.as_deref(), Some("choose another default first"));
    }

    #[test]
    fn errors_no_form_can_correct_are_handed_back() {
        assert!(FormErrors::from_refusal(PortalError::Forbidden("no".into()), &[]).is_err());
        assert!(FormErrors::from_refusal(PortalError::Unauthenticated, &[]).is_err());
    }
}
