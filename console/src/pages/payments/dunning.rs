//! `GET /admin/dunning`: every open invoice still owed, whichever customer and however it is
//! paid, the earliest due first, with its automatic collection's next attempt when it has one;
//! filtered to the past-due ones or those whose automatic collection failed, a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::html::render;
use crate::operations::{Receivables, receivables};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::day;

/// The dunning page.
#[derive(Template)]
#[template(path = "payments/dunning.html")]
struct DunningPage {
    chrome: Chrome,
    /// The filter shown: one of [`SHOWN`]'s values.
    show: &'static str,
    /// The invoices, on this page.
    rows: Vec<DunningRow>,
    /// The next page, if any, with the same filter.
    next: Option<String>,
}

impl DunningPage {
    /// The filter's choices: (value, words).
    fn choices(&self) -> [(&'static str, &'static str); 3] {
        SHOWN
    }

    /// Whether the filter shows `value`.
    fn is_shown(&self, value: &str) -> bool {
        self.show == value
    }
}

/// What the page can show: (query value, words). The first is the default.
const SHOWN: [(&str, &str); 3] = [
    ("open", "Every open invoice"),
    ("past_due", "Past due only"),
    ("failed", "Automatic collection failed"),
];

/// An invoice still owed.
struct DunningRow {
    /// Who it bills.
    billed_to: String,
    /// Its customer's invoices tab.
    customer: String,
    /// Its number.
    number: String,
    /// Its page.
    invoice: String,
    /// Its due day.
    due: String,
    /// "12 days late", or nothing when not yet due.
    late: Option<String>,
    /// What is still owed, formatted.
    remaining: String,
    /// Its automatic collection in words: the next attempt, or why there is none.
    collection: String,
    /// Why the last automatic attempt failed.
    last_failure: Option<String>,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct DunningParams {
    #[serde(default)]
    show: String,
    after: Option<String>,
}

/// `GET /admin/dunning`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<DunningParams>,
) -> Result<Response, PageError> {
    let show = match params.show.as_str() {
        "" => SHOWN[0].0,
        value => SHOWN
            .iter()
            .map(|(v, _)| *v)
            .find(|v| *v == value)
            .ok_or_else(|| PageError::BadRequest("Choose a value the filter offers.".into()))?,
    };
    let chrome = visitor.chrome(&console, Nav::Dunning).await?;
    let after = params.after.filter(|a| !a.is_empty());
    let variables = receivables::Variables {
        after,
        past_due: show == "past_due",
        collection_failed: show == "failed",
    };
    let data = console
        .run::<Receivables>(variables, Some(&visitor.session))
        .await?;
    let list = data.receivables;
    let page = DunningPage {
        chrome,
        show,
        next: list
            .page_info
            .end_cursor
            .filter(|_| list.page_info.has_next_page)
            .map(|c| Route::Dunning(Some(c)).href_with(&[("show", show.to_owned())])),
        rows: list.nodes.into_iter().map(row).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// One invoice as the table shows it.
fn row(invoice: receivables::ReceivablesReceivablesNodes) -> DunningRow {
    let dunning = invoice.payment_history.dunning;
    DunningRow {
        billed_to: invoice.billed_to,
        customer: Route::Customer(invoice.customer_id.clone(), Tab::Invoices).href(),
        number: invoice.number.unwrap_or_else(|| "Draft".to_owned()),
        invoice: Route::Invoice(invoice.customer_id, invoice.id).href(),
        due: day(invoice.due_date),
        late: late(invoice.days_past_due),
        remaining: invoice.amount_remaining.formatted,
        collection: match &dunning {
            None => "No failed attempt".to_owned(),
            Some(d) if matches!(d.state, receivables::DunningState::EXHAUSTED) => {
                format!("Gave up after {}", failures(d.failures))
            }
            Some(d) => format!(
                "Next attempt {} ({} so far)",
                d.next_attempt_at.format("%-d %b %Y %H:%M UTC"),
                failures(d.failures)
            ),
        },
        last_failure: dunning.and_then(|d| d.last_failure),
    }
}

/// "1 day late", "12 days late"; nothing on or before the due day.
fn late(days_past_due: i64) -> Option<String> {
    match days_past_due {
        ..=0 => None,
        1 => Some("1 day late".to_owned()),
        days => Some(format!("{days} days late")),
    }
}

/// "1 failure", "3 failures".
fn failures(count: i64) -> String {
    if count == 1 {
        "1 failure".to_owned()
    } else {
        format!("{count} failures")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_and_failures_read_as_words() {
        assert_eq!(late(0), None);
        assert_eq!(late(1).as_deref(), Some("1 day late"));
        assert_eq!(late(12).as_deref(), Some("12 days late"));
        assert_eq!(failures(1), "1 failure");
        assert_eq!(failures(3), "3 failures");
    }
}
