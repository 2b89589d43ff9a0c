//! How the console reaches the GraphQL API.

use std::future::Future;
use std::pin::Pin;

pub use web::api::{GraphqlRequest, TransportError, TransportFuture};

/// A file staff download: downloads are not GraphQL (see the API's `GET /documents/{id}`,
/// `GET /invoices/{id}.pdf` and `GET /credit-notes/{id}.pdf`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileRequest {
    /// A document of the vault (`doc_…`).
    Document(String),
    /// An invoice's PDF (`inv_…`).
    InvoicePdf(String),
    /// A credit note's PDF (`cn_…`).
    CreditNotePdf(String),
}

/// A file, as its download gives it.
#[derive(Clone, Debug)]
pub struct DocumentFile {
    /// Its content type (`application/pdf`, `image/png`, `image/jpeg`).
    pub content_type: String,
    /// Its name.
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// What a CSV file staff upload holds: uploads are not GraphQL (see the API's
/// `POST /usage/import` and `POST /calls/import`), so they have their own call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// Usage records of metered items.
    Usage,
    /// Call records of telephone numbers, rated as they are recorded.
    Calls,
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

    /// Downloads `file` as the holder of `session`, as its API route with a bearer token
    /// would: `None` for one that does not exist or that the session may not read.
    fn download<'a>(&'a self, file: &'a FileRequest, session: &'a str) -> DownloadFuture<'a>;

    /// Imports a CSV file of `kind` as the holder of `session`, as its API route with a
    /// bearer token would; returns that route's JSON answer (the counts, or `{"errors"}` with
    /// every bad row in `extensions.rows`).
    fn import<'a>(
        &'a self,
        kind: ImportKind,
        csv: Vec<u8>,
        session: &'a str,
    ) -> TransportFuture<'a>;
}
