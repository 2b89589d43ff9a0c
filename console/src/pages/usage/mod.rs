//! The usage slice: importing usage and call records from CSV files, re-rating the calls no
//! tariff prefix matched, and the API keys platforms send usage with (operator admin only, as
//! the API decides): list, create (the secret shown once), revoke.

mod import;
mod keys;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The usage slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::API_KEYS, get(keys::show).post(keys::create))
        .route(path::REVOKE_API_KEY, post(keys::revoke))
        .route(
            path::USAGE,
            get(import::show)
                .post(import::import)
                .layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES)),
        )
        .route(path::RERATE_CALLS, post(import::rerate))
}
