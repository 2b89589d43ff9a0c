//! Owners change their users' roles and remove users; the organisation always keeps an owner,
//! and a changed or removed user's token stops working at once.

use serde_json::{Value, json};
use tests::{Session, TestApp, assert_code, e2e_test};

use super::ops::reason;

const CHANGE_ROLE: &str = "mutation C($input: ChangeUserRoleInput!) {
    changeUserRole(input: $input) { user { id role } } }";
const REMOVE: &str =
    "mutation R($input: RemoveUserInput!) { removeUser(input: $input) { removedUserId } }";

/// The id of the organisation's user signing in with `email`, read by `session`.
async fn user_id(session: &Session<'_>, email: &str) -> String {
    let data: Value = session
        .data(
            "users",
            "{ viewer { organisation { users(first: 100) { nodes { id email } } } } }",
            json!({}),
        )
        .await;
    data["viewer"]["organisation"]["users"]["nodes"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email"] == email)
        .and_then(|u| u["id"].as_str())
        .unwrap_or_else(|| panic!("no user {email}: {data}"))
        .to_owned()
}

/// Whether `token` still reads the viewer.
async fn works(app: &TestApp, token: &str) -> bool {
    let body = app
        .graphql("{ viewer { user { id } } }", json!({}), Some(token))
        .await
        .1;
    body["errors"].is_null()
}

e2e_test!(the_last_owner_is_neither_demoted_nor_removed, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let me = user_id(&owner, "owner@acme.example").await;
    let demoted = owner
        .graphql(
            CHANGE_ROLE,
            json!({ "input": { "userId": me, "role": "VIEWER" } }),
        )
        .await;
    assert_code(&demoted, "CONFLICT");
    assert_eq!(reason(&demoted), "LAST_OWNER");
    let removed = owner
        .graphql(REMOVE, json!({ "input": { "userId": me } }))
        .await;
    assert_eq!(reason(&removed), "LAST_OWNER");
    assert!(works(&app, owner.token()).await);

    // With a second owner, the first may step down.
    let billing = user_id(&owner, "billing@acme.example").await;
    let body = owner
        .graphql(
            CHANGE_ROLE,
            json!({ "input": { "userId": billing, "role": "OWNER" } }),
        )
        .await;
    assert_eq!(
        body["data"]["changeUserRole"]["user"]["role"], "OWNER",
        "{body}"
    );
    let body = owner
        .graphql(
            CHANGE_ROLE,
            json!({ "input": { "userId": me, "role": "VIEWER" } }),
        )
        .await;
    assert_eq!(
        body["data"]["changeUserRole"]["user"]["role"], "VIEWER",
        "{body}"
    );
    assert!(
        !works(&app, owner.token()).await,
        "a changed role ends the sessions"
    );
    let new_owner = app.as_user("billing@acme.example").await;
    assert_eq!(new_owner.audit_count("user.role").await, 2);
});

e2e_test!(a_removed_users_token_stops_at_once, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let viewer = app.as_viewer("Acme Telecom").await;
    assert!(works(&app, viewer.token()).await);
    let id = user_id(&owner, "viewer@acme.example").await;
    // Billing admins and viewers change nobody.
    for session in [
        app.as_billing_admin("Acme Telecom").await,
        app.as_viewer("Acme Telecom").await,
    ] {
        assert_code(
            &session
                .graphql(REMOVE, json!({ "input": { "userId": id } }))
                .await,
            "FORBIDDEN",
        );
        let body = session
            .graphql(
                CHANGE_ROLE,
                json!({ "input": { "userId": id, "role": "OWNER" } }),
            )
            .await;
        assert_code(&body, "FORBIDDEN");
    }
    let body = owner
        .graphql(REMOVE, json!({ "input": { "userId": id } }))
        .await;
    assert_eq!(
        body["data"]["removeUser"]["removedUserId"],
        id.as_str(),
        "{body}"
    );
    assert!(
        !works(&app, viewer.token()).await,
        "refused at its very next request"
    );
    let (_, login) = app
        .graphql(
            "mutation L($input: LoginInput!) { login(input: $input) { token } }",
            json!({ "input": { "email": "viewer@acme.example", "password": api::seed::DEMO_PASSWORD } }),
            None,
        )
        .await;
    assert_code(&login, "UNAUTHENTICATED");
    assert_eq!(owner.audit_count("user.remove").await, 1);
    // The address may be invited again.
    let again = crate::accounts::invitations::invite(&owner, "viewer@acme.example", "VIEWER").await;
    assert!(again["errors"].is_null(), "{again}");
    // Staff users are nobody's to change.
    let staff_id: Value = app
        .as_staff()
        .await
        .data("me", "{ viewer { user { id } } }", json!({}))
        .await;
    let body = owner
        .graphql(
            REMOVE,
            json!({ "input": { "userId": staff_id["viewer"]["user"]["id"] } }),
        )
        .await;
    assert_code(&body, "NOT_FOUND");
});
