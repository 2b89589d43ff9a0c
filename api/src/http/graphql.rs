//! `/graphql`: our own small GraphQL-over-HTTP handler on top of async-graphql.
//!
//! - POST with `Content-Type: application/json` (anything else: 415, which also closes the
//!   `text/plain` and form CSRF holes of simple cross-site requests);
//! - GET for queries only (a mutation over GET: 405 with `Allow: POST`);
//! - `Accept` negotiation between `application/graphql-response+json` and `application/json`
//!   (neither acceptable: 406), with the spec's status codes: request errors are 400 under the
//!   former and 200 under the latter;
//! - body limit (413), no batching (400), depth and complexity limits in the schema;
//! - no subscriptions (400): they are served over WebSocket (`super::ws`);
//! - credentials presented but invalid: 401 `UNAUTHENTICATED`.

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Request, Variables};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::header::{ACCEPT, ALLOW, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::auth::{Credentials, credentials};
use super::introspection::{Introspection, introspection_of};
use super::metrics::{OperationLabel, sanitise_label};
use super::negotiate::{ResponseFormat, is_json_content_type, negotiate};
use crate::auth::Actor;
use crate::error::ErrorCode;
use crate::error::ServiceError;
use crate::graphql::RequestId;
use crate::graphql::errors::{ensure_codes, error_body, is_request_error};
use crate::services::usage::keys::{ApiKeyGrant, SECRET_PREFIX, Scope};
use crate::state::AppState;

/// Query-string parameters of a GET request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
}

/// POST /graphql.
pub async fn post(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(format) = negotiate(&headers) else {
        return not_acceptable();
    };
    if !is_json_content_type(&headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format,
            ErrorCode::BadUserInput,
            "Content-Type must be application/json",
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!(
                    "request body exceeds {} bytes",
                    app.config.graphql.max_body_bytes
                )
            } else {
                "could not read the request body".to_owned()
            };
            return error_response(status, format, ErrorCode::BadUserInput, &message);
        }
    };
    let request = match parse_body(&body) {
        Ok(request) => request,
        Err(message) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                format,
                ErrorCode::BadUserInput,
                message,
            );
        }
    };
    execute(&app, &headers, request, format).await
}

/// GET /graphql: queries only; GraphiQL for browsers in development.
pub async fn get(
    State(app): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let wants_html = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let Some(format) = negotiate(&headers) else {
        if wants_html && !app.config.is_production() {
            return graphiql();
        }
        return not_acceptable();
    };
    let Ok(Query(params)) = params else {
        return error_response(
            StatusCode::BAD_REQUEST,
            format,
            ErrorCode::BadUserInput,
            "malformed query string",
        );
    };
    let Some(query) = params.query else {
        if wants_html && !app.config.is_production() {
            return graphiql();
        }
        return error_response(
            StatusCode::BAD_REQUEST,
            format,
            ErrorCode::BadUserInput,
            "missing `query` parameter",
        );
    };
    let mut request = Request::new(query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        match serde_json::from_str::<serde_json::Value>(&variables) {
            Ok(value @ serde_json::Value::Object(_)) => {
                request = request.variables(Variables::from_json(value));
            }
            _ => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    format,
                    ErrorCode::BadUserInput,
                    "`variables` must be a JSON object",
                );
            }
        }
    }
    if operation_of(&mut request)
        .0
        .is_some_and(|ty| ty != OperationType::Query)
    {
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            format,
            ErrorCode::BadUserInput,
            "mutations must be sent with POST",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(&app, &headers, request, format).await
}

