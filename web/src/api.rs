//! The UIs as GraphQL clients: the request they send, and the translation of an answer's
//! errors into what a page shows ([`ApiError`]), one place for both UIs.

use std::future::Future;
use std::pin::Pin;

use graphql_client::{GraphQLQuery, Response};

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

/// Why an operation did not give data.
#[derive(Debug)]
pub enum ApiError {
    /// No session, or an expired one: sign in again.
    Unauthenticated,
    /// An input was refused; `field` names it as the schema does (e.g. `input.email`).
    Field {
        /// The input field at fault.
        field: String,
        /// What to tell the user.
        message: String,
    },
    /// The user's role does not allow this (the API's refusal, shown as it is).
    Forbidden(String),
    /// What was asked for does not exist, or is another organisation's.
    NotFound(String),
    /// The change cannot be made now or no longer as it was asked (a conflict, an expired or
    /// stale quote, unpaid invoices, a failed payment, too many requests): show the message
    /// and let the user try again.
    Rejected {
        /// The error's `extensions.code` (`CONFLICT`, `QUOTE_STALE`, …).
        code: String,
        /// What to tell the user.
        message: String,
    },
    /// Anything else (internal, transport): the text is for the log, never for the page.
    Internal(String),
}

impl ApiError {
    /// The message to show next to the form that caused it, for errors a form can correct
    /// (bad input, a refused or stale change, something that is gone); the error itself
    /// otherwise, for the page error to render.
    pub fn form_message(self) -> Result<String, ApiError> {
        match self {
            ApiError::Field { message, .. }
            | ApiError::Rejected { message, .. }
            | ApiError::NotFound(message) => Ok(message),
            other => Err(other),
        }
    }
}

/// The request for operation `Q` with `variables`.
pub fn request<Q: GraphQLQuery>(variables: Q::Variables) -> Result<GraphqlRequest, ApiError> {
    let body = serde_json::to_value(Q::build_query(variables))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(GraphqlRequest { body })
}

/// Operation `Q`'s data from what the transport answered, or why there is none.
pub fn decode<Q: GraphQLQuery>(
    answer: Result<serde_json::Value, TransportError>,
) -> Result<Q::ResponseData, ApiError> {
    let raw = answer.map_err(|e| ApiError::Internal(format!("transport: {e}")))?;
    // Errors first: with an error, `data` is partial (a non-null field that failed nulls its
    // parent), so it may not fit the operation's types although the error says why.
    let data = refusal_or_data(raw)?;
    serde_json::from_value(data)
        .map_err(|e| ApiError::Internal(format!("unexpected GraphQL data: {e}")))
}

/// The first error of an answer as an [`ApiError`], else its `data`.
pub fn refusal_or_data(raw: serde_json::Value) -> Result<serde_json::Value, ApiError> {
    let response: Response<serde_json::Value> = serde_json::from_value(raw)
        .map_err(|e| ApiError::Internal(format!("unexpected GraphQL response: {e}")))?;
    if let Some(error) = response.errors.unwrap_or_default().into_iter().next() {
        let extension = |name: &str| {
            error
                .extensions
                .as_ref()
                .and_then(|e| e.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let code = extension("code").unwrap_or_default();
        return Err(match code.as_str() {
            "UNAUTHENTICATED" => ApiError::Unauthenticated,
            "FORBIDDEN" => ApiError::Forbidden(error.message),
            "NOT_FOUND" => ApiError::NotFound(error.message),
            "BAD_USER_INPUT" => ApiError::Field {
                field: extension("field").unwrap_or_default(),
                message: error.message,
            },
            "CONFLICT" | "UNPAID_INVOICES" | "OVERDUE_INVOICES" | "PAYMENT_FAILED"
            | "QUOTE_EXPIRED" | "QUOTE_STALE" | "RATE_LIMITED" => ApiError::Rejected {
                code,
                message: error.message,
            },
            _ => ApiError::Internal(error.message),
        });
    }
    response
        .data
        .ok_or_else(|| ApiError::Internal("no data and no error".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_code_becomes_its_error() {
        let answer = |code: &str| {
            json!({ "data": null, "errors": [{ "message": "m",
                "extensions": { "code": code, "field": "input.amount" } }] })
        };
        assert!(matches!(
            refusal_or_data(answer("UNAUTHENTICATED")),
            Err(ApiError::Unauthenticated)
        ));
        assert!(matches!(
            refusal_or_data(answer("FORBIDDEN")),
            Err(ApiError::Forbidden(m)) if m == "m"
        ));
        assert!(matches!(
            refusal_or_data(answer("NOT_FOUND")),
            Err(ApiError::NotFound(m)) if m == "m"
        ));
        assert!(matches!(
            refusal_or_data(answer("BAD_USER_INPUT")),
            Err(ApiError::Field { field, .. }) if field == "input.amount"
        ));
        assert!(matches!(
            refusal_or_data(answer("QUOTE_STALE")),
            Err(ApiError::Rejected { code, .. }) if code == "QUOTE_STALE"
        ));
        assert!(matches!(
            refusal_or_data(answer("INTERNAL")),
            Err(ApiError::Internal(_))
        ));
        assert_eq!(
            refusal_or_data(json!({ "data": { "a": 1 } })).ok(),
            Some(json!({ "a": 1 }))
        );
        assert!(matches!(
            refusal_or_data(json!({ "data": null })),
            Err(ApiError::Internal(_))
        ));
    }

    #[test]
    fn a_form_shows_what_it_can_correct_and_passes_on_the_rest() {
        let field = ApiError::Field {
            field: "input.email".into(),
            message: "not an e-mail".into(),
        };
        assert_eq!(field.form_message().ok().as_deref(), Some("not an e-mail"));
        assert!(ApiError::Unauthenticated.form_message().is_err());
        assert!(ApiError::Forbidden("no".into()).form_message().is_err());
    }
}
