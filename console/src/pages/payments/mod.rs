//! The payments slice: the dunning page, every open invoice still owed with its automatic
//! collection's next retry (or that it gave up), and charging one again now.

mod dunning;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The payments slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::DUNNING, get(dunning::show))
        .route(path::RETRY_PAYMENT, post(dunning::retry))
}
