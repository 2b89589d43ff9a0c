//! A list's filter as the page's query gives it: one of the values its select offers (the
//! schema's names, `COMPLETED`), turned into the operation's own enum type, or no filter.

use serde::de::DeserializeOwned;

use crate::error::PageError;

/// `value` as an operation's enum when it is one of `offered` (`(schema name, words)`); empty:
/// no filter. A value the select does not offer is a bad request, not "every row": a list
/// that silently ignored a mistyped filter would look like an answer.
pub fn chosen<T: DeserializeOwned>(
    value: &str,
    offered: &[(&str, &str)],
) -> Result<Option<T>, PageError> {
    if value.is_empty() {
        return Ok(None);
    }
    if !offered.iter().any(|(name, _)| *name == value) {
        return Err(PageError::BadRequest(
            "Choose a value the filter offers.".into(),
        ));
    }
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map(Some)
        .map_err(|_| PageError::BadRequest("Choose a value the filter offers.".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[allow(clippy::upper_case_acronyms)]
    enum Status {
        OPEN,
        PAID,
    }

    const OFFERED: [(&str, &str); 1] = [("OPEN", "Open")];

    #[test]
    fn an_offered_value_is_the_operations_enum_and_empty_is_no_filter() {
        assert_eq!(
            chosen::<Status>("OPEN", &OFFERED).unwrap(),
            Some(Status::OPEN)
        );
        assert_eq!(chosen::<Status>("", &OFFERED).unwrap(), None);
    }

    #[test]
    fn a_value_not_offered_is_refused_even_when_the_schema_has_it() {
        assert!(matches!(
            chosen::<Status>("PAID", &OFFERED),
            Err(PageError::BadRequest(_))
        ));
        assert!(chosen::<Status>("open", &OFFERED).is_err());
    }
}
