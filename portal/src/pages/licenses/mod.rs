//! The licenses slice: the licenses page, the quote journey, the pages of an item's seats and
//! the seat forms.
//!
//! Dependencies flow one way: the form handlers (`quote`, `assignments`) show the pages again
//! with their refusals through the pages' renderers (`list`, `seats`), and everything uses the
//! shared pieces in `view`, which uses none of them.

mod assignments;
mod list;
mod quote;
mod seats;
mod view;

use axum::Router;
use axum::routing::{get, post};

use crate::Portal;
use crate::route::path;

/// The licenses slice's routes.
pub(super) fn routes() -> Router<Portal> {
    Router::new()
        .route(path::LICENSES, get(list::show))
        .route(path::QUOTE, post(quote::quote))
        .route(path::APPLY_QUOTE, post(quote::apply))
        .route(path::ASSIGN, post(assignments::assign))
        .route(path::UNASSIGN, post(assignments::unassign))
        .route(path::SEATS, get(seats::show))
}
