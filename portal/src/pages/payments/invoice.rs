//! One invoice's payments: what it still asks for, "Pay now" with a method of the
//! organisation (the default chosen), the decline shown next to the form, and the table of its
//! attempts and payments. Each form render carries a fresh idempotency key, so a double click
//! or a resubmitted form pays once.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::dates::{self, CustomerZone};
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::html::render;
use crate::operations::{InvoicePayments, PayInvoice, invoice_payments, pay_invoice};
use crate::route::Route;
use crate::session::Visitor;

/// An invoice's payments page.
#[derive(Template)]
#[template(path = "payments/invoice.html")]
struct PaymentsPage {
    /// The frame.
    chrome: Chrome,
    /// The invoice's own page.
    invoice_page: Route,
    /// A confirmation to show.
    notice: Option<String>,
    /// Why the payment was refused, shown next to the form.
    decline: Option<String>,
    /// `inv_…`.
    id: String,
    /// `INV-2026-000042`.
    number: String,
    /// "Open", "Paid", …
    status: &'static str,
    /// Due date, for people.
    due: String,
    /// What it asked for.
    amount_due: String,
    /// What it still asks for.
    outstanding: String,
    /// Whether the pay form is shown: open, something outstanding, a role that may pay, and
    /// no attempt under way.
    can_pay: bool,
    /// Why it cannot be paid now although open (an attempt under way), if so.
    waiting: Option<String>,
    /// The methods to choose from: (id, label, default).
    methods: Vec<(String, String, bool)>,
    /// A fresh idempotency key for the form.
    key: String,
    /// The attempts, newest first.
    attempts: Vec<AttemptRow>,
    /// Money received, oldest first: (date, method, amount, refunded).
    payments: Vec<(String, String, String, Option<String>)>,
    /// When the next automatic attempt is due, if one is scheduled.
    next_attempt: Option<String>,
}

/// An attempt as the table shows it.
struct AttemptRow {
    /// 1, 2, …
    number: i64,
    /// When, for people.
    when: String,
    /// The method.
    method: String,
    /// The amount.
    amount: String,
    /// "Paid", "Declined", …
    status: &'static str,
    /// Why it failed.
    failure: Option<String>,
    /// Automatic collection or the customer.
    automatic: bool,
    /// The authentication page, while it waits for authentication.
    authenticate: Option<Route>,
}

/// `?id=` of an invoice.
#[derive(Deserialize, Default)]
pub(super) struct InvoiceQuery {
    id: Option<String>,
}

/// `GET /invoice/payments?id=inv_…`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
    query: Result<Query<InvoiceQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let id = query
        .map(|Query(q)| q)
        .unwrap_or_default()
        .id
        .filter(|id| !id.is_empty())
        .ok_or(PageError::NotFound)?;
    let notice = flash.map(Flash::message);
    render_page(&portal, &visitor, id, StatusCode::OK, notice, None).await
}

fn attempt_status(status: &invoice_payments::PaymentAttemptStatus) -> &'static str {
    use invoice_payments::PaymentAttemptStatus as S;
    match status {
        S::PENDING => "Being processed",
        S::PROCESSING => "Processing (direct debit)",
        S::REQUIRES_ACTION => "Waiting for authentication",
        S::SUCCEEDED => "Paid",
        S::FAILED => "Failed",
        S::Other(_) => "Unknown",
    }
}

fn invoice_status(status: &invoice_payments::InvoiceStatus) -> &'static str {
    use invoice_payments::InvoiceStatus as S;
    match status {
        S::DRAFT => "Draft",
        S::OPEN => "Open",
        S::PAID => "Paid",
        S::VOID => "Void",
        S::UNCOLLECTIBLE => "Uncollectible",
        S::Other(_) => "Unknown",
    }
}

