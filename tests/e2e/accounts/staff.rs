//! Administrators manage the operator's staff users: a new one signs in with the password
//! shown once; roles change and accounts are disabled with their sessions ended; the operator
//! always keeps an enabled administrator; nobody else manages staff.

use serde_json::{Value, json};
use tests::{Session, TestApp, assert_code, e2e_test};

use super::ops::reason;

const CREATE: &str = "mutation C($input: CreateStaffUserInput!) {
    createStaffUser(input: $input) { user { id email name role disabled } initialPassword } }";
const CHANGE_ROLE: &str = "mutation C($input: ChangeStaffRoleInput!) {
    changeStaffRole(input: $input) { user { id role disabled } } }";
const DISABLE: &str = "mutation D($input: StaffUserIdInput!) {
    disableStaffUser(input: $input) { user { id disabled } } }";
const ENABLE: &str = "mutation E($input: StaffUserIdInput!) {
    enableStaffUser(input: $input) { user { id disabled } } }";

/// The staff users as `admin` lists them: (e-mail, role, disabled).
async fn staff(admin: &Session<'_>) -> Vec<(String, String, bool)> {
    let data: Value = admin
        .data(
            "staff",
            "{ staffUsers(first: 100) { nodes { email role disabled } } }",
            json!({}),
        )
        .await;
    data["staffUsers"]["nodes"]
        .as_array()
        .expect("staff users")
        .iter()
        .map(|u| {
            (
                u["email"].as_str().expect("email").to_owned(),
                u["role"].as_str().expect("role").to_owned(),
                u["disabled"].as_bool().expect("disabled"),
            )
        })
        .collect()
}

/// The id of the staff user with `email`.
async fn staff_id(admin: &Session<'_>, email: &str) -> String {
    let data: Value = admin
        .data(
            "staff",
            "{ staffUsers(first: 100) { nodes { id email } } }",
            json!({}),
        )
        .await;
    data["staffUsers"]["nodes"]
        .as_array()
        .expect("staff users")
        .iter()
        .find(|u| u["email"] == email)
        .and_then(|u| u["id"].as_str())
        .unwrap_or_else(|| panic!("no staff user {email}: {data}"))
        .to_owned()
}

/// The token of a sign-in with `email` and `password`, or the refusal.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> Result<String, Value> {
    let (_, body) = app
        .graphql(
            "mutation L($input: LoginInput!) { login(input: $input) { token user { role } } }",
            json!({ "input": { "email": email, "password": password } }),
            None,
        )
        .await;
    body["data"]["login"]["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or(body)
}

/// Whether `token` still reads the viewer.
async fn works(app: &TestApp, token: &str) -> bool {
    let body = app
        .graphql("{ viewer { user { id } } }", json!({}), Some(token))
        .await
        .1;
    body["errors"].is_null()
}

e2e_test!(
    an_administrator_adds_a_staff_user_who_signs_in_with_the_password_shown_once,
    |app| {
        let admin = app.as_staff().await;
        let before = staff(&admin).await;
        assert!(
            before
                .iter()
                .any(|(e, r, d)| e == "admin@billfold.example" && r == "ADMIN" && !d),
            "{before:?}"
        );

        // Refused inputs, each at its field, and nothing written.
        for (input, field) in [
            (
                json!({ "email": "not an address", "name": "Sam", "role": "SUPPORT" }),
                "input.email",
            ),
            (
                json!({ "email": "sam@billfold.example", "name": " ", "role": "SUPPORT" }),
                "input.name",
            ),
            (
                json!({ "email": "sam@billfold.example", "name": "Sam", "role": "OWNER" }),
                "input.role",
            ),
            (
                json!({ "email": "Owner@Acme.example", "name": "Sam", "role": "SUPPORT" }),
                "input.email",
            ),
        ] {
            let body = admin.graphql(CREATE, json!({ "input": input })).await;
            assert_code(&body, "BAD_USER_INPUT");
            assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
        }
        assert_eq!(staff(&admin).await, before);

        let body = admin
        .graphql(
            CREATE,
            json!({ "input": { "email": "Sam@Billfold.example", "name": "Sam Support", "role": "SUPPORT" } }),
        )
        .await;
        let created = &body["data"]["createStaffUser"];
        assert_eq!(created["user"]["email"], "sam@billfold.example", "{body}");
        assert_eq!(created["user"]["role"], "SUPPORT");
        assert_eq!(created["user"]["disabled"], false);
        let password = created["initialPassword"].as_str().expect("a password");
        assert_eq!(password.len(), 32, "{password}");

        let token = sign_in(&app, "sam@billfold.example", password)
            .await
            .expect("the new user signs in with the password shown");
        let viewer = app
            .graphql(
                "{ viewer { user { role } organisation { id } } }",
                json!({}),
                Some(&token),
            )
            .await
            .1;
        assert_eq!(
            viewer["data"]["viewer"]["user"]["role"], "SUPPORT",
            "{viewer}"
        );
        assert!(viewer["data"]["viewer"]["organisation"].is_null());

        let after = staff(&admin).await;
        assert_eq!(after.len(), before.len() + 1);
        assert!(after.contains(&("sam@billfold.example".into(), "SUPPORT".into(), false)));

        // The address is now taken.
        let again = admin
        .graphql(
            CREATE,
            json!({ "input": { "email": "sam@billfold.example", "name": "Sam", "role": "STAFF" } }),
        )
        .await;
        assert_code(&again, "BAD_USER_INPUT");
    }
);

