//! The payments slice: the dunning queue, open invoices whose automatic collection failed,
//! with their next retry (or "exhausted").

mod dunning;

use axum::Router;
use axum::routing::get;

use crate::Console;
use crate::route::path;

/// The payments slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new().route(path::DUNNING, get(dunning::show))
}
