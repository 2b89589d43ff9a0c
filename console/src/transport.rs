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

/// A file of the documents vault, as its download gives it (downloads are not GraphQL: see
/// the API's `GET /documents/{id}`).
#[derive(Clone, Debug)]
pub struct DocumentFile {
    /// Its content type, sniffed at upload (`application/pdf`, `image/png`, `image/jpeg`).
    pub content_type: String,
    /// The name it was uploaded with.
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A boxed future of a download: the file, or `None` when there is none the session may read.
pub type DownloadFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<DocumentFile>, TransportError>> + Send + 'a>>;

/// Executes GraphQL requests (and document downloads) on behalf of the console.
pub trait Transport: Send + Sync + 'static {
    /// Runs `request` as the holder of `session` (a bearer token), or anonymously, and returns
    /// the GraphQL response body (`{"data", "errors"}`).
    fn execute<'a>(
        &'a self,
        request: GraphqlRequest,
        session: Option<&'a str>,
    ) -> TransportFuture<'a>;

    /// Downloads document `id` (`doc_…`) of the vault as the holder of `session`, as
    /// `GET /documents/{id}` with a bearer token would.
    fn download<'a>(&'a self, id: &'a str, session: &'a str) -> DownloadFuture<'a>;
}
