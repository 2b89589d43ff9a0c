//! Every URL of the portal, built in one place: handlers redirect to a [`Route`], templates link
//! to one, and the router mounts the same [`path`] constants, so a path cannot drift between
//! the three and a query value is always encoded.

use std::fmt;

use axum::response::Redirect;

/// The path literals, shared by the router and [`Route::path`].
pub mod path {
    /// The overview.
    pub const OVERVIEW: &str = "/";
    /// The upcoming charges breakdown.
    pub const CHARGES: &str = "/charges";
    /// The invoice history.
    pub const INVOICES: &str = "/invoices";
    /// One invoice (`?id=inv_…`).
    pub const INVOICE: &str = "/invoice";
    /// Who is signed in.
    pub const ACCOUNT: &str = "/account";
    /// The sign-in form (GET) and its submission (POST).
    pub const SIGN_IN: &str = "/login";
    /// Signing out (POST).
    pub const SIGN_OUT: &str = "/logout";
    /// The licenses page.
    pub const LICENSES: &str = "/licenses";
    /// Quoting a license change (POST).
    pub const QUOTE: &str = "/licenses/quote";
    /// Applying a quote (POST).
    pub const APPLY_QUOTE: &str = "/licenses/apply";
    /// Assigning a seat (POST).
    pub const ASSIGN: &str = "/licenses/assign";
    /// Freeing a seat (POST).
    pub const UNASSIGN: &str = "/licenses/unassign";
    /// One license item's seats, a page at a time.
    pub const SEATS: &str = "/licenses/seats";
    /// The stylesheet.
    pub const STYLESHEET: &str = "/static/portal.css";
}

/// A place in the portal: its path and, for pages that take them, its query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`.
    Overview,
    /// `/charges`.
    Charges,
    /// `/invoices`, optionally after a cursor.
    Invoices(Option<String>),
    /// `/invoice?id=inv_…`.
    Invoice(String),
    /// `/account`.
    Account,
    /// `/login`.
    SignIn,
    /// `/logout`.
    SignOut,
    /// `/licenses`.
    Licenses,
    /// `/licenses/quote`.
    Quote,
    /// `/licenses/apply`.
    ApplyQuote,
    /// `/licenses/assign`.
    Assign,
    /// `/licenses/unassign`.
    Unassign,
    /// `/licenses/seats?item=…&after=…&from=…`.
    Seats(SeatPage),
    /// `/static/portal.css`.
    Stylesheet,
}

/// Highest seat number a page may start at: far above any item's seats, far below overflow.
const MAX_SEAT_NUMBER: usize = 1_000_000;

/// One page of a license item's seats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatPage {
    /// The license item (`si_…`).
    pub item: String,
    /// The cursor the page starts after; `None` for the first page.
    pub after: Option<String>,
    /// The number of the page's first seat (1 on the first page), for display only.
    pub from: usize,
}

impl SeatPage {
    /// The first page of `item`'s seats.
    pub fn first(item: String) -> Self {
        Self {
            item,
            after: None,
            from: 1,
        }
    }

    /// The page a link or a form names: an empty cursor is the first page, and a seat number
    /// that is missing or out of range is 1 (it is only ever displayed).
    pub fn new(item: String, after: Option<String>, from: Option<usize>) -> Self {
        Self {
            item,
            after: after.filter(|a| !a.is_empty()),
            from: from
                .filter(|n| (1..=MAX_SEAT_NUMBER).contains(n))
                .unwrap_or(1),
        }
    }
}

impl Route {
    /// The path, without a query.
    pub fn path(&self) -> &'static str {
        match self {
            Route::Overview => path::OVERVIEW,
            Route::Charges => path::CHARGES,
            Route::Invoices(_) => path::INVOICES,
            Route::Invoice(_) => path::INVOICE,
            Route::Account => path::ACCOUNT,
            Route::SignIn => path::SIGN_IN,
            Route::SignOut => path::SIGN_OUT,
            Route::Licenses => path::LICENSES,
            Route::Quote => path::QUOTE,
            Route::ApplyQuote => path::APPLY_QUOTE,
            Route::Assign => path::ASSIGN,
            Route::Unassign => path::UNASSIGN,
            Route::Seats(_) => path::SEATS,
            Route::Stylesheet => path::STYLESHEET,
        }
    }

    /// The query parameters, in a stable order.
    fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Route::Seats(page) => {
                let mut query = vec![("item", page.item.clone())];
                if let Some(after) = &page.after {
                    query.push(("after", after.clone()));
                }
                if page.from != 1 {
                    query.push(("from", page.from.to_string()));
                }
                query
            }
            Route::Invoices(Some(after)) => vec![("after", after.clone())],
            Route::Invoice(id) => vec![("id", id.clone())],
            _ => Vec::new(),
        }
    }

    /// The URL to link to.
    pub fn href(&self) -> String {
        self.href_with(&[])
    }

    /// The URL with `extra` query parameters after the route's own (a flash message).
    pub(crate) fn href_with(&self, extra: &[(&str, String)]) -> String {
        let mut href = self.path().to_owned();
        let own = self.query();
        let pairs = own
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .chain(extra.iter().map(|(name, value)| (*name, value.as_str())));
        for (index, (name, value)) in pairs.enumerate() {
            href.push(if index == 0 { '?' } else { '&' });
            href.push_str(name);
            href.push('=');
            href.push_str(&query_value(value));
        }
        href
    }

    /// A 303 to this route: after a POST, so a reload never repeats the change.
    pub fn redirect(&self) -> Redirect {
        Redirect::to(&self.href())
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.href())
    }
}

/// Percent-encodes a query-string value: everything but unreserved characters (RFC 3986).
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(query_value("si_01ab-_.~"), "si_01ab-_.~");
        assert_eq!(query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn seat_numbers_out_of_range_start_at_one() {
        let from = |n| SeatPage::new("si_1".into(), None, n).from;
        assert_eq!(from(Some(101)), 101);
        assert_eq!(from(None), 1);
        assert_eq!(from(Some(0)), 1);
        assert_eq!(from(Some(usize::MAX)), 1);
    }

    #[test]
    fn the_first_page_of_seats_has_only_the_item() {
        assert_eq!(
            Route::Seats(SeatPage::new("si_1".into(), Some(String::new()), None)).href(),
            "/licenses/seats?item=si_1"
        );
    }

    #[test]
    fn a_later_page_of_seats_names_its_cursor_and_first_number() {
        let page = SeatPage::new("si_1".into(), Some("a b".into()), Some(101));
        assert_eq!(
            Route::Seats(page).href_with(&[("seat", "freed".into())]),
            "/licenses/seats?item=si_1&after=a%20b&from=101&seat=freed"
        );
    }

    #[test]
    fn a_route_without_a_query_is_its_path() {
        assert_eq!(Route::Licenses.to_string(), "/licenses");
        assert_eq!(
            Route::Licenses.href_with(&[("updated", "12".into())]),
            "/licenses?updated=12"
        );
    }
}
