//! The HTTP surface: `/graphql` (subscriptions over WebSocket at `/graphql/ws` and, for the
//! console, `/admin/graphql/ws`), the portal at `/`, the operator console at `/admin`, document
//! PDFs, the documents vault's uploads and downloads, usage (`/api/v3/usage`, `/usage/import`,
//! `/calls/import`), consumption exports (`/exports/…`), Stripe's webhooks (`/webhooks/stripe`),
//! and the operations endpoints, wrapped in request ids, tracing and metrics.

pub mod auth;
mod documents;
mod exports;
mod graphql;
mod introspection;
pub mod metrics;
mod negotiate;
mod ops;
pub mod usage;
pub mod vault;
mod webhooks;
mod ws;

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderName;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::state::AppState;
use metrics::OperationLabel;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application router.
pub fn router(app: AppState) -> Router {
    let graphql = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .layer(DefaultBodyLimit::max(app.config.graphql.max_body_bytes));
    // Its own limit: exactly the largest file accepted, so one byte more is refused unread.
    let uploads = Router::new()
        .route("/documents", post(vault::upload))
        .layer(DefaultBodyLimit::max(
            crate::services::vault::file::MAX_BYTES,
        ));
    // Usage: its own limit, 10,000 records with room to spare.
    let usage = Router::new()
        .route("/api/v3/usage", post(usage::chargeover))
        .route("/usage/import", post(usage::import_csv))
        .route("/calls/import", post(usage::import_calls_csv))
        .layer(DefaultBodyLimit::max(usage::MAX_BODY_BYTES));
    let webhooks = Router::new()
        .route("/webhooks/stripe", post(webhooks::stripe))
        .layer(DefaultBodyLimit::max(webhooks::MAX_BODY_BYTES));
    Router::new()
        .merge(graphql)
        .merge(webhooks)
        .merge(uploads)
        .merge(usage)
        .route("/documents/{id}", get(vault::download))
        .route("/invoices/{file}", get(documents::invoice_pdf))
        .route("/credit-notes/{file}", get(documents::credit_note_pdf))
        .route("/exports/{file}", get(exports::consumption))
        .route("/graphql/ws", get(ws::api))
        .route("/admin/graphql/ws", get(ws::console))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .merge(console::router(app.console.clone()))
        .merge(portal::router(app.portal.clone()))
        .layer(middleware::from_fn_with_state(app.clone(), track_metrics))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let request_id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %request_id,
                )
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn(drop_unusable_request_id))
        .with_state(app)
}

/// A client may pass its own `x-request-id` to correlate logs, but it ends up in logs and
/// audit entries: anything longer than 64 characters or outside `[A-Za-z0-9._-]` is dropped
/// (and a fresh id generated).
async fn drop_unusable_request_id(mut request: Request, next: Next) -> Response {
    let usable = request.headers().get(&REQUEST_ID).is_none_or(|value| {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 64
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    });
    if !usable {
        request.headers_mut().remove(&REQUEST_ID);
    }
    next.run(request).await
}

/// Counts every request by operation (GraphQL operation name, else the matched route) and status.
async fn track_metrics(
    State(app): State<AppState>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = matched.map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let response = next.run(request).await;
    let operation = response
        .extensions()
        .get::<OperationLabel>()
        .map_or(route, |label| label.0.clone());
    app.metrics
        .record(&operation, response.status().as_u16(), started.elapsed());
    response
}
