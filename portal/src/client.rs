//! Typed execution of the portal's operations and the translation of GraphQL errors into what a
//! page shows.

use graphql_client::{GraphQLQuery, Response};

use crate::Portal;
use crate::transport::{DocumentUpload, GraphqlRequest};

/// Why an operation did not give data.
#[derive(Debug)]
pub enum PortalError {
    /// No session, or an expired one: sign in again.
    Unauthenticated,
    /// An input was refused; `field` names it as the schema does (e.g. `input.email`).
    Field {
        /// The input field at fault.
        field: String,
        /// What to tell the user.
        message: String,
    },
    /// The user's role does not allow this.
    Forbidden(String),
    /// What was asked for does not exist, or belongs to another organisation.
    NotFound(String),
    /// The change can no longer be made as quoted (expired or stale quote, conflict), or not
    /// now (payment failed, too many requests): show the message and let the user try again.
    Rejected(String),
    /// Anything else (internal, transport): the text is for the log, never for the page.
    Internal(String),
}

impl Portal {
    /// Runs operation `Q` with `variables` as the holder of `session`.
    pub(crate) async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
        session: Option<&str>,
    ) -> Result<Q::ResponseData, PortalError> {
        let body = serde_json::to_value(Q::build_query(variables))
            .map_err(|e| PortalError::Internal(e.to_string()))?;
        let raw = self
            .transport
            .execute(GraphqlRequest { body }, session)
            .await
            .map_err(|e| PortalError::Internal(format!("transport: {e}")))?;
        // Logged where the error becomes a page (`PageError::Internal`), once.
        // Errors first: with an error, `data` is partial (a non-null field that failed nulls its
        // parent), so it may not fit the operation's types although the error says why.
        let data = refusal_or_data(raw)?;
        serde_json::from_value(data)
            .map_err(|e| PortalError::Internal(format!("unexpected GraphQL data: {e}")))
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
        let data = refusal_or_data(raw)?;
        data["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| PortalError::Internal(format!("an upload answered {data}")))
    }
}

/// The first error of an answer (GraphQL's, or the upload route's of the same shape) as a
/// [`PortalError`], else its `data` (or, for an upload, its `document`).
fn refusal_or_data(raw: serde_json::Value) -> Result<serde_json::Value, PortalError> {
    let raw = if raw.get("document").is_some() {
        serde_json::json!({ "data": raw["document"] })
    } else {
        raw
    };
    let response: Response<serde_json::Value> = serde_json::from_value(raw)
        .map_err(|e| PortalError::Internal(format!("unexpected GraphQL response: {e}")))?;
    if let Some(error) = response.errors.unwrap_or_default().into_iter().next() {
        let extension = |name: &str| {
            error
                .extensions
                .as_ref()
                .and_then(|e| e.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        return Err(match extension("code").as_deref() {
            Some("UNAUTHENTICATED") => PortalError::Unauthenticated,
            Some("FORBIDDEN") => PortalError::Forbidden(error.message),
            Some("NOT_FOUND") => PortalError::NotFound(error.message),
            Some(
                "QUOTE_EXPIRED" | "QUOTE_STALE" | "CONFLICT" | "PAYMENT_FAILED"
                | "OVERDUE_INVOICES" | "RATE_LIMITED",
            ) => PortalError::Rejected(error.message),
            Some("BAD_USER_INPUT") => PortalError::Field {
                field: extension("field").unwrap_or_default(),
                message: error.message,
            },
            _ => PortalError::Internal(error.message),
        });
    }
    response
        .data
        .ok_or_else(|| PortalError::Internal("no data and no error".into()))
}

impl PortalError {
    /// The message to show next to the form that caused it, for errors a form can correct
    /// (bad input, a refused or stale change, something that is gone); the error itself
    /// otherwise, for [`crate::error::PageError`] to render.
    pub(crate) fn form_message(self) -> Result<String, PortalError> {
        match self {
            PortalError::Field { message, .. }
            | PortalError::Rejected(message)
            | PortalError::NotFound(message) => Ok(message),
            other => Err(other),
        }
    }
}
