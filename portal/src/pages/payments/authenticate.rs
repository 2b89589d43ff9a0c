//! The page where the card's bank asks the customer to confirm a payment. With the sandbox it
//! shows the two outcomes as buttons, "Authenticate" and "Fail authentication" (Stripe's own
//! test page offers the same choice). With Stripe it loads Stripe.js (this response's CSP
//! allows it) and its button runs `stripe.handleNextAction` with the payment's client secret
//! (the bank's challenge, in Stripe's frame), then posts the same answer as the sandbox's
//! "Authenticate": the server asks Stripe where the payment is now.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::invoice::declined;
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::csp::allow_stripe;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::html::render;
use crate::operations::{
    ConfirmPaymentAuthentication, PaymentAttempt, confirm_payment_authentication, payment_attempt,
};
use crate::route::Route;
use crate::session::Visitor;

/// The authentication page.
#[derive(Template)]
#[template(path = "payments/authenticate.html")]
struct AuthenticatePage {
    /// The frame.
    chrome: Chrome,
    /// `patt_…`.
    attempt: String,
    /// The invoice (`inv_…`).
    invoice: String,
    /// The invoice's payments page.
    back: Route,
    /// The amount, for people.
    amount: String,
    /// The method, for people.
    method: String,
    /// Whether it still waits (an answered one shows a link back instead).
    waiting: bool,
    /// Whether the user may answer (viewers may not).
    can_answer: bool,
    /// With Stripe, what Stripe.js needs (only while it waits, for those who may answer).
    stripe: Option<StripeAuthentication>,
    /// Whether payments go through Stripe (no sandbox buttons then).
    stripe_mode: bool,
}

/// What Stripe.js needs on the page.
struct StripeAuthentication {
    /// Stripe's publishable key.
    publishable_key: String,
    /// The PaymentIntent's client secret.
    client_secret: String,
}

/// `?attempt=` of the page.
#[derive(Deserialize, Default)]
pub(super) struct AttemptQuery {
    attempt: Option<String>,
}

/// `GET /payments/authenticate?attempt=patt_…`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    query: Result<Query<AttemptQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let id = query
        .map(|Query(q)| q)
        .unwrap_or_default()
        .attempt
        .filter(|id| !id.is_empty())
        .ok_or(PageError::NotFound)?;
    let data = portal
        .run::<PaymentAttempt>(payment_attempt::Variables { id }, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let attempt = data.payment_attempt;
    let page = AuthenticatePage {
        chrome: visitor.chrome(
            Nav::Invoices,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        back: Route::InvoicePayments(attempt.invoice_id.clone()),
        invoice: attempt.invoice_id,
        attempt: attempt.id,
        amount: attempt.amount.formatted,
        method: attempt.method,
        waiting: matches!(
            attempt.status,
            payment_attempt::PaymentAttemptStatus::REQUIRES_ACTION
        ),
        can_answer: data.viewer.user.role.can_change(),
        stripe: attempt.authentication.map(|a| StripeAuthentication {
            publishable_key: a.publishable_key,
            client_secret: a.client_secret,
        }),
        stripe_mode: portal.config.stripe_publishable_key.is_some(),
    };
    let response = render(StatusCode::OK, &page);
    Ok(if page.stripe.is_some() {
        allow_stripe(response)
    } else {
        response
    })
}

/// The page's two buttons.
#[derive(Deserialize)]
pub(super) struct AnswerFields {
    csrf: String,
    #[serde(default)]
    attempt: String,
    #[serde(default)]
    invoice: String,
    #[serde(default)]
    outcome: String,
}

/// `POST /payments/authenticate`: passed (the invoice's payments with the confirmation) or
/// failed (the invoice's payments with the decline next to the pay form).
pub(super) async fn answer(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<AnswerFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = confirm_payment_authentication::Variables {
        input: confirm_payment_authentication::ConfirmPaymentAuthenticationInput {
            attempt_id: fields.attempt.clone(),
            passed: fields.outcome == "pass",
        },
    };
    match portal
        .run::<ConfirmPaymentAuthentication>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::InvoicePaid)
            .redirect(&Route::InvoicePayments(fields.invoice))
            .into_response()),
        Err(error @ (PortalError::Rejected { .. } | PortalError::Field { .. })) => {
            let decline = error.form_message()?;
            declined(&portal, &visitor, fields.invoice, decline).await
        }
        Err(other) => Err(other.into()),
    }
}
