//! The accounts slice: the operator's staff users (operator admin only, as the API decides),
//! the signed-in staff member's own password, and the whole audit log (every staff role).

mod audit;
mod password;
mod staff;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::path;

/// The accounts slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::STAFF, get(staff::show).post(staff::create))
        .route(path::STAFF_ROLE, post(staff::change_role))
        .route(path::STAFF_ACCESS, post(staff::change_access))
        .route(path::PASSWORD, get(password::show).post(password::change))
        .route(path::AUDIT, get(audit::show))
}
