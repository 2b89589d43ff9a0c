//! How the portal reaches the GraphQL API.

pub use web::api::{GraphqlRequest, TransportError, TransportFuture};

/// A file for the documents vault, as the portal's upload form sent it: uploads are not
/// GraphQL (see the API's `POST /documents`), so they have their own call.
#[derive(Clone, Debug)]
pub struct DocumentUpload {
    /// The document type's name (`company_registration`, …, `other`).
    pub kind: String,
    /// The file name the browser sent.
    pub file_name: String,
    /// For a proof of address: the address (`addr_…`).
    pub address_id: Option<String>,
    /// The file.
    pub bytes: Vec<u8>,
}

/// Executes GraphQL requests (and document uploads) on behalf of the portal.
pub trait Transport: Send + Sync + 'static {
    /// Runs `request` as the holder of `session` (a bearer token), or anonymously, and returns
    /// the GraphQL response body (`{"data", "errors"}`).
    fn execute<'a>(
        &'a self,
        request: GraphqlRequest,
        session: Option<&'a str>,
    ) -> TransportFuture<'a>;

    /// Uploads a document as the holder of `session`, as `POST /documents` with a bearer
    /// token would; returns that route's JSON answer (`{"document"}` or `{"errors"}`).
    fn upload<'a>(&'a self, upload: DocumentUpload, session: &'a str) -> TransportFuture<'a>;
}
