//! `POST /webhooks/stripe`: Stripe's events. The `Stripe-Signature` header is checked against
//! the raw body with `payments.stripe.webhook_secret` (constant-time, 300 s tolerance) before
//! anything is read from it; the event is then applied once by the payments service. Answers:
//! 200 when applied, already applied, of a type we do not act on, the detachment of a method
//! we do not hold (removed in the portal first), or a payment not applied because it does not
//! match its attempt (logged, audited); 400 (nothing written) for a forged, stale or malformed
//! event or one about another object that is not ours; 500 when it could not be applied now
//! (Stripe delivers it again); 404 when Stripe is not configured.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::ProcessorKind;
use crate::services::payments::stripe::signature::{self, SignatureError};
use crate::services::payments::webhooks::{EventError, EventOutcome};
use crate::state::AppState;

/// Largest event body accepted (Stripe's events are a few kilobytes).
pub const MAX_BODY_BYTES: usize = 512 * 1024;

fn refused(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

/// `POST /webhooks/stripe`.
pub async fn stripe(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let payments = &app.config.payments;
    let secret = match (&payments.processor, &payments.stripe.webhook_secret) {
        (ProcessorKind::Stripe, Some(secret)) => secret,
        _ => return refused(StatusCode::NOT_FOUND, "Stripe is not configured"),
    };
    let header = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    let now = app.services.clock.now().timestamp();
    if let Err(error) = signature::verify(header, &body, secret.expose(), now) {
        tracing::warn!(?error, "a Stripe webhook with a bad signature was refused");
        let message = match error {
            SignatureError::Missing => "no Stripe-Signature",
            SignatureError::Malformed => "malformed Stripe-Signature",
            SignatureError::Stale => "the signature's timestamp is outside the tolerance",
            SignatureError::Mismatch => "the signature does not match",
        };
        return refused(StatusCode::BAD_REQUEST, message);
    }
    match app.services.payments.apply_stripe_event(&body).await {
        Ok(outcome) => {
            let status = match outcome {
                EventOutcome::Applied => "applied",
                EventOutcome::Replayed => "already applied",
                EventOutcome::Ignored => "ignored",
            };
            (StatusCode::OK, axum::Json(json!({ "received": status }))).into_response()
        }
        Err(EventError::Malformed) => refused(StatusCode::BAD_REQUEST, "not a Stripe event"),
        Err(EventError::UnknownObject) => {
            tracing::warn!("a Stripe event about an object that is not ours was refused");
            refused(StatusCode::BAD_REQUEST, "unknown object")
        }
        Err(EventError::Failed(error)) => {
            tracing::error!(
                ?error,
                "applying a Stripe event failed; Stripe will send it again"
            );
            refused(StatusCode::INTERNAL_SERVER_ERROR, "try again later")
        }
    }
}