async fn render_page(
    portal: &Portal,
    visitor: &Visitor,
    id: String,
    status: StatusCode,
    notice: Option<String>,
    decline: Option<String>,
) -> Result<Response, PageError> {
    let data = portal
        .run::<InvoicePayments>(invoice_payments::Variables { id }, Some(&visitor.session))
        .await?;
    let user = data.viewer.user;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let zone = CustomerZone::named(&organisation.time_zone);
    let invoice = organisation.invoice;
    let history = invoice.payment_history;
    use invoice_payments::PaymentAttemptStatus as S;
    let under_way = history
        .attempts
        .iter()
        .find(|a| matches!(a.status, S::PENDING | S::PROCESSING | S::REQUIRES_ACTION));
    let waiting = under_way.map(|a| match a.status {
        S::PROCESSING => "A direct debit of this invoice is being processed: it is paid once your bank confirms it.".to_owned(),
        S::REQUIRES_ACTION => "A payment of this invoice waits for you to authenticate it.".to_owned(),
        _ => "A payment of this invoice is being processed: reload this page in a moment.".to_owned(),
    });
    let open = matches!(invoice.status, invoice_payments::InvoiceStatus::OPEN);
    let owed = positive(&history.outstanding.amount);
    let can_pay = open && owed && user.role.can_change() && under_way.is_none();
    let mut attempts: Vec<AttemptRow> = history
        .attempts
        .into_iter()
        .map(|a| AttemptRow {
            number: a.number,
            when: zone.time_and_day(a.created_at),
            method: a.method,
            amount: a.amount.formatted,
            status: attempt_status(&a.status),
            failure: a.failure_message,
            automatic: a.automatic,
            authenticate: matches!(a.status, S::REQUIRES_ACTION)
                .then(|| Route::AuthenticatePayment(a.id.clone())),
        })
        .collect();
    attempts.reverse();
    let next_attempt = history
        .dunning
        .filter(|d| open && matches!(d.state, invoice_payments::DunningState::SCHEDULED))
        .map(|d| zone.time_and_day(d.next_attempt_at));
    let page = PaymentsPage {
        chrome: visitor.chrome(Nav::Invoices, user.name, Some(organisation.name)),
        invoice_page: Route::Invoice(invoice.id.clone()),
        notice,
        decline,
        number: invoice.number.unwrap_or_else(|| "Draft".into()),
        id: invoice.id,
        status: invoice_status(&invoice.status),
        due: dates::day(invoice.due_date),
        amount_due: invoice.amount_due.formatted,
        outstanding: history.outstanding.formatted,
        can_pay,
        waiting: if open { waiting } else { None },
        methods: organisation
            .payment_methods
            .into_iter()
            .map(|m| (m.id, m.label, m.is_default))
            .collect(),
        key: fresh_key(),
        attempts,
        payments: history
            .payments
            .into_iter()
            .map(|p| {
                let refunded = positive(&p.refunded.amount).then_some(p.refunded.formatted);
                (
                    zone.time_and_day(p.created_at),
                    match p.reference {
                        Some(reference) => format!("{} ({reference})", p.method),
                        None => p.method,
                    },
                    p.amount.formatted,
                    refunded,
                )
            })
            .collect(),
        next_attempt,
    };
    Ok(render(status, &page))
}

/// A fresh idempotency key for one rendering of the pay form: 16 random bytes, unpadded
/// base64url.
fn fresh_key() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("operating system random source");
    format!(
        "portal-{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Whether a decimal amount (`12.50`, `0.00`) is more than zero.
fn positive(amount: &str) -> bool {
    !amount.starts_with('-') && amount.chars().any(|c| c.is_ascii_digit() && c != '0')
}

/// The pay form's fields.
#[derive(Deserialize)]
pub(super) struct PayFields {
    csrf: String,
    #[serde(default)]
    invoice_id: String,
    #[serde(default)]
    payment_method_id: String,
    #[serde(default)]
    key: String,
}

/// `POST /invoice/pay`: paid (back with the confirmation), processing (the same), waiting for
/// authentication (to its page), or refused (the page again, the decline next to the form).
pub(super) async fn pay(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<PayFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = pay_invoice::Variables {
        input: pay_invoice::PayInvoiceInput {
            invoice_id: fields.invoice_id.clone(),
            payment_method_id: Some(fields.payment_method_id.clone()).filter(|m| !m.is_empty()),
            idempotency_key: Some(fields.key.clone()).filter(|k| !k.is_empty()),
        },
    };
    let back = Route::InvoicePayments(fields.invoice_id.clone());
    match portal
        .run::<PayInvoice>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let attempt = data.pay_invoice.attempt;
            use pay_invoice::PaymentAttemptStatus as S;
            Ok(match attempt.status {
                S::REQUIRES_ACTION => Route::AuthenticatePayment(attempt.id)
                    .redirect()
                    .into_response(),
                S::PROCESSING => Flash::Saved(Saved::PaymentProcessing)
                    .redirect(&back)
                    .into_response(),
                S::SUCCEEDED => Flash::Saved(Saved::InvoicePaid)
                    .redirect(&back)
                    .into_response(),
                // A repeated submit answers the first attempt, still being processed (or
                // failed since): never claim the invoice is paid.
                _ => Flash::Saved(Saved::PaymentPending)
                    .redirect(&back)
                    .into_response(),
            })
        }
        Err(error @ (PortalError::Rejected { .. } | PortalError::Field { .. })) => {
            let decline = error.form_message()?;
            render_page(
                &portal,
                &visitor,
                fields.invoice_id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(decline),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Shows the invoice's payments with `decline` next to the form (the authentication page's
/// failure comes back here).
pub(super) async fn declined(
    portal: &Portal,
    visitor: &Visitor,
    invoice: String,
    decline: String,
) -> Result<Response, PageError> {
    render_page(
        portal,
        visitor,
        invoice,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        Some(decline),
    )
    .await
}
