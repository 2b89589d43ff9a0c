//! The accounts slice: signing in and out, and the account page.

mod account;
mod sign_in;

use axum::Router;
use axum::routing::{get, post};

use crate::Portal;
use crate::route::path;

/// The accounts slice's routes.
pub(super) fn routes() -> Router<Portal> {
    Router::new()
        .route(path::SIGN_IN, get(sign_in::form).post(sign_in::submit))
        .route(path::SIGN_OUT, post(sign_in::sign_out))
        .route(path::ACCOUNT, get(account::show))
}
