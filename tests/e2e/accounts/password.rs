//! Every signed-in user changes their own password: the current one is required, the new one
//! has at least 12 characters and is not the current one; afterwards the old password and
//! every token issued before (other sessions, and the one that made the change) are refused,
//! and the new token works.

use api::seed::DEMO_PASSWORD;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TestApp, assert_bad_input, assert_code, e2e_test};

use super::ops::CHANGE_PASSWORD;

const VIEWER: &str = "{ viewer { user { email } } }";

/// Whether `token` is still accepted.
async fn works(app: &TestApp, token: &str) -> bool {
    let (status, body) = app.graphql(VIEWER, json!({}), Some(token)).await;
    match status {
        StatusCode::OK if body["errors"].is_null() => true,
        StatusCode::UNAUTHORIZED => {
            assert_code(&body, "UNAUTHENTICATED");
            false
        }
        other => panic!("unexpected {other}: {body}"),
    }
}

/// Changes the password with `token`; returns the body.
async fn change(app: &TestApp, token: &str, current: &str, new: &str) -> Value {
    app.graphql(
        CHANGE_PASSWORD,
        json!({ "input": { "currentPassword": current, "newPassword": new } }),
        Some(token),
    )
    .await
    .1
}

/// Signs in with `password`; the token, or `None` when refused.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> Option<String> {
    let (_, body) = app
        .graphql(
            "mutation L($input: LoginInput!) { login(input: $input) { token } }",
            json!({ "input": { "email": email, "password": password } }),
            None,
        )
        .await;
    body["data"]["login"]["token"].as_str().map(str::to_owned)
}

e2e_test!(a_new_password_ends_every_older_session, |app| {
    let email = "billing@acme.example";
    let here = app.login(email).await;
    let elsewhere = app.login(email).await;
    let other_user = app.login("owner@acme.example").await;
    let new = "correct horse battery staple";

    let body = change(&app, &here, DEMO_PASSWORD, new).await;
    let fresh = body["data"]["changePassword"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    assert!(body["data"]["changePassword"]["expiresAt"].is_string());

    assert!(!works(&app, &here).await, "the token that made the change");
    assert!(!works(&app, &elsewhere).await, "another session");
    assert!(works(&app, &fresh).await, "the new token");
    assert!(works(&app, &other_user).await, "another user is untouched");
    assert_eq!(sign_in(&app, email, DEMO_PASSWORD).await, None);
    let again = sign_in(&app, email, new)
        .await
        .expect("the new password signs in");
    assert!(works(&app, &again).await);

    // A peer server (another instance on the same database) refuses the old token too.
    let peer = app.peer().await;
    assert!(!works(&peer, &elsewhere).await);
    assert!(works(&peer, &fresh).await);

    // Audited, without any secret: the session version before and after.
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let log: Value = staff
        .data(
            "audit log",
            "query A($id: ID!) { customer(id: $id) { auditLog(first: 100) {
                    nodes { action before after } } } }",
            json!({ "id": acme }),
        )
        .await;
    let entry = log["customer"]["auditLog"]["nodes"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["action"] == "user.password_change"))
        .unwrap_or_else(|| panic!("no password change in {log}"));
    assert_eq!(entry["before"], r#"{"session_version":0}"#);
    assert_eq!(entry["after"], r#"{"session_version":1}"#);
});

e2e_test!(
    a_wrong_current_password_or_a_bad_new_one_changes_nothing,
    |app| {
        let email = "viewer@acme.example";
        let token = app.login(email).await;
        let body = change(
            &app,
            &token,
            "not my password",
            "correct horse battery staple",
        )
        .await;
        assert_bad_input(&body, "input.currentPassword");
        let body = change(&app, &token, "", "correct horse battery staple").await;
        assert_bad_input(&body, "input.currentPassword");
        // Eleven characters is one too few; the current password is no change.
        let body = change(&app, &token, DEMO_PASSWORD, "eleven char").await;
        assert_bad_input(&body, "input.newPassword");
        let body = change(&app, &token, DEMO_PASSWORD, DEMO_PASSWORD).await;
        assert_bad_input(&body, "input.newPassword");
        let long = "x".repeat(1025);
        let body = change(&app, &token, DEMO_PASSWORD, &long).await;
        assert_bad_input(&body, "input.newPassword");
        assert!(works(&app, &token).await, "the session goes on");
        assert!(sign_in(&app, email, DEMO_PASSWORD).await.is_some());

        // Twelve characters is enough, for a viewer too.
        let body = change(&app, &token, DEMO_PASSWORD, "twelve chars").await;
        let fresh = body["data"]["changePassword"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"));
        assert!(works(&app, fresh).await);
        let (_, unauthenticated) = app
            .graphql(
                CHANGE_PASSWORD,
                json!({ "input": { "currentPassword": "twelve chars", "newPassword": "another twelve" } }),
                None,
            )
            .await;
        assert_code(&unauthenticated, "UNAUTHENTICATED");
    }
);
