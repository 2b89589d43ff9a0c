//! How the console reaches the GraphQL API.

use std::future::Future;
use std::pin::Pin;

/// One GraphQL request, as the wire format's JSON body.
#[derive(Clone, Debug)]
pub struct GraphqlRequest {
    /// The request body: `{"query", "operationName", "variables"}`.
    pub body: serde_json::Value,
}

/// The transport could not deliver the request (not a GraphQL error: those are in the body).
#[derive(Debug, thiserror::Error)]
#[error("GraphQL transport failed: {0}")]
pub struct TransportError(pub String);

/// A boxed future of a GraphQL response body.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<serde_json::Value, TransportError>> + Send + 'a>>;

/// Executes GraphQL requests on behalf of the console.
pub trait Transport: Send + Sync + 'static {
    /// Runs `request` as the holder of `session` (a bearer token), or anonymously, and returns
    /// the GraphQL response body (`{"data", "errors"}`).
    fn execute<'a>(
        &'a self,
        request: GraphqlRequest,
        session: Option<&'a str>,
    ) -> TransportFuture<'a>;
}
