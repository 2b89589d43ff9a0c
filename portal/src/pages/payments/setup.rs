//! Adding a card or a SEPA Direct Debit account with Stripe's Payment Element (Stripe mode
//! only): the page mounts the element (Stripe.js, under the page's own CSP) with the client
//! secret of a SetupIntent begun for the organisation, and Stripe returns the browser to
//! `/payment-methods/setup/complete`, which records what Stripe says was saved and goes back
//! to the methods page. Card and account details never reach Billfold.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::methods::{organisation_id, render_refusal};
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::csp::allow_stripe;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::html::render;
use crate::operations::{
    BeginPaymentMethodSetup, CompletePaymentMethodSetup, PaymentMethods,
    begin_payment_method_setup, complete_payment_method_setup, payment_methods,
};
use crate::route::{Route, SetupMethod};
use crate::session::Visitor;

/// The Payment Element page.
#[derive(Template)]
#[template(path = "payments/setup.html")]
struct SetupPage {
    /// The frame.
    chrome: Chrome,
    /// "Add a card".
    heading: &'static str,
    /// What the form asks for.
    lede: &'static str,
    /// Whether it adds a SEPA Direct Debit account (the mandate's wording).
    sepa: bool,
    /// Stripe's publishable key.
    publishable_key: String,
    /// The SetupIntent's client secret (this organisation's user only).
    client_secret: String,
}

/// `?kind=` of the page.
#[derive(Deserialize, Default)]
pub(super) struct KindQuery {
    kind: Option<String>,
}

/// `GET /payment-methods/setup?kind=card|sepa_debit`: not found unless Stripe is configured.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    query: Result<Query<KindQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    if portal.config.stripe_publishable_key.is_none() {
        return Err(PageError::NotFound);
    }
    let kind = query
        .map(|Query(q)| q)
        .unwrap_or_default()
        .kind
        .as_deref()
        .and_then(SetupMethod::from_param)
        .ok_or(PageError::NotFound)?;
    let data = portal
        .run::<PaymentMethods>(payment_methods::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let variables = begin_payment_method_setup::Variables {
        input: begin_payment_method_setup::BeginPaymentMethodSetupInput {
            customer_id: organisation.id,
            kind: match kind {
                SetupMethod::Card => begin_payment_method_setup::PaymentMethodSetupKind::CARD,
                SetupMethod::SepaDebit => {
                    begin_payment_method_setup::PaymentMethodSetupKind::SEPA_DEBIT
                }
            },
        },
    };
    let begun = portal
        .run::<BeginPaymentMethodSetup>(variables, Some(&visitor.session))
        .await?
        .begin_payment_method_setup;
    let (heading, lede) = match kind {
        SetupMethod::Card => ("Add a card", "Your card"),
        SetupMethod::SepaDebit => (
            "Add a SEPA Direct Debit account",
            "Your bank account (IBAN)",
        ),
    };
    let page = SetupPage {
        chrome: visitor.chrome(
            Nav::PaymentMethods,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        heading,
        lede,
        sepa: kind == SetupMethod::SepaDebit,
        publishable_key: begun.publishable_key,
        client_secret: begun.client_secret,
    };
    Ok(allow_stripe(render(StatusCode::OK, &page)))
}

/// What Stripe adds to the return URL (its client secret and status are not trusted: the
/// server asks Stripe).
#[derive(Deserialize, Default)]
pub(super) struct ReturnQuery {
    setup_intent: Option<String>,
}

/// `GET /payment-methods/setup/complete?setup_intent=seti_…`: records the method Stripe saved
/// (idempotent, like the webhook that may come first) and goes back to the methods page with
/// a confirmation, or shows why it was not saved there.
pub(super) async fn complete(
    State(portal): State<Portal>,
    visitor: Visitor,
    query: Result<Query<ReturnQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let setup = query
        .map(|Query(q)| q)
        .unwrap_or_default()
        .setup_intent
        .filter(|id| !id.is_empty())
        .ok_or(PageError::NotFound)?;
    let customer_id = organisation_id(&portal, &visitor).await?;
    let variables = complete_payment_method_setup::Variables {
        input: complete_payment_method_setup::CompletePaymentMethodSetupInput {
            customer_id,
            setup_intent_id: setup,
        },
    };
    match portal
        .run::<CompletePaymentMethodSetup>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::PaymentMethodAdded)
            .redirect(&Route::PaymentMethods)
            .into_response()),
        Err(crate::client::PortalError::NotFound(_)) => Err(PageError::NotFound),
        Err(error) => render_refusal(&portal, &visitor, error).await,
    }
}
