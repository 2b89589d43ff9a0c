//! `GET /admin/customers/cus_…/invoices/inv_…`: one invoice with its payments, credit notes and
//! e-mails, and what staff do to it: "Record a payment" and "Void invoice" for an open one
//! ([`super::settle`]); a credit note ([`super::credit_note`]), a refund
//! ([`super::refund`]), a copy sent again and the PDF ([`super::delivery`]). A refused form
//! shows the page again with the API's refusal beside the field at fault.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::credit_note::CreditForm;
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::client::ConsoleError;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, idempotency_key};
use crate::html::render;
use crate::operations::{ConsoleInvoice, console_invoice};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};

/// The fields of the payment form, as the API names them.
pub(super) const PAYMENT_FIELDS: [&str; 3] = ["amount", "method", "reference"];

/// The invoice page.
#[derive(Template)]
#[template(path = "invoices/invoice.html")]
struct InvoicePage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// The customer's id and name.
    customer: (String, String),
    invoice: console_invoice::ConsoleInvoiceCustomerInvoice,
    /// The forms' values and refusals.
    forms: InvoiceForms,
}

/// The values and refusals of the invoice page's forms: all empty on a first showing, one of
/// them filled in when the API refused it.
#[derive(Default)]
pub(super) struct InvoiceForms {
    /// The payment form's values.
    pub payment: PaymentForm,
    /// The payment form's refusal.
    pub payment_errors: FormErrors,
    /// The void form's refusal.
    pub void_error: Option<String>,
    /// The credit note form's values.
    pub credit: CreditForm,
    /// The credit note form's refusal.
    pub credit_errors: FormErrors,
    /// The refusal of a refund: the payment (`pay_…`) and why.
    pub refund_error: Option<(String, String)>,
    /// The refusal of "Send again".
    pub send_error: Option<String>,
}

impl InvoiceForms {
    /// Whether one of the forms was refused.
    fn any_refused(&self) -> bool {
        self.payment_errors.is_refused()
            || self.void_error.is_some()
            || self.credit_errors.is_refused()
            || self.refund_error.is_some()
            || self.send_error.is_some()
    }
}

/// A line a credit note may credit, with its index in the invoice's lines.
struct CreditableLine<'a> {
    /// The index, which the credit note names.
    index: usize,
    line: &'a console_invoice::ConsoleInvoiceCustomerInvoiceLines,
}

impl InvoicePage {
    /// Whether the page offers its forms: to staff who may change money, and to anyone whose
    /// submission was just refused (the refusal shows beside what they sent).
    fn offers_forms(&self) -> bool {
        self.chrome.may_change() || self.forms.any_refused()
    }

    /// Whether the invoice is open (it takes payments and may be voided).
    fn is_open(&self) -> bool {
        matches!(self.invoice.status, console_invoice::InvoiceStatus::OPEN)
    }

    /// Whether a decimal amount is zero (`0`, `0.00`).
    fn is_zero(&self, amount: &str) -> bool {
        amount
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
    }

    /// Whether a credit note may be issued against it (open or paid).
    fn is_creditable(&self) -> bool {
        matches!(
            self.invoice.status,
            console_invoice::InvoiceStatus::OPEN | console_invoice::InvoiceStatus::PAID
        )
    }

    /// Whether it was issued (it has a number, a PDF and may be sent again).
    fn is_issued(&self) -> bool {
        self.invoice.number.is_some()
    }

