//! The portal's pages, one folder per slice (the slice names of the whole code base). Each
//! slice registers its routes here and uses only the shared modules beside `pages`, never
//! another slice. A handler reads the request, runs one or two operations, and renders or
//! redirects (POST, then redirect, so a reload never repeats a change).

mod accounts;
mod invoices;
mod licenses;
mod overview;
mod payments;
mod usage;
mod vault;

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::Portal;
use crate::csp::csp_middleware;
use crate::route::path;

/// The portal's pages and assets.
pub fn router<S: Clone + Send + Sync + 'static>(portal: Portal) -> Router<S> {
    Router::new()
        .merge(overview::routes())
        .merge(accounts::routes())
        .merge(licenses::routes())
        .merge(invoices::routes())
        .merge(vault::routes())
        .merge(payments::routes())
        .merge(usage::routes())
        .route(path::STYLESHEET, get(stylesheet))
        .route(path::STRIPE_SCRIPT, get(stripe_script))
        .layer(from_fn_with_state(
            portal.clone(),
            web::site::middleware::<Portal>,
        ))
        .layer(from_fn(csp_middleware))
        .with_state(portal)
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/portal.css"),
    )
}

/// The one script of the portal: it drives Stripe.js on the two Stripe pages (the Payment
/// Element, and a payment's authentication). A file, never inline, under `script-src 'self'`.
async fn stripe_script() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/stripe-payments.js"),
    )
}
