//! GraphQL subscriptions over WebSocket, protocol graphql-transport-ws (async-graphql-axum's):
//!
//! - `/graphql/ws` for API clients, authenticated by `{"authorization": "Bearer …"}` in the
//!   `connection_init` payload, with the token rules of `/graphql` (a refused token, or none,
//!   closes the connection; API keys may not subscribe there either);
//! - `/admin/graphql/ws` for the console's script, authenticated by the console's session
//!   cookie at the upgrade, and only from the server's own origin: a browser sends the cookie
//!   with a WebSocket opened by any site, so another site's page could otherwise subscribe as
//!   the signed-in staff member (cross-site WebSocket hijacking).
//!
//! Both run subscriptions only: queries and mutations go to `/graphql`, where the HTTP limits,
//! the API keys' scopes and the metrics apply.

use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, HOST, ORIGIN, SEC_WEBSOCKET_PROTOCOL};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use futures_util::stream::{self, BoxStream, StreamExt};

use super::auth::{Credentials, credentials};
use crate::error::{ErrorCode, ServiceError};
use crate::graphql::BillfoldSchema;
use crate::graphql::errors::ensure_codes;
use crate::services::usage::keys::SECRET_PREFIX;
use crate::state::AppState;

/// The only protocol served.
const PROTOCOL: &str = "graphql-transport-ws";

/// GET /graphql/ws.
pub async fn api(
    State(app): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    let Some(protocol) = transport_ws(&headers).await else {
        return refuse(StatusCode::BAD_REQUEST, "use graphql-transport-ws");
    };
    let executor = SubscriptionsOnly(app.schema.clone());
    upgrade
        .protocols([PROTOCOL])
        .on_upgrade(move |socket| async move {
            GraphQLWebSocket::new(socket, executor, protocol)
                .on_connection_init(
                    move |payload| async move { authenticate(&app, &payload).await },
                )
                .serve()
                .await;
        })
}

/// GET /admin/graphql/ws: the console's session cookie, from the server's own origin only.
pub async fn console(
    State(app): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    if !same_origin(&headers, app.config.public_url.as_deref()) {
        return refuse(StatusCode::FORBIDDEN, "cross-origin WebSocket refused");
    }
    let Some(protocol) = transport_ws(&headers).await else {
        return refuse(StatusCode::BAD_REQUEST, "use graphql-transport-ws");
    };
    let Some(token) = web::cookies::get(&headers, console::SESSION_COOKIE) else {
        return refuse(StatusCode::UNAUTHORIZED, "sign in to the console first");
    };
    let data = match app.services.accounts.authenticate(&token).await {
        Ok((actor, signed_in)) => {
            let mut data = Data::default();
            data.insert(actor);
            data.insert(signed_in);
            data
        }
        Err(ServiceError::Unauthenticated) => {
            return refuse(StatusCode::UNAUTHORIZED, "the console session has ended");
        }
        Err(error) => {
            tracing::error!(?error, "authenticating a console WebSocket");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    let executor = SubscriptionsOnly(app.schema.clone());
    upgrade
        .protocols([PROTOCOL])
        .on_upgrade(move |socket| async move {
            GraphQLWebSocket::new(socket, executor, protocol)
                .with_data(data)
                .serve()
                .await;
        })
}

/// graphql-transport-ws, when the client offered it (the legacy graphql-ws is not served).
async fn transport_ws(headers: &HeaderMap) -> Option<GraphQLProtocol> {
    let offered = headers
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim().eq_ignore_ascii_case(PROTOCOL));
    if !offered {
        return None;
    }
    // The extractor is the only way to name the protocol: ask it about this one alone.
    let (mut parts, ()) = axum::http::Request::builder()
        .header(SEC_WEBSOCKET_PROTOCOL, PROTOCOL)
        .body(())
        .ok()?
        .into_parts();
    GraphQLProtocol::from_request_parts(&mut parts, &())
        .await
        .ok()
}

/// The actor of a `connection_init` payload, as `/graphql` would authenticate its
/// `Authorization` header; an error closes the connection (its message is the close reason,
/// so it stays short).
async fn authenticate(app: &AppState, payload: &serde_json::Value) -> async_graphql::Result<Data> {
    let authorization = payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
        .and_then(serde_json::Value::as_str);
    let mut headers = HeaderMap::new();
    if let Some(value) = authorization {
        let value = HeaderValue::from_str(value)
            .map_err(|_| async_graphql::Error::new("invalid credentials"))?;
        headers.insert(AUTHORIZATION, value);
    }
    let token = match credentials(&headers) {
        Credentials::Bearer(token) => token,
        Credentials::None | Credentials::SessionCookie(_) => {
            return Err(async_graphql::Error::new(
                "send {\"authorization\": \"Bearer <token>\"} in connection_init",
            ));
        }
        Credentials::Malformed => return Err(async_graphql::Error::new("invalid credentials")),
    };
    if token.starts_with(SECRET_PREFIX) {
        return Err(async_graphql::Error::new("API keys cannot subscribe"));
    }
    match app.services.accounts.authenticate(&token).await {
        Ok((actor, signed_in)) => {
            let mut data = Data::default();
            data.insert(actor);
            data.insert(signed_in);
            Ok(data)
        }
        Err(ServiceError::Unauthenticated) => {
            Err(async_graphql::Error::new("invalid or expired credentials"))
        }
        Err(error) => {
            tracing::error!(?error, "authenticating a WebSocket");
            Err(async_graphql::Error::new("internal error"))
        }
    }
}

/// Whether the request's `Origin` is this server: the `Host` it was sent to, or the configured
/// public URL (behind a proxy that rewrites `Host`). No `Origin` is refused: browsers always
/// send one with a WebSocket, and the route is for the console's page only.
fn same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some(authority) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let public = public_url.map(|url| url.trim_end_matches('/'));
    host.is_some_and(|host| host.eq_ignore_ascii_case(authority))
        || public.is_some_and(|public| public.eq_ignore_ascii_case(origin))
}