async fn execute(
    app: &AppState,
    headers: &HeaderMap,
    request: Request,
    format: ResponseFormat,
) -> Response {
    let accounts = &app.services.accounts;
    let mut grant = None;
    let actor = match credentials(headers) {
        Credentials::None => Ok((Actor::Anonymous, None)),
        Credentials::Malformed => Err(ServiceError::Unauthenticated),
        Credentials::Bearer(token) if token.starts_with(SECRET_PREFIX) => app
            .services
            .api_keys
            .authenticate(&token)
            .await
            .map(|(actor, key)| {
                grant = Some(key);
                (actor, None)
            }),
        Credentials::Bearer(token) => accounts
            .authenticate(&token)
            .await
            .map(|(actor, rows)| (actor, Some(rows))),
        Credentials::SessionCookie(token) => match accounts.authenticate(&token).await {
            Err(ServiceError::Unauthenticated) => Ok((Actor::Anonymous, None)),
            other => other.map(|(actor, rows)| (actor, Some(rows))),
        },
    };
    let (actor, signed_in) = match actor {
        Ok(caller) => caller,
        Err(ServiceError::Unauthenticated) => {
            let mut response = error_response(
                StatusCode::UNAUTHORIZED,
                format,
                ErrorCode::Unauthenticated,
                "invalid or expired credentials",
            );
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            return response;
        }
        Err(error) => {
            let status = if error.code() == ErrorCode::Internal {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::BAD_REQUEST
            };
            let error: async_graphql::Error = error.into();
            return error_response(status, format, ErrorCode::Internal, &error.message);
        }
    };
    let mut request = request;
    let (operation_type, operation) = operation_of(&mut request);
    if operation_type == Some(OperationType::Subscription) {
        return error_response(
            StatusCode::BAD_REQUEST,
            format,
            ErrorCode::BadUserInput,
            "subscriptions are served over WebSocket at /graphql/ws (graphql-transport-ws)",
        );
    }
    // An API key runs only what its scopes allow, whatever the resolvers would let staff do.
    if let Some(grant) = &grant
        && let Err(message) = key_allows(grant, &mut request)
    {
        return error_response(
            StatusCode::FORBIDDEN,
            format,
            ErrorCode::Forbidden,
            &message,
        );
    }
    let schema = match (&app.introspection_schema, introspection_of(&mut request)) {
        (_, Introspection::Absent) => &app.schema,
        (Some(introspection), Introspection::Only) => introspection,
        (Some(_), Introspection::Mixed) => &app.schema,
        // async-graphql answers disabled introspection with a silent `null`: say it instead.
        (None, _) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                format,
                ErrorCode::BadUserInput,
                "introspection (__schema, __type) is disabled in production",
            );
        }
    };
    let mut request = request.data(actor);
    if let Some(signed_in) = signed_in {
        request = request.data(signed_in);
    }
    if let Some(id) = headers.get("x-request-id").and_then(|v| v.to_str().ok()) {
        request = request.data(RequestId(id.to_owned()));
    }
    let mut response = schema.execute(request).await;
    ensure_codes(&mut response);
    let request_error = is_request_error(&response);
    let status = if format == ResponseFormat::GraphqlResponse && request_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = match response_body(&response, request_error) {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "cannot serialise a GraphQL response");
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                format,
                ErrorCode::Internal,
                "internal error",
            );
        }
    };
    let mut http = (status, [(CONTENT_TYPE, format.content_type())], body).into_response();
    http.extensions_mut().insert(OperationLabel(operation));
    http
}

/// The response as JSON. A request error (nothing executed: syntax, validation, limits) has no
/// `data` entry at all, as GraphQL-over-HTTP asks, rather than `"data": null`.
fn response_body(
    response: &async_graphql::Response,
    request_error: bool,
) -> serde_json::Result<Vec<u8>> {
    if !request_error {
        return serde_json::to_vec(response);
    }
    let mut value = serde_json::to_value(response)?;
    if let Some(object) = value.as_object_mut() {
        object.remove("data");
    }
    serde_json::to_vec(&value)
}

/// Reads a POST body: one JSON object. Arrays (batches) are refused.
fn parse_body(body: &[u8]) -> Result<Request, &'static str> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| "request body is not valid JSON")?;
    match value {
        serde_json::Value::Object(_) => {
            serde_json::from_value(value).map_err(|_| "request body is not a GraphQL request")
        }
        serde_json::Value::Array(_) => Err("batched requests are not supported"),
        _ => Err("request body must be a JSON object"),
    }
}

