//! One invoice's page, as the organisation's users read it: every line with its service period,
//! discounts, tax by rate, credits applied, amount due, the address it was issued to, PO number,
//! notes and credit notes; its PDF and each credit note's; "Send me this invoice again"; and
//! the e-mails that carried it. It prints on its own (the stylesheet's `@media print` hides the
//! navigation, the buttons and the e-mails).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::emails::{EmailRow, email_rows};
use crate::Portal;
use crate::amounts::unless_zero;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::dates::{self, CustomerZone};
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::html::render;
use crate::operations::{Invoice, SendInvoiceCopy, invoice, send_invoice_copy};
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
    /// A confirmation to show ("A copy is on its way to …").
    notice: Option<String>,
    /// Why the last request about this invoice could not be done.
    page_error: Option<String>,
    /// The invoice (`inv_…`), for the copy form.
    id: String,
    /// `INV-2026-000042`.
    number: String,
    /// Where its PDF is downloaded, with the session cookie.
    pdf_url: String,
    /// The signed-in user's address, where a copy goes.
    user_email: String,
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
    /// What is still owed.
    amount_remaining: String,
    /// What payments settled of it, when they settled something (partly or all).
    amount_paid: Option<String>,
    /// Credit notes correcting the invoice.
    credit_notes: Vec<CreditNoteRow>,
    /// The e-mails that carried it, oldest first.
    emails: Vec<EmailRow>,
    /// Its payments page (the payments slice): "Pay now" while it is open.
    payments: Route,
    /// Whether it is open (the payments link reads "Pay now").
    open: bool,
}

impl InvoicePage {
    /// Whether an e-mail was given up on: the section then says what to do instead.
    fn any_failed(&self) -> bool {
        self.emails.iter().any(|e| e.failed)
    }
}

/// A credit note on an invoice's page.
struct CreditNoteRow {
    /// `CN-2026-000001`.
    number: String,
    /// Where its PDF is downloaded.
    pdf_url: String,
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

/// The "Send me this invoice again" form.
#[derive(Deserialize)]
pub(super) struct CopyForm {
    /// Missing counts as wrong: the form is refused like a forged one.
    #[serde(default)]
    csrf: String,
    invoice_id: String,
}

/// What the page shows besides the invoice.
struct Messages {
    /// The confirmation a redirect carried.
    flash: Option<Flash>,
    /// A refusal to show at the top.
    page_error: Option<String>,
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

/// GET `/invoice?id=inv_…`, with the confirmation of the copy that redirected here. Another
/// organisation's invoice is not found, like a missing one.
pub(super) async fn one(
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
    let messages = Messages {
        flash,
        page_error: None,
    };
    render_invoice(&portal, &visitor, id, StatusCode::OK, messages).await
}

/// POST `/invoice/copy`: "Send me this invoice again". Back to the invoice with the
/// confirmation, or with why not (409) when the API refused it for now.
pub(super) async fn copy(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(form): Form<CopyForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = send_invoice_copy::Variables {
        input: send_invoice_copy::SendInvoiceCopyInput {
            invoice_id: form.invoice_id.clone(),
        },
    };
    match portal
        .run::<SendInvoiceCopy>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            let back = Route::Invoice(form.invoice_id);
            Ok(Flash::Saved(Saved::InvoiceCopyRequested)
                .redirect(&back)
                .into_response())
        }
        Err(PortalError::Rejected { message, .. }) => {
            let messages = Messages {
                flash: None,
                page_error: Some(message),
            };
            render_invoice(
                &portal,
                &visitor,
                form.invoice_id,
                StatusCode::CONFLICT,
                messages,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// The page of invoice `id` with `messages`, answered with `status`.
async fn render_invoice(
    portal: &Portal,
    visitor: &Visitor,
    id: String,
    status: StatusCode,
    messages: Messages,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Invoice>(invoice::Variables { id }, Some(&visitor.session))
        .await?;
    let user = data.viewer.user;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let zone = CustomerZone::named(&organisation.time_zone);
    let i = organisation.invoice;
    // The copy goes to the signed-in user's own address: the page names it as it is now.
    // Another page's confirmation (a hand-made address) is not this page's to show.
    let notice = (messages.flash == Some(Flash::Saved(Saved::InvoiceCopyRequested)))
        .then(|| format!("A copy is on its way to {}.", user.email));
    let payments = Route::InvoicePayments(i.id.clone());
    let page = InvoicePage {
        chrome: visitor.chrome(Nav::Invoices, user.name, Some(organisation.name)),
        all_invoices: Route::Invoices(Default::default()),
        notice,
        page_error: messages.page_error,
        id: i.id,
        number: i.number.unwrap_or_else(|| "Draft".into()),
        pdf_url: i.pdf_url,
        user_email: user.email,
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
        amount_remaining: i.amount_remaining.formatted,
        amount_paid: unless_zero(&i.amount_paid.amount, i.amount_paid.formatted),
        open: matches!(i.status, invoice::InvoiceStatus::OPEN),
        payments,
        credit_notes: i
            .credit_notes
            .into_iter()
            .map(|n| CreditNoteRow {
                number: n.number,
                pdf_url: n.pdf_url,
                issued: dates::day(n.issue_date),
                reason: n.reason,
                total: n.total.formatted,
                applied_to_invoice: n.applied_to_invoice.formatted,
                credited_to_balance: n.credited_to_balance.formatted,
            })
            .collect(),
        emails: email_rows(i.emails, &zone),
    };
    Ok(render(status, &page).into_response())
}
