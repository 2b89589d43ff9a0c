//! One invoice's page, as the organisation's users read it: every line with its service period,
//! discounts, tax by rate, credits applied, amount due, the address it was issued to, PO number,
//! notes and credit notes. It prints on its own (the stylesheet's `@media print` hides the navigation and links).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

use crate::Portal;
use crate::amounts::unless_zero;
use crate::chrome::{Chrome, Nav};
use crate::dates;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{Invoice, invoice};
use crate::route::Route;
use crate::session::Visitor;

/// One invoice's page.
#[derive(Template)]
#[template(path = "invoices/invoice.html")]
struct InvoicePage {
    /// The frame.
    chrome: Chrome,
    /// The history's first page, unfiltered.
    all_invoices: Route,
    /// `INV-2026-000042`.
    number: String,
    /// "Open", "Paid", …
    status: &'static str,
    /// Issue date, for people.
    issued: String,
    /// Due date, for people.
    due: String,
    /// The period billed, for people.
    period: String,
    /// The customer's purchase order number, if given.
    po_number: Option<String>,
    /// Notes printed on the invoice, if any.
    notes: Option<String>,
    /// The address the invoice was issued to, as printed; empty when it had none.
    billed_to: Vec<String>,
    /// (description, service period, amount, tax).
    lines: Vec<(String, String, String, String)>,
    /// Subtotal.
    subtotal: String,
    /// Discounts, when there are any.
    discount: Option<String>,
    /// Tax.
    tax: String,
    /// Tax by rate: ("VAT FR (20%)", taxable amount, tax), lowest rate first.
    taxes: Vec<(String, String, String)>,
    /// Total.
    total: String,
    /// Credit balance used, when some was.
    credits_applied: Option<String>,
    /// What the invoice asked for.
    amount_due: String,
    /// What is still owed.
    amount_remaining: String,
    /// Whether it is paid (the amount it asked for reads "Amount paid").
    paid: bool,
    /// Credit notes correcting the invoice.
    credit_notes: Vec<CreditNoteRow>,
}

/// A credit note on an invoice's page.
struct CreditNoteRow {
    /// `CN-2026-000001`.
    number: String,
    /// Its date, for people.
    issued: String,
    /// Why it was issued.
    reason: String,
    /// Its total.
    total: String,
    /// Taken off the amount due.
    applied_to_invoice: String,
    /// Added to the credit balance.
    credited_to_balance: String,
}

/// `?id=` of an invoice.
#[derive(Deserialize, Default)]
pub(super) struct InvoiceQuery {
    id: Option<String>,
}

fn status_of_one(status: &invoice::InvoiceStatus) -> &'static str {
    match status {
        invoice::InvoiceStatus::DRAFT => "Draft",
        invoice::InvoiceStatus::OPEN => "Open",
        invoice::InvoiceStatus::PAID => "Paid",
        invoice::InvoiceStatus::VOID => "Void",
        invoice::InvoiceStatus::UNCOLLECTIBLE => "Uncollectible",
        invoice::InvoiceStatus::Other(_) => "Unknown",
    }
}

/// GET `/invoice?id=inv_…`. Another organisation's invoice is not found, like a missing one.
pub(super) async fn one(
    State(portal): State<Portal>,
    visitor: Visitor,
    query: Result<Query<InvoiceQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<impl IntoResponse, PageError> {
    let id = query
        .map(|Query(q)| q)
        .unwrap_or_default()
        .id
        .filter(|id| !id.is_empty())
        .ok_or(PageError::NotFound)?;
    let data = portal
        .run::<Invoice>(invoice::Variables { id }, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::NotACustomer)?;
    let i = organisation.invoice;
    let page = InvoicePage {
        chrome: visitor.chrome(
            Nav::Invoices,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        all_invoices: Route::Invoices(Default::default()),
        number: i.number.unwrap_or_else(|| "Draft".into()),
        status: status_of_one(&i.status),
        issued: dates::day(i.issue_date),
        due: dates::day(i.due_date),
        period: dates::period(i.period_start, i.period_end),
        po_number: i.po_number,
        notes: i.notes,
        billed_to: i.billing_address.map(|a| a.lines).unwrap_or_default(),
        lines: i
            .lines
            .into_iter()
            .map(|l| {
                let period = match (l.service_period_start, l.service_period_end) {
                    (Some(start), Some(end)) => dates::period(start, end),
                    _ => String::new(),
                };
                (l.description, period, l.amount.formatted, l.tax.formatted)
            })
            .collect(),
        subtotal: i.subtotal.formatted,
        discount: unless_zero(&i.discount.amount, i.discount.formatted),
        tax: i.tax.formatted,
        taxes: i
            .taxes
            .into_iter()
            .map(|t| {
                (
                    format!("{} ({}%)", t.name, t.rate),
                    t.taxable.formatted,
                    t.amount.formatted,
                )
            })
            .collect(),
        total: i.total.formatted,
        credits_applied: unless_zero(&i.credits_applied.amount, i.credits_applied.formatted),
        amount_due: i.amount_due.formatted,
        amount_remaining: i.amount_remaining.formatted,
        paid: matches!(i.status, invoice::InvoiceStatus::PAID),
        credit_notes: i
            .credit_notes
            .into_iter()
            .map(|n| CreditNoteRow {
                number: n.number,
                issued: dates::day(n.issue_date),
                reason: n.reason,
                total: n.total.formatted,
                applied_to_invoice: n.applied_to_invoice.formatted,
                credited_to_balance: n.credited_to_balance.formatted,
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}
