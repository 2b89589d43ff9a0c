//! Typed execution of the portal's operations and the translation of GraphQL errors into what a
//! page shows.

use graphql_client::{GraphQLQuery, Response};

use crate::Portal;
use crate::transport::GraphqlRequest;

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
    /// The change can no longer be made as quoted (expired or stale quote, conflict): show the
    /// message and let the user start again.
    Rejected(String),
    /// Anything else (internal, transport): shown as a general message.
    Other(String),
}

impl Portal {
    /// Runs operation `Q` with `variables` as the holder of `session`.
    pub(crate) async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
        session: Option<&str>,
    ) -> Result<Q::ResponseData, PortalError> {
        let body = serde_json::to_value(Q::build_query(variables))
            .map_err(|e| PortalError::Other(e.to_string()))?;
        let raw = self
            .transport
            .execute(GraphqlRequest { body }, session)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "portal transport failed");
                PortalError::Other("The service is unavailable. Please try again.".into())
            })?;
        let response: Response<Q::ResponseData> = serde_json::from_value(raw).map_err(|e| {
            tracing::error!(error = %e, "unexpected GraphQL response");
            PortalError::Other("Unexpected answer from the service.".into())
        })?;
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
                Some("QUOTE_EXPIRED" | "QUOTE_STALE" | "CONFLICT" | "NOT_FOUND") => {
                    PortalError::Rejected(error.message)
                }
                Some("BAD_USER_INPUT") => PortalError::Field {
                    field: extension("field").unwrap_or_default(),
                    message: error.message,
                },
                _ => PortalError::Other(error.message),
            });
        }
        response
            .data
            .ok_or_else(|| PortalError::Other("The service returned no data.".into()))
    }
}
