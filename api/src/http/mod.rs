//! The HTTP surface: `/graphql`, the portal at `/`, and the operations endpoints, wrapped in
//! request ids, tracing and metrics.

pub mod auth;
mod graphql;
pub mod metrics;
mod ops;

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::HeaderName;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
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
    Router::new()
        .merge(graphql)
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
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
        .with_state(app)
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
