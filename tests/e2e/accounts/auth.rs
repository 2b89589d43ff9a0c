//! Sign-in and token verification, including the classic JWT attacks.

use api::auth::{Claims, TokenKeys};
use api::config::{JwtConfig, Secret};
use api::seed::{DEMO_ADMIN_EMAIL, DEMO_PASSWORD};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TEST_JWT_SECRET, TestApp, assert_bad_input, assert_code, e2e_test};

const LOGIN: &str = "mutation L($input: LoginInput!) { login(input: $input) { token expiresAt user { email role } } }";
const VIEWER: &str = "{ viewer { user { email role } organisation { name } } }";

async fn login_attempt(app: &TestApp, email: &str, password: &str) -> (StatusCode, Value) {
    app.graphql(
        LOGIN,
        json!({ "input": { "email": email, "password": password } }),
        None,
    )
    .await
}

/// Claims as the server would issue them for the demo billing admin of Acme.
async fn valid_claims(app: &TestApp) -> Claims {
    let token = app.login("billing@acme.example").await;
    let keys = TokenKeys::hs256(&JwtConfig::default(), &Secret::new(TEST_JWT_SECRET));
    keys.verify(&token)
        .expect("server token verifies with the test key")
}

/// Encodes arbitrary JSON claims with HS256 and `secret`.
fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

