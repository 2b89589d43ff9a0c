//! The customers slice: finding a customer (name, company, e-mail, number), creating one, and
//! the customer's page with its tabs (subscriptions, invoices and credit notes, usage and
//! numbers, contacts, credits, addresses, payment methods, users, billing settings). The
//! charges tab is the charges slice's.

mod account;
mod create;
mod credits;
mod numbers;
mod profile;
mod records;
mod search;
mod settings;
mod show;
mod tabs;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The customers slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::CUSTOMERS, get(search::show))
        .route(path::NEW_CUSTOMER, get(create::form).post(create::submit))
        .route(path::CUSTOMER, get(show::show))
        .route(
            path::CUSTOMER_SETTINGS,
            get(settings::show).post(settings::save),
        )
        .route(path::CUSTOMER_TAGS, post(settings::save_tags))
        .route(path::CUSTOMER_PROFILE, post(profile::save))
        .route(path::CREDIT_ADJUSTMENT, post(credits::adjust))
        .route(path::APPLY_COUPON, post(credits::apply))
        .route(path::REMOVE_COUPON, post(credits::remove))
        .route(path::NEW_NUMBER, get(numbers::form))
        .route(path::NUMBERS, post(numbers::add))
        .route(path::RELEASE_NUMBER, post(numbers::release))
}
