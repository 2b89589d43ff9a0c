//! A form shown again after the API refused it: the message next to the field at fault, or
//! above the form when no field of it is at fault (a conflict, a refusal by role).
//!
//! The API names the field as its input does (`input.charges.0.amount`); a form knows its
//! fields by the same names without the `input.` prefix, so a page asks
//! `errors.get("charges.0.amount")`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::client::ConsoleError;

/// A new idempotency key for a form that moves money or applies a quote, chosen when the page
/// is shown: the same form posted twice (a double click, a resubmission) is done once.
pub fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    // The OS random source failing is unrecoverable for a web server.
    getrandom::fill(&mut bytes).expect("operating system random source");
    format!("console-{}", URL_SAFE_NO_PAD.encode(bytes))
}

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

    /// An error on `field`, found before asking the API.
    pub fn on(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some((field.to_owned(), message.into())),
            form: None,
        }
    }

    /// A message about the form as a whole, found before asking the API.
    pub fn above(message: impl Into<String>) -> Self {
        Self {
            field: None,
            form: Some(message.into()),
        }
    }

    /// The refusal `error` placed on a form whose fields `has_field` recognises: a bad input
    /// on one of them next to it; anything a staff member can act on (bad input elsewhere, a
    /// conflict, a refusal of their role, something gone) above the form. Errors no form can
    /// correct (signed out, internal) are handed back for the page error to render.
    pub fn from_refusal(
        error: ConsoleError,
        has_field: impl Fn(&str) -> bool,
    ) -> Result<Self, ConsoleError> {
        let message = match error {
            ConsoleError::Field { field, message } => {
                let name = field.strip_prefix("input.").unwrap_or(&field);
                if has_field(name) {
                    return Ok(Self::on(name, message));
                }
                message
            }
            ConsoleError::Forbidden(message) => format!("Not allowed: {message}."),
            ConsoleError::Rejected { message, .. } | ConsoleError::NotFound(message) => message,
            other => return Err(other),
        };
        Ok(Self {
            field: None,
            form: Some(message),
        })
    }

    /// Whether the form was refused.
    pub fn is_refused(&self) -> bool {
        self.field.is_some() || self.form.is_some()
    }

    /// The status of the page showing the form: 422 when refused, so a client (and a test)
    /// tells a refusal from a first showing; 200 otherwise.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.is_refused() {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            axum::http::StatusCode::OK
        }
    }

    /// The message next to `field`, if it is the one at fault.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.field
            .as_ref()
            .filter(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    /// The field at fault and why, if a field is.
    pub fn field(&self) -> Option<(&str, &str)> {
        self.field
            .as_ref()
            .map(|(name, message)| (name.as_str(), message.as_str()))
    }
}

/// One text input of a form, ready for `templates/input_field.html`: its label, value, hint
/// and, after a refusal, the API's message beside it.
pub struct InputField {
    /// The element's id and the form field's name.
    pub id: String,
    /// The label.
    pub label: String,
    /// The input's type (`text`, `email`).
    pub kind: &'static str,
    /// The value typed.
    pub value: String,
    /// The `autocomplete` hint.
    pub autocomplete: &'static str,
    /// A hint under the field.
    pub hint: Option<&'static str>,
    /// The refusal of this field.
    pub error: Option<String>,
}

impl InputField {
    /// A text field `id` labelled `label` holding `value`, with the error `errors` has for
    /// `api_name` (the API's name of the field).
    pub fn text(
        id: String,
        label: impl Into<String>,
        value: &str,
        errors: &FormErrors,
        api_name: &str,
    ) -> Self {
        Self {
            id,
            label: label.into(),
            kind: "text",
            value: value.to_owned(),
            autocomplete: "off",
            hint: None,
            error: errors.get(api_name).map(str::to_owned),
        }
    }

    /// The same field with a hint under it.
    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// The same field of another input type, with an `autocomplete` hint.
    pub fn kind(mut self, kind: &'static str, autocomplete: &'static str) -> Self {
        self.kind = kind;
        self.autocomplete = autocomplete;
        self
    }

    /// The ids that describe the field (hint, error), for `aria-describedby`.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }
}

/// One select of a form, ready for `templates/select_field.html`: its options, the one chosen
/// and, after a refusal, the API's message beside it.
pub struct SelectField {
    /// The element's id and the form field's name.
    pub id: String,
    /// The label.
    pub label: String,
    /// `(value, text)` of each option, in order.
    pub options: Vec<(String, String)>,
    /// The value chosen.
    pub selected: String,
    /// The refusal of this field.
    pub error: Option<String>,
}

impl SelectField {
    /// A select `id` labelled `label` offering `options` with `selected` chosen, with the error
    /// `errors` has for `api_name`.
    pub fn new(
        id: &str,
        label: impl Into<String>,
        options: Vec<(String, String)>,
        selected: &str,
        errors: &FormErrors,
        api_name: &str,
    ) -> Self {
        Self {
            id: id.to_owned(),
            label: label.into(),
            options,
            selected: selected.to_owned(),
            error: errors.get(api_name).map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_of_the_form_gets_its_message_and_others_go_above() {
        let error = ConsoleError::Field {
            field: "input.charges.0.amount".into(),
            message: "not an amount".into(),
        };
        let errors = FormErrors::from_refusal(error, |f| f == "charges.0.amount").expect("placed");
        assert_eq!(errors.get("charges.0.amount"), Some("not an amount"));
        assert!(errors.form.is_none());
        let forbidden = ConsoleError::Forbidden("your role does not allow this".into());
        let errors = FormErrors::from_refusal(forbidden, |_| true).expect("placed");
        assert!(errors.form.is_some_and(|m| m.contains("role")));
        assert!(FormErrors::from_refusal(ConsoleError::Unauthenticated, |_| true).is_err());
    }
}
