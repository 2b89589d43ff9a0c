//! Finding a customer the way staff are asked about one (the telecom platform's SmartSearch):
//! by a piece of its name, company, external reference, tags or e-mail (its own, or one of its
//! contacts'), in any case,
//! or by one of its telephone numbers however it is written (`+33 1 42 68 53 00`,
//! `01 42 68 53 00`, `142685300`). Staff only, support included: a customer user is refused,
//! not shown its own organisation, since the search is the console's.

use entity::{contact, customer, phone_number};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::{CUSTOMERS, CustomersService};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::services::like::contains_lowercase;
use crate::services::page::{Page, PageRequest, fetch_page};

/// Longest query accepted, in characters.
pub const MAX_QUERY: usize = 200;
/// Fewest digits a query needs to be looked up as a telephone number: fewer would match
/// almost every number.
pub const MIN_NUMBER_DIGITS: usize = 4;

/// The digits to look for in stored numbers (`+33142685300`) when `text` reads as a telephone
/// number (digits, `+`, spaces and the usual separators) of at least `min_digits`: the digits
/// as typed, and also without a national trunk `0` (`01 42…` is `+33 1 42…`). `None` when it
/// does not read as one.
pub fn number_digits(text: &str, min_digits: usize) -> Option<Vec<String>> {
    let reads_as_number = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')' | '/'));
    let all: String = text.chars().filter(char::is_ascii_digit).collect();
    if !reads_as_number || all.len() < min_digits.max(1) {
        return None;
    }
    let mut digits = Vec::new();
    if let Some(national) = all.strip_prefix('0').filter(|n| n.len() >= min_digits) {
        digits.push(national.to_owned());
    }
    digits.push(all);
    Some(digits)
}

/// Whether the stored number (`e164`) contains one of `digits` ([`number_digits`]).
pub fn number_contains(digits: &[String]) -> Condition {
    digits.iter().fold(Condition::any(), |any, digits| {
        any.add(
            Expr::col(phone_number::Column::E164)
                .like(LikeExpr::new(format!("%{digits}%")).escape('\\')),
        )
    })
}

/// A search as typed, checked once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerSearch {
    /// The text to find, trimmed and lower-cased; empty: every customer.
    text: String,
    /// The digits to find in a telephone number, when the query reads as one: the digits as
    /// typed, and without a national trunk `0` (`01 42…` is `+33 1 42…`).
    digits: Vec<String>,
}

impl CustomerSearch {
    /// Checks `query`: `BAD_USER_INPUT` on `query` when it is too long.
    pub fn parse(query: &str) -> ServiceResult<Self> {
        let text = query.trim();
        if text.chars().count() > MAX_QUERY {
            return Err(ServiceError::bad_input(
                "query",
                format!("a search is at most {MAX_QUERY} characters"),
            ));
        }
        Ok(Self {
            text: text.to_lowercase(),
            digits: number_digits(text, MIN_NUMBER_DIGITS).unwrap_or_default(),
        })
    }

    /// The condition on `customers` this search is; `None` for an empty search.
    fn condition(&self) -> Option<Condition> {
        if self.text.is_empty() {
            return None;
        }
        let contains = |column: Expr| contains_lowercase(column, &self.text);
        let contacts = Query::select()
            .column(contact::Column::CustomerId)
            .from(contact::Entity)
            .and_where(contains(Expr::col(contact::Column::Email)))
            .to_owned();
        let mut any = Condition::any()
            .add(contains(Expr::col(customer::Column::Name)))
            .add(contains(Expr::col(customer::Column::Company)))
            .add(contains(Expr::col(customer::Column::Email)))
            .add(contains(Expr::col(customer::Column::ExternalReference)))
            // The tags' JSON text: a piece of a tag finds it, as a piece of a name does.
            .add(contains(Expr::col(customer::Column::Tags)))
            .add(customer::Column::Id.in_subquery(contacts));
        if !self.digits.is_empty() {
            let holders = Query::select()
                .column(phone_number::Column::CustomerId)
                .from(phone_number::Entity)
                .cond_where(number_contains(&self.digits))
                .to_owned();
            any = any.add(customer::Column::Id.in_subquery(holders));
        }
        Some(any)
    }
}

impl CustomersService {
    /// The customers `search` finds, oldest first (operator staff, support included).
    pub async fn search(
        &self,
        actor: &Actor,
        search: &CustomerSearch,
        page: PageRequest,
    ) -> ServiceResult<Page<customer::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = customer::Entity::find();
        if let Some(condition) = search.condition() {
            select = select.filter(condition);
        }
        Ok(fetch_page(self.db.reads(), select, &CUSTOMERS, &page).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_found_however_it_is_written() {
        let digits = |q: &str| CustomerSearch::parse(q).map(|s| s.digits).ok();
        assert_eq!(
            digits("+33 1 42 68 53 00"),
            Some(vec!["33142685300".into()])
        );
        assert_eq!(
            digits("01 42 68 53 00"),
            Some(vec!["142685300".into(), "0142685300".into()])
        );
        assert_eq!(digits("4268"), Some(vec!["4268".into()]));
        // Too few digits, or words: not a number.
        assert_eq!(digits("426"), Some(vec![]));
        assert_eq!(digits("Acme 2026"), Some(vec![]));
    }

    #[test]
    fn text_is_trimmed_lowered_and_bounded() {
        let search = CustomerSearch::parse("  ACME Tel ").expect("valid");
        assert_eq!(search.text, "acme tel");
        assert!(CustomerSearch::parse(&"a".repeat(MAX_QUERY)).is_ok());
        assert!(matches!(
            CustomerSearch::parse(&"a".repeat(MAX_QUERY + 1)),
            Err(ServiceError::BadInput { field, .. }) if field == "query"
        ));
        assert_eq!(
            CustomerSearch::parse("").ok().and_then(|s| s.condition()),
            None
        );
    }
}