/// The type of the operation a request would run and its label for metrics. The parse is kept
/// in the request, so the executor does not parse again. A query that does not parse gives no
/// type and is left to the executor, which reports the syntax error. Several operations and no
/// name: the type is that of any operation that writes, so a GET cannot smuggle a mutation.
fn operation_of(request: &mut Request) -> (Option<OperationType>, String) {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return (None, "invalid".to_owned());
    };
    let (ty, label) = match (&document.operations, name.as_deref()) {
        (DocumentOperations::Single(op), name) => (Some(op.node.ty), name.map(str::to_owned)),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            (ops.get(name).map(|op| op.node.ty), Some(name.to_owned()))
        }
        (DocumentOperations::Multiple(ops), None) => (
            ops.values()
                .map(|op| op.node.ty)
                .find(|ty| *ty != OperationType::Query)
                .or(Some(OperationType::Query)),
            None,
        ),
    };
    let label = label
        .or_else(|| match &document.operations {
            DocumentOperations::Multiple(ops) if ops.len() == 1 => {
                ops.keys().next().map(|n| n.to_string())
            }
            _ => None,
        })
        .map_or_else(|| "anonymous".to_owned(), |l| sanitise_label(&l));
    (ty, label)
}

/// The mutations an API key with `usage:write` may run.
const KEY_MUTATIONS: [&str; 3] = ["recordUsage", "recordCalls", "__typename"];

/// Whether an API key's scopes allow the request's operation: queries need `read`; mutations
/// need `usage:write` and may only select `recordUsage` or `recordCalls` (named directly at the root, not
/// through a fragment). A query that does not parse is left to the executor.
fn key_allows(grant: &ApiKeyGrant, request: &mut Request) -> Result<(), String> {
    use async_graphql::parser::types::Selection;
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return Ok(());
    };
    let operation = match (&document.operations, name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    };
    let Some(operation) = operation else {
        return Ok(());
    };
    let needs = |scope: Scope| {
        if grant.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(format!("this API key lacks the `{}` scope", scope.as_str()))
        }
    };
    match operation.node.ty {
        OperationType::Query => needs(Scope::Read),
        OperationType::Mutation => {
            needs(Scope::UsageWrite)?;
            for selection in &operation.node.selection_set.node.items {
                match &selection.node {
                    Selection::Field(field)
                        if KEY_MUTATIONS.contains(&field.node.name.node.as_str()) => {}
                    _ => {
                        return Err("an API key may only run the `recordUsage` mutation".to_owned());
                    }
                }
            }
            Ok(())
        }
        OperationType::Subscription => Err("subscriptions are not served".to_owned()),
    }
}

fn error_response(
    status: StatusCode,
    format: ResponseFormat,
    code: ErrorCode,
    message: &str,
) -> Response {
    (
        status,
        [(CONTENT_TYPE, format.content_type())],
        error_body(code, message).to_string(),
    )
        .into_response()
}

fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Accept application/graphql-response+json or application/json",
    )
        .into_response()
}

fn graphiql() -> Response {
    Html(
        async_graphql::http::GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Billfold GraphiQL")
            .finish(),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation(query: &str, name: Option<&str>) -> (Option<OperationType>, String) {
        let mut request = Request::new(query);
        if let Some(name) = name {
            request = request.operation_name(name);
        }
        operation_of(&mut request)
    }

    #[test]
    fn operations_are_typed_and_labelled() {
        let mutation = Some(OperationType::Mutation);
        let query = Some(OperationType::Query);
        assert_eq!(operation("mutation { login }", None).0, mutation);
        assert_eq!(
            operation("{ viewer { user { id } } }", None),
            (query, "anonymous".into())
        );
        assert_eq!(
            operation("query Probe { a }", None),
            (query, "Probe".into())
        );
        assert_eq!(
            operation("query A { a } mutation B { b }", Some("B")).0,
            mutation
        );
        assert_eq!(
            operation("query A { a } mutation B { b }", Some("A")).0,
            query
        );
        assert_eq!(
            operation("query A { a } mutation B { b }", None).0,
            mutation
        );
        assert_eq!(operation("{ broken", None).0, None);
    }

    #[test]
    fn batches_are_refused() {
        assert!(parse_body(br#"[{"query":"{a}"}]"#).is_err());
        assert!(parse_body(br#"{"query":"{a}"}"#).is_ok());
        assert!(parse_body(b"query { a }").is_err());
    }
}