fn refuse(status: StatusCode, message: &'static str) -> HttpResponse {
    (status, message).into_response()
}

/// The schema, running subscriptions only, with the error codes `/graphql` gives.
#[derive(Clone)]
struct SubscriptionsOnly(BillfoldSchema);

impl Executor for SubscriptionsOnly {
    async fn execute(&self, request: Request) -> Response {
        // graphql-transport-ws sends every operation through `execute_stream`.
        self.execute_stream(request, None)
            .next()
            .await
            .unwrap_or_default()
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let name = request.operation_name.clone();
        let subscription = request.parsed_query().is_ok_and(|document| {
            use async_graphql::parser::types::DocumentOperations;
            match (&document.operations, name.as_deref()) {
                (DocumentOperations::Single(op), _) => op.node.ty == OperationType::Subscription,
                (DocumentOperations::Multiple(ops), Some(name)) => ops
                    .get(name)
                    .is_some_and(|op| op.node.ty == OperationType::Subscription),
                // One named operation, without `operationName`: that one.
                (DocumentOperations::Multiple(ops), None) => {
                    ops.len() == 1
                        && ops
                            .values()
                            .all(|op| op.node.ty == OperationType::Subscription)
                }
            }
        });
        if !subscription {
            let mut error = ServerError::new(
                "only subscriptions are served over WebSocket: send queries and mutations to \
                 POST /graphql",
                None,
            );
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", ErrorCode::BadUserInput.as_str());
            return stream::once(async move { Response::from_errors(vec![error]) }).boxed();
        }
        Executor::execute_stream(&self.0, request, session_data)
            .map(|mut response| {
                ensure_codes(&mut response);
                response
            })
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_str(host).expect("host"));
        if let Some(origin) = origin {
            headers.insert(ORIGIN, HeaderValue::from_str(origin).expect("origin"));
        }
        headers
    }

    #[test]
    fn only_the_servers_own_origin_is_same_origin() {
        let own = headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert!(same_origin(&own, None));
        assert!(!same_origin(
            &headers(Some("https://evil.example"), "127.0.0.1:8080"),
            None
        ));
        assert!(!same_origin(
            &headers(Some("http://127.0.0.1:9999"), "127.0.0.1:8080"),
            None
        ));
        assert!(!same_origin(&headers(None, "127.0.0.1:8080"), None));
        assert!(!same_origin(&headers(Some("null"), "127.0.0.1:8080"), None));
        // Behind a proxy that rewrites Host, the configured public URL.
        let proxied = headers(Some("https://billing.example.com"), "10.0.0.5:8080");
        assert!(same_origin(&proxied, Some("https://billing.example.com/")));
        assert!(!same_origin(&proxied, None));
    }
}
