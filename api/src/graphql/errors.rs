//! The one place where errors become GraphQL errors with `extensions.code`.

use async_graphql::{ErrorExtensionValues, Response};

use crate::error::{ErrorCode, ServiceError};
use ids::MalformedId;

impl From<ServiceError> for async_graphql::Error {
    fn from(error: ServiceError) -> Self {
        if let ServiceError::Internal(source) = &error {
            // The cause goes to the logs only; the client gets a bare INTERNAL.
            tracing::error!(error = ?source, "internal error");
        }
        let mut extensions = ErrorExtensionValues::default();
        extensions.set("code", error.code().as_str());
        if let ServiceError::BadInput { field, reason, .. } = &error {
            extensions.set("field", field.as_str());
            if let Some(reason) = reason {
                extensions.set("reason", *reason);
            }
        }
        if let ServiceError::UnpaidInvoices {
            count,
            amount_due,
            currency,
            ..
        } = &error
        {
            extensions.set("unpaidInvoices", *count);
            extensions.set("amountDue", amount_due.as_str());
            extensions.set("currency", currency.as_str());
        }
        if let ServiceError::PaymentFailed { decline_code, .. } = &error {
            extensions.set("declineCode", decline_code.as_str());
        }
        if let ServiceError::InvalidRecords(problems) = &error {
            if let Some(first) = problems.first() {
                extensions.set(
                    "field",
                    format!("records[{}].{}", first.position, first.field),
                );
            }
            let listed: Vec<async_graphql::Value> = problems
                .iter()
                .map(|p| {
                    let mut record = async_graphql::indexmap::IndexMap::new();
                    record.insert(
                        async_graphql::Name::new("position"),
                        async_graphql::Value::from(p.position as u64),
                    );
                    record.insert(
                        async_graphql::Name::new("field"),
                        async_graphql::Value::from(p.field.as_str()),
                    );
                    record.insert(
                        async_graphql::Name::new("message"),
                        async_graphql::Value::from(p.message.as_str()),
                    );
                    async_graphql::Value::Object(record)
                })
                .collect();
            extensions.set("records", async_graphql::Value::List(listed));
        }
        if let ServiceError::Refused { reason, .. } = &error {
            extensions.set("reason", *reason);
        }
        async_graphql::Error {
            message: error.public_message(),
            source: None,
            extensions: Some(extensions),
        }
    }
}

/// A malformed id argument is a bad input on that argument.
pub(crate) fn malformed_id(field: &str, error: MalformedId) -> ServiceError {
    ServiceError::bad_input(field, error.to_string())
}

/// Messages async-graphql gives an argument that does not coerce to its type (an `Int` out of
/// range inside an input object, say): raised while resolving, so they carry a path, but they
/// are the client's input errors.
const ARGUMENT_ERRORS: [&str; 2] = ["Failed to parse ", "Invalid value for argument "];

/// Gives every error of a response a code from the closed set. Errors raised by our services
/// already carry one. Of the rest, those before execution (no path: syntax, validation,
/// variable coercion, limits) and argument coercion failures are the client's input errors;
/// any other error raised while resolving a field escaped our conversion, so its text may be
/// internal: it is logged and replaced by a bare `INTERNAL`.
pub fn ensure_codes(response: &mut Response) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_some() {
            continue;
        }
        let argument_error = ARGUMENT_ERRORS.iter().any(|p| error.message.starts_with(p));
        if error.path.is_empty() || argument_error {
            extensions.set("code", ErrorCode::BadUserInput.as_str());
        } else {
            tracing::error!(message = %error.message, "uncoded error from a resolver");
            extensions.set("code", ErrorCode::Internal.as_str());
            error.message = "internal error".into();
        }
    }
}

/// A response body with one error and no data, for failures outside the executor.
pub fn error_body(code: ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }]
    })
}

/// Whether a response is a request error (nothing executed: syntax, validation, limits), which
/// the GraphQL-over-HTTP spec answers with 400 under `application/graphql-response+json`.
pub fn is_request_error(response: &Response) -> bool {
    !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty())
}
