//! A subscription's lifecycle from the customer's subscriptions tab: `POST
//! /admin/customers/cus_…/subscriptions/sub_…/cancel` (at the end of the period, or now with
//! the proration the API computes), `…/pause`, `…/resume`, and `…/automatic-payment` (on or
//! off). Each redirects back to the tab
//! with a confirmation; the API's refusal (a role, a state that does not allow it) is shown
//! as the error page says.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::error::PageError;
use crate::flash::Flash;
use crate::operations::{
    CancelSubscription, PauseSubscription, ResumeSubscription, SetSubscriptionAutomaticPayment,
    cancel_subscription, pause_subscription, resume_subscription,
    set_subscription_automatic_payment,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;

/// The cancel form.
#[derive(Deserialize)]
pub(super) struct CancelForm {
    csrf: String,
    /// `END_OF_PERIOD` or `NOW`.
    when: String,
}

/// The automatic payment switch.
#[derive(Deserialize)]
pub(super) struct AutomaticPaymentForm {
    csrf: String,
    /// `on` or `off`.
    automatic_payment: String,
}

/// A form that carries only the CSRF token.
#[derive(Deserialize)]
pub(super) struct CsrfOnly {
    csrf: String,
}

/// Back to the subscriptions tab with `flash`.
fn back(customer: String, flash: Flash) -> Response {
    Redirect::to(&flash.href(&Route::Customer(customer, Tab::Subscriptions))).into_response()
}

/// `POST …/cancel`.
pub(super) async fn cancel(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let when = match form.when.as_str() {
        "END_OF_PERIOD" => cancel_subscription::CancelWhen::END_OF_PERIOD,
        "NOW" => cancel_subscription::CancelWhen::NOW,
        _ => return Err(PageError::BadRequest("Choose when it ends.".into())),
    };
    let variables = cancel_subscription::Variables {
        input: cancel_subscription::CancelSubscriptionInput {
            subscription_id: subscription,
            when,
        },
    };
    console
        .run::<CancelSubscription>(variables, Some(&visitor.session))
        .await?;
    Ok(back(customer, Flash::SubscriptionCancelled))
}

/// `POST …/pause`.
pub(super) async fn pause(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = pause_subscription::SubscriptionIdInput {
        subscription_id: subscription,
    };
    console
        .run::<PauseSubscription>(
            pause_subscription::Variables { input },
            Some(&visitor.session),
        )
        .await?;
    Ok(back(customer, Flash::SubscriptionPaused))
}

/// `POST …/resume`.
pub(super) async fn resume(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = resume_subscription::SubscriptionIdInput {
        subscription_id: subscription,
    };
    console
        .run::<ResumeSubscription>(
            resume_subscription::Variables { input },
            Some(&visitor.session),
        )
        .await?;
    Ok(back(customer, Flash::SubscriptionResumed))
}

/// `POST …/automatic-payment`.
pub(super) async fn automatic_payment(
    State(console): State<Console>,
    visitor: Visitor,
    Path((customer, subscription)): Path<(String, String)>,
    Form(form): Form<AutomaticPaymentForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let enabled = match form.automatic_payment.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return Err(PageError::BadRequest(
                "Choose whether it is paid automatically.".into(),
            ));
        }
    };
    let input = set_subscription_automatic_payment::SetSubscriptionAutomaticPaymentInput {
        subscription_id: subscription,
        enabled,
    };
    console
        .run::<SetSubscriptionAutomaticPayment>(
            set_subscription_automatic_payment::Variables { input },
            Some(&visitor.session),
        )
        .await?;
    let flash = if enabled {
        Flash::AutomaticPaymentOn
    } else {
        Flash::AutomaticPaymentOff
    };
    Ok(back(customer, flash))
}