async fn assert_refused(app: &TestApp, token: &str, what: &str) {
    let (status, body) = app.graphql(VIEWER, json!({}), Some(token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
    assert_code(&body, "UNAUTHENTICATED");
    assert!(
        body.get("data").is_none_or(Value::is_null),
        "{what}: no data"
    );
}

e2e_test!(
    login_with_the_right_password_issues_a_working_token,
    |app| {
        let (status, body) = login_attempt(&app, "Billing@Acme.Example", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["data"]["login"]["user"]["role"], "BILLING_ADMIN");
        let token = body["data"]["login"]["token"].as_str().expect("token");

        let (status, body) = app.graphql(VIEWER, json!({}), Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["data"]["viewer"]["user"]["email"],
            "billing@acme.example"
        );
        assert_eq!(
            body["data"]["viewer"]["organisation"]["name"],
            "Acme Telecom"
        );
    }
);

e2e_test!(staff_have_no_organisation, |app| {
    let token = app.login(DEMO_ADMIN_EMAIL).await;
    let (_, body) = app.graphql(VIEWER, json!({}), Some(&token)).await;
    assert_eq!(body["data"]["viewer"]["user"]["role"], "ADMIN");
    assert!(body["data"]["viewer"]["organisation"].is_null());
});

e2e_test!(wrong_password_and_unknown_user_get_the_same_answer, |app| {
    let (status_wrong, wrong) =
        login_attempt(&app, "billing@acme.example", "not-the-password").await;
    let (status_unknown, unknown) = login_attempt(&app, "nobody@acme.example", DEMO_PASSWORD).await;
    assert_eq!(status_wrong, status_unknown);
    assert_code(&wrong, "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"], unknown["errors"],
        "the two refusals must be identical"
    );
    assert!(wrong["data"].is_null());
});

e2e_test!(a_malformed_email_is_a_bad_input_on_that_field, |app| {
    let (_, body) = login_attempt(&app, "not an email", "x").await;
    assert_bad_input(&body, "input.email");
});

e2e_test!(viewer_without_a_token_is_unauthenticated, |app| {
    let (status, body) = app.graphql(VIEWER, json!({}), None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a field error, not a request error: {body}"
    );
    assert_code(&body, "UNAUTHENTICATED");
});

e2e_test!(jwt_attacks_are_refused, |app| {
    let claims = valid_claims(&app).await;
    let valid = serde_json::to_value(&claims).expect("claims as JSON");

    // Control: the same claims signed with the right key pass, so each refusal below is due
    // to the one thing changed.
    let control = sign(&valid, TEST_JWT_SECRET);
    let (status, body) = app.graphql(VIEWER, json!({}), Some(&control)).await;
    assert_eq!(status, StatusCode::OK, "control token must work: {body}");

    // alg: none, no signature.
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(valid.to_string());
    assert_refused(&app, &format!("{header}.{payload}."), "alg none").await;

    // Signed with another key.
    assert_refused(
        &app,
        &sign(&valid, "another-secret-another-secret-another-secret"),
        "wrong key",
    )
    .await;

    // Payload tampered after signing: customer becomes admin.
    let mut parts: Vec<String> = control.split('.').map(str::to_owned).collect();
    let mut tampered = valid.clone();
    tampered["role"] = json!("admin");
    tampered.as_object_mut().expect("object").remove("tenant");
    parts[1] = URL_SAFE_NO_PAD.encode(tampered.to_string());
    assert_refused(&app, &parts.join("."), "tampered payload").await;

    // Expired 30 s ago (beyond the 5 s leeway, within jsonwebtoken's default 60 s).
    let mut expired = valid.clone();
    expired["exp"] = json!(Utc::now().timestamp() - 30);
    assert_refused(&app, &sign(&expired, TEST_JWT_SECRET), "expired by 30 s").await;

    for claim in ["aud", "iss"] {
        let mut missing = valid.clone();
        missing.as_object_mut().expect("object").remove(claim);
        assert_refused(
            &app,
            &sign(&missing, TEST_JWT_SECRET),
            &format!("missing {claim}"),
        )
        .await;
    }

    let mut wrong_aud = valid.clone();
    wrong_aud["aud"] = json!("someone-else");
    assert_refused(&app, &sign(&wrong_aud, TEST_JWT_SECRET), "wrong aud").await;

    let mut wrong_iss = valid.clone();
    wrong_iss["iss"] = json!("someone-else");
    assert_refused(&app, &sign(&wrong_iss, TEST_JWT_SECRET), "wrong iss").await;

    // Not a bearer token at all.
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({ "query": VIEWER }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
});

const CUSTOMERS: &str = "{ customers { nodes { name } } }";

e2e_test!(a_token_for_a_deleted_user_is_refused, |app| {
    // A well-signed token whose subject does not exist (e.g. a deleted user).
    let mut claims = serde_json::to_value(valid_claims(&app).await).expect("json");
    claims["sub"] = json!(ids::UserId::new().to_string());
    let token = sign(&claims, TEST_JWT_SECRET);
    assert_refused(&app, &token, "deleted user, viewer").await;
    let (status, _) = app.graphql(CUSTOMERS, json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "deleted user, customers");
});

/// Changes the demo user `email` directly in the database.
async fn update_user(
    app: &TestApp,
    email: &str,
    change: impl FnOnce(&mut entity::user::ActiveModel),
) {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
    let user = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(email))
        .one(app.app.db.reads())
        .await
        .expect("query")
        .expect("demo user");
    let mut user = user.into_active_model();
    change(&mut user);
    user.update(app.app.db.writes()).await.expect("update");
}

e2e_test!(disabling_a_user_stops_its_token_at_once, |app| {
    let token = app.login("owner@acme.example").await;
    let (status, _) = app.graphql(CUSTOMERS, json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    update_user(&app, "owner@acme.example", |u| {
        u.disabled = sea_orm::Set(true)
    })
    .await;
    assert_refused(&app, &token, "disabled user").await;
    let (status, body) = app.graphql(CUSTOMERS, json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (_, body) = login_attempt(&app, "owner@acme.example", DEMO_PASSWORD).await;
    // A disabled user cannot sign in.
    assert_code(&body, "UNAUTHENTICATED");
});

e2e_test!(a_role_change_stops_the_old_token, |app| {
    let token = app.login("owner@acme.example").await;
    update_user(&app, "owner@acme.example", |u| {
        u.role = sea_orm::Set(entity::user::UserRole::Viewer);
    })
    .await;
    assert_refused(&app, &token, "token of the former role").await;
    let fresh = app.login("owner@acme.example").await;
    let (_, body) = app.graphql(VIEWER, json!({}), Some(&fresh)).await;
    assert_eq!(body["data"]["viewer"]["user"]["role"], "VIEWER");
});

e2e_test!(users_of_a_closed_organisation_are_refused, |app| {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
    let token = app.login("billing@globex.example").await;
    let globex: ids::CustomerId = app.customer_id("Globex").await.parse().expect("id");
    let mut customer = entity::customer::Entity::find_by_id(globex.uuid())
        .one(app.app.db.reads())
        .await
        .expect("query")
        .expect("Globex")
        .into_active_model();
    customer.status = sea_orm::Set(entity::customer::CustomerStatus::Closed);
    customer.update(app.app.db.writes()).await.expect("update");
    assert_refused(&app, &token, "closed organisation").await;
    let (_, body) = login_attempt(&app, "billing@globex.example", DEMO_PASSWORD).await;
    assert_code(&body, "UNAUTHENTICATED");
    // Acme is untouched.
    app.login("billing@acme.example").await;
});

e2e_test!(a_stale_session_cookie_does_not_block_signing_in, |app| {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("cookie", "billfold_session=expired-or-forged")
        .json(&json!({
            "query": LOGIN,
            "variables": { "input": { "email": "billing@acme.example", "password": DEMO_PASSWORD } }
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
});
