//! Settling an invoice from its page: `POST …/payment` records money received outside the
//! processor (a bank transfer; once, by the idempotency key chosen with the page), `POST
//! …/void` voids an open invoice (it keeps its number).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::invoice::{CsrfOnly, InvoiceForms, PAYMENT_FIELDS, PaymentForm, after_change};
use crate::Console;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::operations::{RecordOfflinePayment, VoidInvoice, record_offline_payment, void_invoice};
use crate::session::Visitor;

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
    let outcome = console
        .run::<RecordOfflinePayment>(variables, Some(&visitor.session))
        .await;
    after_change(
        &console,
        &visitor,
        ids,
        outcome,
        Flash::PaymentRecorded,
        |error| {
            Ok(InvoiceForms {
                payment_errors: FormErrors::from_refusal(error, |f| PAYMENT_FIELDS.contains(&f))?,
                payment: form,
                ..InvoiceForms::default()
            })
        },
    )
    .await
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
    let outcome = console
        .run::<VoidInvoice>(variables, Some(&visitor.session))
        .await;
    after_change(
        &console,
        &visitor,
        ids,
        outcome,
        Flash::InvoiceVoided,
        |error| {
            Ok(InvoiceForms {
                void_error: FormErrors::from_refusal(error, |_| false)?.form,
                ..InvoiceForms::default()
            })
        },
    )
    .await
}