e2e_test!(
    billing_staff_support_and_customers_cannot_manage_staff,
    |app| {
        let admin = app.as_staff().await;
        let before = staff(&admin).await;
        let billing_id = staff_id(&admin, api::seed::DEMO_BILLING_STAFF_EMAIL).await;
        let sessions = [
            app.as_billing_staff().await,
            app.as_support().await,
            app.as_owner("Acme Telecom").await,
        ];
        for session in &sessions {
            let list = session
                .graphql("{ staffUsers { nodes { id } } }", json!({}))
                .await;
            assert_code(&list, "FORBIDDEN");
            let create = session
            .graphql(
                CREATE,
                json!({ "input": { "email": "x@billfold.example", "name": "X", "role": "ADMIN" } }),
            )
            .await;
            assert_code(&create, "FORBIDDEN");
            let promote = session
                .graphql(
                    CHANGE_ROLE,
                    json!({ "input": { "userId": billing_id, "role": "ADMIN" } }),
                )
                .await;
            assert_code(&promote, "FORBIDDEN");
            let disable = session
                .graphql(DISABLE, json!({ "input": { "userId": billing_id } }))
                .await;
            assert_code(&disable, "FORBIDDEN");
        }
        assert_eq!(staff(&admin).await, before, "nothing changed");
    }
);

e2e_test!(
    a_disabled_staff_user_is_signed_out_and_the_operator_keeps_an_administrator,
    |app| {
        let admin = app.as_staff().await;
        let me = staff_id(&admin, "admin@billfold.example").await;

        // The only administrator neither disables nor demotes themselves.
        let body = admin
            .graphql(DISABLE, json!({ "input": { "userId": me } }))
            .await;
        assert_code(&body, "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "input.userId");
        let body = admin
            .graphql(
                CHANGE_ROLE,
                json!({ "input": { "userId": me, "role": "STAFF" } }),
            )
            .await;
        assert_code(&body, "CONFLICT");
        assert_eq!(reason(&body), "LAST_ADMIN");
        assert!(works(&app, admin.token()).await);

        // A customer's user is no staff user.
        let owner = app.as_owner("Acme Telecom").await;
        let customer_user: Value = owner
            .data("me", "{ viewer { user { id } } }", json!({}))
            .await;
        let customer_user = customer_user["viewer"]["user"]["id"].as_str().expect("id");
        let body = admin
            .graphql(
                CHANGE_ROLE,
                json!({ "input": { "userId": customer_user, "role": "ADMIN" } }),
            )
            .await;
        assert_code(&body, "NOT_FOUND");

        // Disabling ends the billing staff's session and refuses their sign-in; enabling lets
        // them in again.
        let billing = app.as_billing_staff().await;
        let billing_id = staff_id(&admin, api::seed::DEMO_BILLING_STAFF_EMAIL).await;
        let body = admin
            .graphql(DISABLE, json!({ "input": { "userId": billing_id } }))
            .await;
        assert_eq!(
            body["data"]["disableStaffUser"]["user"]["disabled"], true,
            "{body}"
        );
        assert!(!works(&app, billing.token()).await, "the session ended");
        assert!(
            sign_in(
                &app,
                api::seed::DEMO_BILLING_STAFF_EMAIL,
                api::seed::DEMO_PASSWORD
            )
            .await
            .is_err()
        );
        let body = admin
            .graphql(ENABLE, json!({ "input": { "userId": billing_id } }))
            .await;
        assert_eq!(
            body["data"]["enableStaffUser"]["user"]["disabled"], false,
            "{body}"
        );
        let token = sign_in(
            &app,
            api::seed::DEMO_BILLING_STAFF_EMAIL,
            api::seed::DEMO_PASSWORD,
        )
        .await
        .expect("signs in again");

        // With a second administrator, the first may step down to billing staff.
        let body = admin
            .graphql(
                CHANGE_ROLE,
                json!({ "input": { "userId": billing_id, "role": "ADMIN" } }),
            )
            .await;
        assert_eq!(
            body["data"]["changeStaffRole"]["user"]["role"], "ADMIN",
            "{body}"
        );
        assert!(
            !works(&app, &token).await,
            "a role change ends the sessions"
        );
        let body = admin
            .graphql(
                CHANGE_ROLE,
                json!({ "input": { "userId": me, "role": "STAFF" } }),
            )
            .await;
        assert_eq!(
            body["data"]["changeStaffRole"]["user"]["role"], "STAFF",
            "{body}"
        );
        assert!(!works(&app, admin.token()).await);
    }
);
