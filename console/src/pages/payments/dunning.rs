//! `GET /admin/dunning`: every open invoice still owed, whichever customer and however it is
//! paid, the earliest due first, with its automatic collection's next attempt when it has one;
//! filtered to the past-due ones or those whose automatic collection failed, a page at a time.
//! Billing staff charge an invoice whose automatic collection failed again now ("Retry now",
//! `POST /admin/dunning/retry`, `retryInvoicePayment`): the page says how it went, a failure
//! counting in the invoice's dunning like an automatic one.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::client::ConsoleError;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{Receivables, RetryInvoicePayment, receivables, retry_invoice_payment};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::day;

/// The dunning page.
#[derive(Template)]
#[template(path = "payments/dunning.html")]
struct DunningPage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// Why a retry was refused, above the table.
    error: Option<String>,
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
    /// Its id, when its automatic collection failed: what "Retry now" charges.
    retry: Option<String>,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct DunningParams {
    #[serde(default)]
    show: String,
    after: Option<String>,
    done: Option<String>,
}

/// "Retry now" of one invoice.
#[derive(Deserialize)]
pub(super) struct RetryForm {
    #[serde(default)]
    csrf: String,
    /// The invoice (`inv_…`).
    #[serde(default)]
    invoice: String,
    /// The filter the page showed, kept across the retry.
    #[serde(default)]
    show: String,
}

/// The filter of `value` (empty: the default); `Err` for one the page does not offer.
fn shown(value: &str) -> Result<&'static str, PageError> {
    match value {
        "" => Ok(SHOWN[0].0),
        value => SHOWN
            .iter()
            .map(|(v, _)| *v)
            .find(|v| *v == value)
            .ok_or_else(|| PageError::BadRequest("Choose a value the filter offers.".into())),
    }
}

/// `GET /admin/dunning`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<DunningParams>,
) -> Result<Response, PageError> {
    let show = shown(&params.show)?;
    let flash = Flash::from_param(params.done.as_deref());
    let after = params.after.filter(|a| !a.is_empty());
    render_page(&console, &visitor, show, after, flash, None).await
}

/// The page of `show` from `after`, with a confirmation or a refusal.
async fn render_page(
    console: &Console,
    visitor: &Visitor,
    show: &'static str,
    after: Option<String>,
    flash: Option<Flash>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Dunning).await?;
    let variables = receivables::Variables {
        after,
        past_due: show == "past_due",
        collection_failed: show == "failed",
    };
    let data = console
        .run::<Receivables>(variables, Some(&visitor.session))
        .await?;
    let list = data.receivables;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = DunningPage {
        chrome,
        flash,
        error,
        show,
        next: list
            .page_info
            .end_cursor
            .filter(|_| list.page_info.has_next_page)
            .map(|c| Route::Dunning(Some(c)).href_with(&[("show", show.to_owned())])),
        rows: list.nodes.into_iter().map(row).collect(),
    };
    Ok(render(status, &page))
}

/// `POST /admin/dunning/retry`.
pub(super) async fn retry(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<RetryForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let show = shown(&form.show)?;
    let input = retry_invoice_payment::RetryInvoicePaymentInput {
        invoice_id: form.invoice,
    };
    match console
        .run::<RetryInvoicePayment>(
            retry_invoice_payment::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(data) => {
            use retry_invoice_payment::PaymentAttemptStatus as S;
            let flash = match data.retry_invoice_payment.attempt.status {
                S::SUCCEEDED => Flash::RetryCollected,
                S::FAILED => Flash::RetryFailed,
                _ => Flash::RetryPending,
            };
            Ok(retried(show, flash))
        }
        // A decline is an attempt made, not a refused form: it counts in the invoice's
        // dunning and its row says why.
        Err(ConsoleError::Rejected { code, .. }) if code == "PAYMENT_FAILED" => {
            Ok(retried(show, Flash::RetryFailed))
        }
        Err(error) => {
            let message = FormErrors::from_refusal(error, |_| false)?.form;
            render_page(&console, &visitor, show, None, None, message).await
        }
    }
}

/// The page of `show` after a retry, saying how it went.
fn retried(show: &str, flash: Flash) -> Response {
    let href = Route::Dunning(None).href_with(&[
        ("show", show.to_owned()),
        ("done", flash.param().to_owned()),
    ]);
    Redirect::to(&href).into_response()
}

/// One invoice as the table shows it.
fn row(invoice: receivables::ReceivablesReceivablesNodes) -> DunningRow {
    let dunning = invoice.dunning;
    DunningRow {
        billed_to: invoice.billed_to,
        customer: Route::Customer(invoice.customer_id.clone(), Tab::Invoices).href(),
        number: invoice.number.unwrap_or_else(|| "Draft".to_owned()),
        invoice: Route::Invoice(invoice.customer_id, invoice.id.clone()).href(),
        due: day(invoice.due_date),
        late: late(invoice.days_past_due),
        remaining: invoice.amount_remaining.formatted,
        collection: match &dunning {
            // No retry is made while its subscription's automatic payment is off.
            _ if !invoice.automatic_payment => match &dunning {
                Some(d) => format!("Off for its subscription ({} so far)", failures(d.failures)),
                None => "Off for its subscription: paid by transfer".to_owned(),
            },
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
        retry: dunning.is_some().then(|| invoice.id.clone()),
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
