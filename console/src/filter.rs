//! A list's filter as the page's query gives it: one of the values its select offers (the
//! schema's names, `COMPLETED`), turned into the operation's own enum type, or no filter; and
//! the filter form a list page shows above its table ([`FilterForm`], `filter_form.html`).

use serde::de::DeserializeOwned;

use crate::error::PageError;
use crate::route::Route;

/// A list's filter form: text boxes and selects whose values the page's URL carries, so that
/// a filtered list can be linked to and its next page keeps the filter.
pub struct FilterForm {
    /// The list's page, where the form is sent (`GET`).
    pub route: Route,
    /// What the form finds, for assistive technology ("Find coupons").
    pub label: &'static str,
    /// The form's fields, in the order shown.
    pub fields: Vec<FilterField>,
}

/// One field of a [`FilterForm`].
pub struct FilterField {
    /// The query parameter (`q`, `status`).
    pub name: &'static str,
    /// The visible label.
    pub label: &'static str,
    /// The value the URL gave, shown again.
    pub value: String,
    /// A select's choices (value, words), after its first choice which is no filter; `None`
    /// for a text box.
    pub options: Option<Vec<(String, String)>>,
    /// The words of a select's first choice ("Every kind").
    pub any: &'static str,
}

impl FilterField {
    /// A text box.
    pub fn text(name: &'static str, label: &'static str, value: &str) -> Self {
        Self {
            name,
            label,
            value: value.to_owned(),
            options: None,
            any: "",
        }
    }

    /// A select offering `options` after `any` (no filter).
    pub fn select(
        name: &'static str,
        label: &'static str,
        any: &'static str,
        options: &[(&str, &str)],
        value: &str,
    ) -> Self {
        let options = options
            .iter()
            .map(|(value, words)| ((*value).to_owned(), (*words).to_owned()))
            .collect();
        Self::select_of(name, label, any, options, value)
    }

    /// A select offering `options` read from the API (a tariff's id and name) after `any`.
    pub fn select_of(
        name: &'static str,
        label: &'static str,
        any: &'static str,
        options: Vec<(String, String)>,
        value: &str,
    ) -> Self {
        Self {
            name,
            label,
            value: value.to_owned(),
            options: Some(options),
            any,
        }
    }

    /// Whether the select shows `option` as chosen.
    pub fn is_chosen(&self, option: &str) -> bool {
        self.value == option
    }
}

impl FilterForm {
    /// Where the form is sent: the page's path. A `GET` form replaces the action's query
    /// with its fields, so what the route's query carries (a customer's tab) is in
    /// [`Self::kept`].
    pub fn action(&self) -> String {
        self.route.path()
    }

    /// The route's own query pairs (not its page), sent again as hidden fields.
    pub fn kept(&self) -> Vec<(&'static str, String)> {
        self.route
            .query()
            .into_iter()
            .filter(|(name, value)| *name != "after" && !value.is_empty())
            .collect()
    }

    /// The URL's query pairs of the filter, empty ones left out.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        self.fields
            .iter()
            .filter(|f| !f.value.is_empty())
            .map(|f| (f.name, f.value.clone()))
            .collect()
    }

    /// Whether any field filters the list: an empty list then says "nothing matches",
    /// not "nothing yet".
    pub fn is_filtered(&self) -> bool {
        self.fields.iter().any(|f| !f.value.is_empty())
    }

    /// The link to the page after the one ending at `end_cursor`, with the same filter.
    pub fn next_href(&self, end_cursor: Option<String>) -> Option<String> {
        end_cursor.map(|after| {
            let mut pairs = self.pairs();
            pairs.push(("after", after));
            self.route.href_with(&pairs)
        })
    }
}

/// A text box's value as an operation's optional argument: trimmed, `None` when blank (no
/// filter).
pub fn typed(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A yes/no select's value as the operation's `Boolean`: `yes` is `true`, `no` is `false`,
/// empty is no filter; anything else is a bad request, as for [`chosen`].
pub fn either(value: &str, yes: &str, no: &str) -> Result<Option<bool>, PageError> {
    match value {
        "" => Ok(None),
        v if v == yes => Ok(Some(true)),
        v if v == no => Ok(Some(false)),
        _ => Err(PageError::BadRequest(
            "Choose a value the filter offers.".into(),
        )),
    }
}

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
    fn a_blank_text_box_is_no_filter() {
        assert_eq!(typed("  Acme "), Some("Acme".to_owned()));
        assert_eq!(typed("   "), None);
    }

    #[test]
    fn a_yes_no_filter_is_a_boolean_or_none() {
        assert_eq!(either("", "active", "archived").unwrap(), None);
        assert_eq!(either("active", "active", "archived").unwrap(), Some(true));
        assert_eq!(
            either("archived", "active", "archived").unwrap(),
            Some(false)
        );
        assert!(either("true", "active", "archived").is_err());
    }

    #[test]
    fn the_next_page_keeps_the_filter_and_leaves_out_empty_fields() {
        let form = FilterForm {
            route: Route::Coupons(None),
            label: "Find coupons",
            fields: vec![
                FilterField::text("q", "Code or name", "spring 10%"),
                FilterField::select("status", "Status", "Any", &[("archived", "Archived")], ""),
            ],
        };
        assert!(form.is_filtered());
        assert_eq!(
            form.next_href(Some("c1".into())).as_deref(),
            Some("/admin/catalog/coupons?q=spring%2010%25&after=c1")
        );
        assert_eq!(form.next_href(None), None);
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
