//! Typed execution of the console's operations and the translation of GraphQL errors into what
//! a page shows.

use graphql_client::{GraphQLQuery, Response};

use crate::Console;
use crate::transport::GraphqlRequest;

/// Why an operation did not give data.
#[derive(Debug)]
pub enum ConsoleError {
    /// No session, or an expired one: sign in again.
    Unauthenticated,
    /// An input was refused; `field` names it as the schema does (e.g. `input.email`).
    Field {
        /// The input field at fault.
        field: String,
        /// What to tell the user.
        message: String,
    },
    /// The staff member's role does not allow this (the API's refusal, shown as it is).
    Forbidden(String),
    /// What was asked for does not exist.
    NotFound(String),
    /// The change cannot be made now (a conflict, unpaid invoices to confirm, too many
    /// requests): show the message and let the user try again.
    Rejected {
        /// The error's `extensions.code` (`CONFLICT`, `UNPAID_INVOICES`, …).
        code: String,
        /// What to tell the user.
        message: String,
    },
    /// Anything else (internal, transport): the text is for the log, never for the page.
    Internal(String),
}

impl Console {
    /// Runs operation `Q` with `variables` as the holder of `session`.
    pub(crate) async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
        session: Option<&str>,
    ) -> Result<Q::ResponseData, ConsoleError> {
        let body = serde_json::to_value(Q::build_query(variables))
            .map_err(|e| ConsoleError::Internal(e.to_string()))?;
        let raw = self
            .transport
            .execute(GraphqlRequest { body }, session)
            .await
            .map_err(|e| ConsoleError::Internal(format!("transport: {e}")))?;
        // Errors first: with an error, `data` is partial and may not fit the operation's types.
        let data = refusal_or_data(raw)?;
        serde_json::from_value(data)
            .map_err(|e| ConsoleError::Internal(format!("unexpected GraphQL data: {e}")))
    }
}

/// The first error of an answer as a [`ConsoleError`], else its `data`.
fn refusal_or_data(raw: serde_json::Value) -> Result<serde_json::Value, ConsoleError> {
    let response: Response<serde_json::Value> = serde_json::from_value(raw)
        .map_err(|e| ConsoleError::Internal(format!("unexpected GraphQL response: {e}")))?;
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
            "UNAUTHENTICATED" => ConsoleError::Unauthenticated,
            "FORBIDDEN" => ConsoleError::Forbidden(error.message),
            "NOT_FOUND" => ConsoleError::NotFound(error.message),
            "BAD_USER_INPUT" => ConsoleError::Field {
                field: extension("field").unwrap_or_default(),
                message: error.message,
            },
            "CONFLICT" | "UNPAID_INVOICES" | "OVERDUE_INVOICES" | "PAYMENT_FAILED"
            | "QUOTE_EXPIRED" | "QUOTE_STALE" | "RATE_LIMITED" => ConsoleError::Rejected {
                code,
                message: error.message,
            },
            _ => ConsoleError::Internal(error.message),
        });
    }
    response
        .data
        .ok_or_else(|| ConsoleError::Internal("no data and no error".into()))
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
            refusal_or_data(answer("FORBIDDEN")),
            Err(ConsoleError::Forbidden(m)) if m == "m"
        ));
        assert!(matches!(
            refusal_or_data(answer("BAD_USER_INPUT")),
            Err(ConsoleError::Field { field, .. }) if field == "input.amount"
        ));
        assert!(matches!(
            refusal_or_data(answer("UNPAID_INVOICES")),
            Err(ConsoleError::Rejected { code, .. }) if code == "UNPAID_INVOICES"
        ));
        assert!(matches!(
            refusal_or_data(answer("INTERNAL")),
            Err(ConsoleError::Internal(_))
        ));
        assert_eq!(
            refusal_or_data(json!({ "data": { "a": 1 } })).ok(),
            Some(json!({ "a": 1 }))
        );
    }
}
