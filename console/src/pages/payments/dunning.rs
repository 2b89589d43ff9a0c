//! `GET /admin/dunning`: every open invoice whose automatic collection failed, the next
//! attempt first, those whose retries are exhausted among them, a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::html::render;
use crate::operations::{DunningQueue, dunning_queue};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};

/// The dunning page.
#[derive(Template)]
#[template(path = "payments/dunning.html")]
struct DunningPage {
    chrome: Chrome,
    /// The invoices, on this page.
    rows: Vec<DunningRow>,
    /// The next page, if any.
    next: Option<Route>,
}

/// An invoice waiting for its next collection attempt.
struct DunningRow {
    /// Its number.
    number: String,
    /// Its customer's invoices tab.
    customer: String,
    /// Its due day.
    due: String,
    /// What is still owed, formatted.
    remaining: String,
    /// Failed attempts so far.
    failures: i64,
    /// Scheduled or exhausted, in words.
    state: String,
    /// When the next attempt is due (UTC), if one is.
    next_attempt: String,
    /// Why the last attempt failed.
    last_failure: Option<String>,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct DunningParams {
    after: Option<String>,
}

/// `GET /admin/dunning`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<DunningParams>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(&console, Nav::Dunning).await?;
    let after = params.after.filter(|a| !a.is_empty());
    let data = console
        .run::<DunningQueue>(dunning_queue::Variables { after }, Some(&visitor.session))
        .await?;
    let queue = data.dunning_queue;
    let exhausted =
        |s: &dunning_queue::DunningState| matches!(s, dunning_queue::DunningState::EXHAUSTED);
    let page = DunningPage {
        chrome,
        next: queue
            .page_info
            .end_cursor
            .filter(|_| queue.page_info.has_next_page)
            .map(|c| Route::Dunning(Some(c))),
        rows: queue
            .nodes
            .into_iter()
            .map(|d| DunningRow {
                number: d.invoice.number.unwrap_or_else(|| "Draft".to_owned()),
                customer: Route::Customer(d.customer_id, Tab::Invoices).href(),
                due: day(d.invoice.due_date),
                remaining: d.invoice.amount_remaining.formatted,
                failures: d.failures,
                next_attempt: if exhausted(&d.state) {
                    "—".to_owned()
                } else {
                    d.next_attempt_at.format("%-d %b %Y %H:%M UTC").to_string()
                },
                state: label(&d.state),
                last_failure: d.last_failure,
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}
