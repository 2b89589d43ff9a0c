//! The usage slice: the API keys platforms send usage with (operator admin only, as the API
//! decides): list, create (the secret shown once), revoke.

mod keys;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The usage slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::API_KEYS, get(keys::show).post(keys::create))
        .route(path::REVOKE_API_KEY, post(keys::revoke))
}