    /// The charge lines a credit note may credit (not discounts or credits applied).
    fn creditable_lines(&self) -> Vec<CreditableLine<'_>> {
        use console_invoice::LineKind;
        self.invoice
            .lines
            .iter()
            .enumerate()
            .filter(|(_, line)| !matches!(line.kind, LineKind::DISCOUNT | LineKind::CREDIT))
            .map(|(index, line)| CreditableLine { index, line })
            .collect()
    }

    /// The amount typed for line `index` of the credit note form.
    fn credit_amount(&self, index: &usize) -> &str {
        self.forms.credit.amount(*index)
    }

    /// The refusal beside line `index` of the credit note form.
    fn credit_line_error(&self, index: &usize) -> Option<&str> {
        self.forms.credit_errors.get(&CreditForm::field(*index))
    }

    /// The refusal of a refund of `payment`, if it was that one.
    fn refund_error(&self, payment: &str) -> Option<&str> {
        self.forms
            .refund_error
            .as_ref()
            .filter(|(id, _)| id == payment)
            .map(|(_, message)| message.as_str())
    }

    /// A payment's kind in words.
    fn payment_kind(&self, kind: &console_invoice::PaymentKind) -> String {
        label(kind)
    }

    /// An e-mail's kind or status in words.
    fn words(&self, value: &impl std::fmt::Debug) -> String {
        label(value)
    }

    /// "1 Dec 2026" of an instant.
    fn instant(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        day(at.date_naive())
    }

    /// Where the credit note form posts.
    fn credit_route(&self) -> Route {
        Route::IssueCreditNote(self.customer.0.clone(), self.invoice.id.clone())
    }

    /// Where the refund forms post.
    fn refund_route(&self) -> Route {
        Route::RefundPayment(self.customer.0.clone(), self.invoice.id.clone())
    }

    /// Where "Send again" posts.
    fn send_route(&self) -> Route {
        Route::SendInvoice(self.customer.0.clone(), self.invoice.id.clone())
    }

    /// The invoice's PDF.
    fn pdf_route(&self) -> Route {
        Route::InvoicePdf(self.customer.0.clone(), self.invoice.id.clone())
    }

    /// Credit note `id`'s PDF.
    fn credit_note_pdf(&self, id: &str) -> Route {
        Route::CreditNotePdf(self.customer.0.clone(), id.to_owned())
    }

    /// A new refund's idempotency key, chosen with the page so that a resubmitted form
    /// refunds once.
    fn refund_key(&self) -> String {
        idempotency_key()
    }

    /// Its status in words.
    fn status(&self) -> String {
        label(&self.invoice.status)
    }

    /// "1 Dec 2026".
    fn day(&self, date: &chrono::NaiveDate) -> String {
        day(*date)
    }

    /// The payment form's fields.
    fn payment_fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.forms.payment, &self.forms.payment_errors);
        vec![
            InputField::text("amount".into(), "Amount", &f.amount, e, "amount")
                .hint("Decimal, in the invoice's currency; at most what is still owed."),
            InputField::text("method".into(), "Method", &f.method, e, "method")
                .hint("How it was paid: “Bank transfer”, “Cheque”…"),
            InputField::text(
                "reference".into(),
                "Reference",
                &f.reference,
                e,
                "reference",
            )
            .hint("The bank's reference, if any."),
        ]
    }

    /// Where the forms post.
    fn payment_route(&self) -> Route {
        Route::RecordPayment(self.customer.0.clone(), self.invoice.id.clone())
    }

    /// Where "Void invoice" posts.
    fn void_route(&self) -> Route {
        Route::VoidInvoice(self.customer.0.clone(), self.invoice.id.clone())
    }

    /// The customer's invoices.
    fn back(&self) -> Route {
        Route::Customer(self.customer.0.clone(), Tab::Invoices)
    }
}

/// The payment form, as posted.
#[derive(Deserialize, Default)]
pub(super) struct PaymentForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub key: String,
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    pub csrf: String,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct InvoiceParams {
    done: Option<String>,
}

/// The page of invoice `ids`, with the forms' values and refusals.
pub(super) async fn invoice_page(
    console: &Console,
    visitor: &Visitor,
    (customer, invoice): (String, String),
    flash: Option<Flash>,
    mut forms: InvoiceForms,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Customers).await?;
    let data = console
        .run::<ConsoleInvoice>(
            console_invoice::Variables {
                customer: customer.clone(),
                invoice,
            },
            Some(&visitor.session),
        )
        .await?;
    let refused = forms.any_refused();
    if forms.payment.key.is_empty() {
        forms.payment.key = idempotency_key();
    }
    if forms.payment.method.is_empty() {
        forms.payment.method = "Bank transfer".into();
    }
    let page = InvoicePage {
        chrome,
        flash,
        customer: (customer, data.customer.name),
        invoice: data.customer.invoice,
        forms,
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

/// The end of every change to the invoice: back to its page with `done` on success, or the
/// page again with the refusal placed by `refused` (which hands back errors no form shows).
pub(super) async fn after_change<T>(
    console: &Console,
    visitor: &Visitor,
    ids: (String, String),
    outcome: Result<T, ConsoleError>,
    done: Flash,
    refused: impl FnOnce(ConsoleError) -> Result<InvoiceForms, ConsoleError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(_) => {
            let route = Route::Invoice(ids.0, ids.1);
            Ok(Redirect::to(&done.href(&route)).into_response())
        }
        Err(error) => {
            let forms = refused(error)?;
            invoice_page(console, visitor, ids, None, forms).await
        }
    }
}

/// `GET /admin/customers/{id}/invoices/{invoice}`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(ids): Path<(String, String)>,
    Query(params): Query<InvoiceParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    invoice_page(&console, &visitor, ids, flash, InvoiceForms::default()).await
}
