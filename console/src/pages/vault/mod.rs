//! The vault slice: the documents waiting for review, each downloadable, accepted or rejected
//! with a reason (support may review, as the API decides).

mod review;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The vault slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::DOCUMENTS, get(review::show))
        .route(path::REVIEW_DOCUMENT, post(review::review))
        .route(path::DOCUMENT, get(review::download))
}
