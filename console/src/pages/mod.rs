//! The console's pages, one folder per slice (the slice names of the whole code base). Each
//! slice registers its routes here and uses only the shared modules beside `pages`, never
//! another slice. A handler reads the request, runs one or two operations, and renders or
//! redirects (POST, then redirect, so a reload never repeats a change).

mod accounts;
mod catalog;
mod charges;
mod customers;
mod invoices;
mod payments;
mod sign_in;
mod subscriptions;
mod usage;
mod vault;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};

use crate::Console;
use crate::csp::csp_middleware;
use crate::route::{Route, path};

/// The console's pages and assets.
pub fn router<S: Clone + Send + Sync + 'static>(console: Console) -> Router<S> {
    Router::new()
        .route(path::HOME, get(home))
        .route(path::SIGN_IN, get(sign_in::form).post(sign_in::submit))
        .route(path::SIGN_OUT, post(sign_in::sign_out))
        .route(path::STYLESHEET, get(stylesheet))
        .merge(accounts::routes())
        .merge(catalog::routes())
        .merge(customers::routes())
        .merge(subscriptions::routes())
        .merge(charges::routes())
        .merge(invoices::routes())
        .merge(payments::routes())
        .merge(usage::routes())
        .merge(vault::routes())
        .layer(from_fn_with_state(
            console.clone(),
            web::site::middleware::<Console>,
        ))
        .layer(from_fn(csp_middleware))
        .with_state(console)
}

/// `GET /admin`: the customers, where the day's work starts.
async fn home() -> Redirect {
    Route::customers().redirect()
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/console.css"),
    )
}
