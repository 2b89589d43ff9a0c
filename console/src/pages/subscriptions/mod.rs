//! The subscriptions slice: a new subscription for a customer (its lines priced from the
//! catalog), changing one (its lines, a license line's seats through a binding quote, and its
//! invoice details), and cancelling, pausing and resuming one from the customer's
//! subscriptions tab.
//! The API decides who may (support may not) and computes every amount.

mod done;
mod items;
mod lifecycle;
mod new;
mod seats;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The subscriptions slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::NEW_SUBSCRIPTION, get(new::show))
        .route(path::SUBSCRIPTIONS, post(new::create))
        .route(path::SUBSCRIPTION, get(items::show))
        .route(path::SUBSCRIPTION_ITEMS, post(items::add))
        .route(path::SUBSCRIPTION_ITEM, post(items::change))
        .route(path::SUBSCRIPTION_DETAILS, post(items::details))
        .route(path::SEATS_QUOTE, post(seats::quote))
        .route(path::SEATS_APPLY, post(seats::apply))
        .route(path::CANCEL_SUBSCRIPTION, post(lifecycle::cancel))
        .route(
            path::SUBSCRIPTION_AUTOMATIC_PAYMENT,
            post(lifecycle::automatic_payment),
        )
        .route(path::PAUSE_SUBSCRIPTION, post(lifecycle::pause))
        .route(path::RESUME_SUBSCRIPTION, post(lifecycle::resume))
}
