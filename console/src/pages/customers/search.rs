//! `GET /admin/customers?q=…`: the search. A query that finds one customer opens it; one that
//! finds none offers to create it; an empty one lists every customer, a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::client::ConsoleError;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{SearchCustomers, search_customers};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::label;

/// Customers a page shows.
const PAGE_SIZE: i64 = 20;

/// The search page.
#[derive(Template)]
#[template(path = "customers/search.html")]
struct SearchPage {
    /// The frame.
    chrome: Chrome,
    /// What was typed.
    query: String,
    /// The API's refusal of the query, next to the field.
    query_error: Option<String>,
    /// The customers found, on this page.
    found: Vec<FoundCustomer>,
    /// The next page, if any.
    next: Option<Route>,
    /// Whether this page continues an earlier one.
    continued: bool,
}

/// A customer in the results.
struct FoundCustomer {
    /// Its page.
    href: String,
    /// Display name.
    name: String,
    /// Legal name.
    company: Option<String>,
    /// Billing e-mail.
    email: String,
    /// Its id in another system.
    external_reference: Option<String>,
    /// Currency.
    currency: String,
    /// Status, in words.
    status: String,
}

impl SearchPage {
    /// Where "Add new customer" leads: the form, the name started with what was typed unless
    /// it was a number or an e-mail.
    fn new_customer(&self) -> Route {
        let typed = self.query.trim();
        let a_name =
            !typed.is_empty() && !typed.contains('@') && typed.chars().any(char::is_alphabetic);
        Route::NewCustomer(a_name.then(|| typed.to_owned()))
    }
}

/// The search's parameters.
#[derive(Deserialize)]
pub(super) struct SearchParams {
    q: Option<String>,
    after: Option<String>,
}

/// `GET /admin/customers`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<SearchParams>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(&console, Nav::Customers).await?;
    let query = params.q.unwrap_or_default();
    let after = params.after.filter(|a| !a.is_empty());
    let mut page = SearchPage {
        chrome,
        query: query.clone(),
        query_error: None,
        found: Vec::new(),
        next: None,
        continued: after.is_some(),
    };
    let variables = search_customers::Variables {
        query: query.clone(),
        first: Some(PAGE_SIZE),
        after: after.clone(),
    };
    let result = match console
        .run::<SearchCustomers>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data.search_customers,
        Err(ConsoleError::Field { message, .. }) => {
            page.query_error = Some(message);
            return Ok(render(StatusCode::OK, &page));
        }
        Err(other) => return Err(other.into()),
    };
    let single = !query.trim().is_empty()
        && after.is_none()
        && result.nodes.len() == 1
        && !result.page_info.has_next_page;
    if single && let Some(customer) = result.nodes.first() {
        let route = Route::Customer(customer.id.clone(), Tab::default());
        return Ok(route.redirect().into_response());
    }
    page.next = result
        .page_info
        .end_cursor
        .filter(|_| result.page_info.has_next_page)
        .map(|cursor| Route::Customers {
            query: query.clone(),
            after: Some(cursor),
        });
    page.found = result
        .nodes
        .into_iter()
        .map(|c| FoundCustomer {
            href: Route::Customer(c.id, Tab::default()).href(),
            status: label(&c.status),
            name: c.name,
            company: c.company,
            email: c.email,
            external_reference: c.external_reference,
            currency: c.currency,
        })
        .collect();
    Ok(render(StatusCode::OK, &page))
}
