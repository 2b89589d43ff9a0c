//! Assertions on GraphQL response bodies, so every test checks errors the same way and fails
//! with the whole body in the message.
//!
//! They read the first error only, as the tests always have: one refusal per request.

use serde_json::Value;

/// The `extensions.code` of the first error of a GraphQL response body, if it has one.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// Asserts the response failed and its first error has `extensions.code == code`.
///
/// ```ignore
/// assert_code(&session.try_apply_license_change(&unknown, "k").await, "NOT_FOUND");
/// ```
#[track_caller]
pub fn assert_code(body: &Value, code: &str) {
    match error_code(body) {
        Some(actual) => assert_eq!(
            actual, code,
            "expected the error code {code}, got {actual}: {body}"
        ),
        None => panic!("expected an error with the code {code}, got none: {body}"),
    }
}

/// Asserts the response failed with `BAD_USER_INPUT` on `field` (`extensions.field`, the path
/// of the input at fault, e.g. `input.delta`).
#[track_caller]
pub fn assert_bad_input(body: &Value, field: &str) {
    assert_code(body, "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["field"], field,
        "expected BAD_USER_INPUT on {field}: {body}"
    );
}

/// Asserts the response has no errors.
#[track_caller]
pub fn assert_ok(body: &Value) {
    assert!(body["errors"].is_null(), "expected no errors: {body}");
}

#[cfg(test)]
mod tests {
    //! The helpers replace `assert_eq!`s; these pin that they still fail where those did.

    use serde_json::json;

    use super::{assert_bad_input, assert_code, assert_ok};

    fn refusal(code: &str, field: Option<&str>) -> serde_json::Value {
        json!({ "data": null, "errors": [{ "message": "no", "extensions": { "code": code, "field": field } }] })
    }

    #[test]
    fn a_matching_code_and_field_pass() {
        assert_code(&refusal("NOT_FOUND", None), "NOT_FOUND");
        assert_bad_input(
            &refusal("BAD_USER_INPUT", Some("input.delta")),
            "input.delta",
        );
        assert_ok(&json!({ "data": { "x": 1 } }));
    }

    #[test]
    #[should_panic(expected = "expected the error code NOT_FOUND, got FORBIDDEN")]
    fn another_code_fails() {
        assert_code(&refusal("FORBIDDEN", None), "NOT_FOUND");
    }

    #[test]
    #[should_panic(expected = "got none")]
    fn a_success_fails_an_expected_error() {
        assert_code(&json!({ "data": { "x": 1 } }), "NOT_FOUND");
    }

    #[test]
    #[should_panic(expected = "expected BAD_USER_INPUT on input.delta")]
    fn bad_input_on_another_field_fails() {
        assert_bad_input(
            &refusal("BAD_USER_INPUT", Some("input.itemId")),
            "input.delta",
        );
    }

    #[test]
    #[should_panic(expected = "expected the error code BAD_USER_INPUT")]
    fn another_code_on_the_right_field_fails() {
        assert_bad_input(&refusal("NOT_FOUND", Some("input.delta")), "input.delta");
    }

    #[test]
    #[should_panic(expected = "expected no errors")]
    fn an_error_fails_assert_ok() {
        assert_ok(&refusal("NOT_FOUND", None));
    }
}
