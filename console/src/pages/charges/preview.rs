//! `POST …/charges/preview`: the invoice the charges would make, as the API computes it
//! (nothing is written), with "Create invoice" and "Leave unbilled"; `POST …/charges`: the
//! charges created with the API's `createCharges`, once (an idempotency key chosen with the
//! preview), or the form again with the API's refusal beside the field at fault.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::entry::{ADD_LINE, ChargeValues, ChargesForm};
use super::tab::form_page;
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::client::ConsoleError;
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, idempotency_key};
use crate::html::render;
use crate::operations::{CreateCharges, PreviewCharges, create_charges, preview_charges};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label, period};

/// The preview page.
#[derive(Template)]
#[template(path = "charges/preview.html")]
struct PreviewPage {
    chrome: Chrome,
    customer: CustomerFrame,
    /// The form's values, carried on in hidden fields.
    form: ChargesForm,
    /// The invoice it would make.
    invoice: preview_charges::PreviewChargesPreviewCharges,
    /// Why the creation was refused, when it was.
    error: Option<String>,
}

impl PreviewPage {
    /// "1 Dec 2026".
    fn day(&self, date: &chrono::NaiveDate) -> String {
        day(*date)
    }

    /// The period the invoice covers.
    fn period(&self) -> String {
        period(self.invoice.period_start, self.invoice.period_end)
    }

    /// A line's kind in words.
    fn kind(&self, kind: &preview_charges::LineKind) -> String {
        label(kind)
    }

    /// Where "Create invoice" and "Leave unbilled" post.
    fn create_route(&self) -> Route {
        Route::Charges(self.customer.id.clone())
    }

    /// Where "Change the charges" posts.
    fn edit_route(&self) -> Route {
        Route::PreviewCharges(self.customer.id.clone())
    }

    /// Whether an amount (decimal text) is zero.
    fn is_zero(&self, amount: &str) -> bool {
        amount
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
    }
}

/// The charges in the preview's input type.
fn preview_charge(c: ChargeValues) -> preview_charges::ChargeInput {
    preview_charges::ChargeInput {
        description: c.description,
        amount: c.amount,
        product_id: c.product_id,
        quantity: c.quantity,
        unit_price: c.unit_price,
        service_period_start: None,
        service_period_end: None,
        taxable: None,
    }
}

/// The charges in the creation's input type.
fn create_charge(c: ChargeValues) -> create_charges::ChargeInput {
    create_charges::ChargeInput {
        description: c.description,
        amount: c.amount,
        product_id: c.product_id,
        quantity: c.quantity,
        unit_price: c.unit_price,
        service_period_start: None,
        service_period_end: None,
        taxable: None,
    }
}

/// Places a refusal on the form: next to its field, or above the form.
fn place(form: &ChargesForm, error: ConsoleError) -> Result<FormErrors, ConsoleError> {
    if let ConsoleError::Field { field, message } = &error
        && let Some(id) = form.field_id(field)
    {
        return Ok(FormErrors::on(&id, message.clone()));
    }
    FormErrors::from_refusal(error, |_| false)
}

/// The preview of `form`'s charges, or the form again with the API's refusal.
async fn preview_page(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    form: ChargesForm,
    error: Option<String>,
) -> Result<Response, PageError> {
    let variables = preview_charges::Variables {
        input: preview_charges::ChargesInput {
            customer_id: id.to_owned(),
            subscription_id: None,
            charges: form.charges().into_iter().map(preview_charge).collect(),
            po_number: form.po_number(),
            notes: form.notes(),
            coupon_code: None,
            coupon_id: None,
        },
    };
    match console
        .run::<PreviewCharges>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let page = PreviewPage {
                chrome: visitor.chrome(console, Nav::Customers).await?,
                customer: CustomerFrame::load(console, visitor, id, Tab::Charges).await?,
                form,
                invoice: data.preview_charges,
                error,
            };
            let status = if page.error.is_some() {
                StatusCode::CONFLICT
            } else {
                StatusCode::OK
            };
            Ok(render(status, &page))
        }
        Err(refusal) => {
            let errors = place(&form, refusal)?;
            form_page(console, visitor, id, form, errors, None).await
        }
    }
}

/// `POST /admin/customers/{id}/charges/preview` ("Preview"; "Change the charges" from the
/// preview, which shows the form again with its values; or "Add a line", which shows it with
/// one more row).
pub(super) async fn preview(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let mut form = ChargesForm::from_fields(fields);
    visitor.verify_form(&form.csrf)?;
    if form.action == "edit" || form.action == ADD_LINE {
        return form_page(&console, &visitor, &id, form, FormErrors::none(), None).await;
    }
    form.key = idempotency_key();
    preview_page(&console, &visitor, &id, form, None).await
}

/// `POST /admin/customers/{id}/charges`: "Create invoice" (`timing=invoice_now`) or "Leave
/// unbilled" (`timing=unbilled`).
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let form = ChargesForm::from_fields(fields);
    visitor.verify_form(&form.csrf)?;
    let invoice_now = form.timing == "invoice_now";
    let variables = create_charges::Variables {
        input: create_charges::CreateChargesInput {
            customer_id: id.clone(),
            subscription_id: None,
            charges: form.charges().into_iter().map(create_charge).collect(),
            po_number: form.po_number(),
            notes: form.notes(),
            coupon_code: None,
            coupon_id: None,
            timing: if invoice_now {
                create_charges::ChargeTiming::INVOICE_NOW
            } else {
                create_charges::ChargeTiming::ADD_TO_UNBILLED
            },
            confirm_unpaid_invoices: form.confirm_unpaid,
            idempotency_key: Some(form.key.clone()).filter(|k| !k.is_empty()),
        },
    };
    match console
        .run::<CreateCharges>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) if invoice_now => {
            let route = Route::Customer(id, Tab::Invoices);
            Ok(Redirect::to(&Flash::ChargesInvoiced.href(&route)).into_response())
        }
        Ok(_) => {
            let route = Route::Charges(id);
            Ok(Redirect::to(&Flash::ChargesUnbilled.href(&route)).into_response())
        }
        // Unpaid invoices to confirm: the preview again, which offers the confirmation.
        Err(ConsoleError::Rejected { code, message }) if code == "UNPAID_INVOICES" => {
            preview_page(&console, &visitor, &id, form, Some(message)).await
        }
        Err(refusal) => {
            let errors = place(&form, refusal)?;
            form_page(&console, &visitor, &id, form, errors, None).await
        }
    }
}
