//! `GET /admin/customers/cus_…/invoices/inv_…`: one invoice, with "Record a payment" (amount,
//! method, reference; once, by an idempotency key chosen with the page) and "Void invoice" for
//! an open one; `POST …/payment` and `POST …/void` make the change, or show the page again
//! with the API's refusal beside the field at fault.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{
    ConsoleInvoice, RecordOfflinePayment, VoidInvoice, console_invoice, record_offline_payment,
    void_invoice,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};

/// The fields of the payment form, as the API names them.
const PAYMENT_FIELDS: [&str; 3] = ["amount", "method", "reference"];

/// The invoice page.
#[derive(Template)]
#[template(path = "invoices/invoice.html")]
struct InvoicePage {
    chrome: Chrome,
    flash: Option<Flash>,
    /// The customer's id and name.
    customer: (String, String),
    invoice: console_invoice::ConsoleInvoiceCustomerInvoice,
    /// The payment form's values.
    payment: PaymentForm,
    /// The payment form's refusal.
    payment_errors: FormErrors,
    /// The void form's refusal.
    void_error: Option<String>,
}

impl InvoicePage {
    /// Whether the invoice is open (it takes payments and may be voided).
    fn is_open(&self) -> bool {
        matches!(self.invoice.status, console_invoice::InvoiceStatus::OPEN)
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
        let (f, e) = (&self.payment, &self.payment_errors);
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
    csrf: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    key: String,
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    csrf: String,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct InvoiceParams {
    done: Option<String>,
}

/// A new idempotency key: 16 random bytes.
fn new_key() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("operating system random source");
    format!("console-{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The page of invoice `ids`, with the forms' values and refusals.
async fn invoice_page(
    console: &Console,
    visitor: &Visitor,
    (customer, invoice): (String, String),
    flash: Option<Flash>,
    payment: PaymentForm,
    payment_errors: FormErrors,
    void_error: Option<String>,
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
    let refused = payment_errors.is_refused() || void_error.is_some();
    let page = InvoicePage {
        chrome,
        flash,
        customer: (customer, data.customer.name),
        invoice: data.customer.invoice,
        payment: PaymentForm {
            key: if payment.key.is_empty() {
                new_key()
            } else {
                payment.key.clone()
            },
            ..payment
        },
        payment_errors,
        void_error,
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

/// `GET /admin/customers/{id}/invoices/{invoice}`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(ids): Path<(String, String)>,
    Query(params): Query<InvoiceParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    let payment = PaymentForm {
        method: "Bank transfer".into(),
        ..Default::default()
    };
    invoice_page(
        &console,
        &visitor,
        ids,
        flash,
        payment,
        FormErrors::none(),
        None,
    )
    .await
}

/// `POST …/payment`.
pub(super) async fn record_payment(
    State(console): State<Console>,
    visitor: Visitor,
    Path(ids): Path<(String, String)>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = record_offline_payment::Variables {
        input: record_offline_payment::RecordOfflinePaymentInput {
            invoice_id: ids.1.clone(),
            amount: form.amount.trim().to_owned(),
            method: form.method.clone(),
            reference: Some(form.reference.trim().to_owned()).filter(|r| !r.is_empty()),
            idempotency_key: Some(form.key.clone()).filter(|k| !k.is_empty()),
        },
    };
    match console
        .run::<RecordOfflinePayment>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            let route = Route::Invoice(ids.0, ids.1);
            Ok(Redirect::to(&Flash::PaymentRecorded.href(&route)).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| PAYMENT_FIELDS.contains(&f))?;
            invoice_page(&console, &visitor, ids, None, form, errors, None).await
        }
    }
}

/// `POST …/void`.
pub(super) async fn void(
    State(console): State<Console>,
    visitor: Visitor,
    Path(ids): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = void_invoice::Variables {
        input: void_invoice::SettleInvoiceInput {
            invoice_id: ids.1.clone(),
        },
    };
    match console
        .run::<VoidInvoice>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            let route = Route::Invoice(ids.0, ids.1);
            Ok(Redirect::to(&Flash::InvoiceVoided.href(&route)).into_response())
        }
        Err(error) => {
            let message = FormErrors::from_refusal(error, |_| false)?.form;
            let payment = PaymentForm::default();
            invoice_page(
                &console,
                &visitor,
                ids,
                None,
                payment,
                FormErrors::none(),
                message,
            )
            .await
        }
    }
}
