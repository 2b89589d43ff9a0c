//! `POST /admin/customers/cus_…/invoices/inv_…/refund`: part or all of one of the invoice's
//! payments given back, once per idempotency key chosen with the page (a resubmitted form
//! refunds once). The API decides how much may still be refunded; a refusal shows the invoice
//! page again with the message beside that payment.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::invoice::{InvoiceForms, after_change};
use crate::Console;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::operations::{RefundPayment, refund_payment};
use crate::session::Visitor;

/// The refund form of one payment, as posted.
#[derive(Deserialize)]
pub(super) struct RefundForm {
    csrf: String,
    /// The payment (`pay_…`).
    payment: String,
    amount: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    key: String,
}

/// `POST …/refund`.
pub(super) async fn refund(
    State(console): State<Console>,
    visitor: Visitor,
    Path(ids): Path<(String, String)>,
    Form(form): Form<RefundForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = refund_payment::Variables {
        input: refund_payment::RefundPaymentInput {
            payment_id: form.payment.clone(),
            amount: form.amount.trim().to_owned(),
            reason: Some(form.reason.trim().to_owned()).filter(|r| !r.is_empty()),
            idempotency_key: Some(form.key.clone()).filter(|k| !k.is_empty()),
        },
    };
    let outcome = console
        .run::<RefundPayment>(variables, Some(&visitor.session))
        .await;
    after_change(
        &console,
        &visitor,
        ids,
        outcome,
        Flash::RefundIssued,
        |error| {
            let refusal = FormErrors::from_refusal(error, |_| false)?;
            Ok(InvoiceForms {
                refund_error: refusal.form.map(|message| (form.payment, message)),
                ..InvoiceForms::default()
            })
        },
    )
    .await
}
