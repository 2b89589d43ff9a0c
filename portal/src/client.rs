//! Typed execution of the portal's operations, and document uploads. How a GraphQL error
//! becomes what a page shows is the `web` crate's ([`web::api::ApiError`]), shared with the
//! console.

use graphql_client::GraphQLQuery;

use crate::Portal;
use crate::transport::DocumentUpload;

/// Why an operation did not give data.
pub use web::api::ApiError as PortalError;

impl Portal {
    /// Runs operation `Q` with `variables` as the holder of `session`.
    pub(crate) async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
        session: Option<&str>,
    ) -> Result<Q::ResponseData, PortalError> {
        // Logged where the error becomes a page (`PageError::Internal`), once.
        let request = web::api::request::<Q>(variables)?;
        web::api::decode::<Q>(self.transport.execute(request, session).await)
    }

    /// Uploads a document to the vault as the holder of `session`; the document's id.
    pub(crate) async fn upload(
        &self,
        upload: DocumentUpload,
        session: &str,
    ) -> Result<String, PortalError> {
        let raw = self
            .transport
            .upload(upload, session)
            .await
            .map_err(|e| PortalError::Internal(format!("transport: {e}")))?;
        // The upload route answers `{"document"}` or GraphQL's `{"errors"}`.
        let raw = match raw.get("document") {
            Some(document) => serde_json::json!({ "data": document }),
            None => raw,
        };
        let data = web::api::refusal_or_data(raw)?;
        data["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| PortalError::Internal(format!("an upload answered {data}")))
    }
}
