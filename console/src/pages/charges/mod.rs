//! The charges slice: "Add one-time addons and quick charges" on a customer's charges tab, the
//! preview of the invoice they would make (computed by the API, nothing written), then the
//! invoice created now or the charges left for the next invoice. Every refusal comes from the
//! API and shows next to the field at fault. A charge left unbilled may be removed until an
//! invoice takes it.

mod entry;
mod preview;
mod remove;
mod tab;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The charges slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::CHARGES, get(tab::show).post(preview::create))
        .route(path::PREVIEW_CHARGES, post(preview::preview))
        .route(path::REMOVE_CHARGE, post(remove::remove))
}
