//! The console's staff page: an administrator adds a staff user (the initial password shown
//! once, on the answer), changes a role and disables an account; billing staff are neither
//! offered the page nor allowed it; the last administrator keeps the role.

use reqwest::StatusCode;
use serde_json::json;
use tests::e2e_test;
use tests::html::{form, page, set_cookie, unescape};

use super::{CONSOLE_SESSION, console_session, console_sign_in_with};

/// The value of the hidden `user` field of the row that names `email`.
fn user_id_of(html: &str, email: &str) -> String {
    let row = html
        .split("<tr")
        .find(|row| row.contains(email))
        .unwrap_or_else(|| panic!("no row for {email}: {html}"));
    row.split("name=\"user\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form with the user's id")
        .to_owned()
}

e2e_test!(
    an_admin_adds_a_staff_user_changes_a_role_and_disables_an_account,
    |app| {
        let (admin, token) = console_session(&app, "admin@billfold.example").await;
        let html = page(&app, &admin, "/admin/staff").await;
        assert!(html.contains("billing@billfold.example"), "{html}");
        assert!(
            html.contains("href=\"/admin/staff\""),
            "the admin is offered the page"
        );

        // A refused form keeps what was typed and names the field.
        let refused = form(
            &app,
            &admin,
            "/admin/staff",
            &[
                ("csrf", token.as_str()),
                ("name", "Sam Support"),
                ("email", "not an address"),
                ("role", "SUPPORT"),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"email-error\""), "{html}");
        assert!(html.contains("value=\"Sam Support\""), "{html}");

        let created = form(
            &app,
            &admin,
            "/admin/staff",
            &[
                ("csrf", token.as_str()),
                ("name", "Sam Support"),
                ("email", "sam@billfold.example"),
                ("role", "SUPPORT"),
            ],
        )
        .await;
        assert_eq!(created.status(), StatusCode::OK);
        let html = created.text().await.expect("html");
        let password = html
            .split("<code id=\"initial-password\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .map(unescape)
            .unwrap_or_else(|| panic!("the initial password, once: {html}"));
        let (status, body) = app
            .graphql(
                "mutation L($input: LoginInput!) { login(input: $input) { user { role } } }",
                json!({ "input": { "email": "sam@billfold.example", "password": password } }),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["data"]["login"]["user"]["role"], "SUPPORT", "{body}");
        let list = page(&app, &admin, "/admin/staff").await;
        assert!(!list.contains(&password), "shown once only");

        // Sam signs in to the console with it and replaces it; the old one stops working.
        let (response, csrf_cookie, sam_token) =
            console_sign_in_with(&app, "sam@billfold.example", &password).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let session = set_cookie(&response, CONSOLE_SESSION).expect("a console session");
        let sam_cookies = format!("{session}; {csrf_cookie}");
        let html = page(&app, &sam_cookies, "/admin/password").await;
        assert!(html.contains("Your password"), "{html}");
        let mismatch = form(
            &app,
            &sam_cookies,
            "/admin/password",
            &[
                ("csrf", sam_token.as_str()),
                ("current_password", password.as_str()),
                ("new_password", "a long new passphrase"),
                ("confirm_password", "another passphrase"),
            ],
        )
        .await;
        assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let changed = form(
            &app,
            &sam_cookies,
            "/admin/password",
            &[
                ("csrf", sam_token.as_str()),
                ("current_password", password.as_str()),
                ("new_password", "a long new passphrase"),
                ("confirm_password", "a long new passphrase"),
            ],
        )
        .await;
        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        assert!(
            set_cookie(&changed, CONSOLE_SESSION).is_some(),
            "this session carries on with a new token"
        );
        let (old, _, _) = console_sign_in_with(&app, "sam@billfold.example", &password).await;
        assert_ne!(
            old.status(),
            StatusCode::SEE_OTHER,
            "the initial password is gone"
        );
        let (new, _, _) =
            console_sign_in_with(&app, "sam@billfold.example", "a long new passphrase").await;
        assert_eq!(new.status(), StatusCode::SEE_OTHER);

        // Sam becomes billing staff, then is disabled.
        let sam = user_id_of(&list, "sam@billfold.example");
        let changed = form(
            &app,
            &admin,
            "/admin/staff/role",
            &[("csrf", token.as_str()), ("user", &sam), ("role", "STAFF")],
        )
        .await;
        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &admin, "/admin/staff?done=staff-role-changed").await;
        assert!(html.contains("The role is changed"), "{html}");
        let disabled = form(
            &app,
            &admin,
            "/admin/staff/access",
            &[
                ("csrf", token.as_str()),
                ("user", &sam),
                ("action", "disable"),
            ],
        )
        .await;
        assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &admin, "/admin/staff?done=staff-disabled").await;
        assert!(html.contains("The account is disabled"), "{html}");
        let row = html
            .split("<tr")
            .find(|row| row.contains("sam@billfold.example"))
            .expect("Sam's row");
        assert!(
            row.contains("Disabled") && row.contains("value=\"STAFF\" selected"),
            "{row}"
        );

        // The only administrator cannot step down: the API's refusal is shown.
        let me = user_id_of(&html, "admin@billfold.example");
        let refused = form(
            &app,
            &admin,
            "/admin/staff/role",
            &[("csrf", token.as_str()), ("user", &me), ("role", "SUPPORT")],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert!(
            refused
                .text()
                .await
                .expect("html")
                .contains("the operator needs an enabled administrator")
        );
    }
);

e2e_test!(billing_staff_cannot_manage_staff_in_the_console, |app| {
    let (billing, token) = console_session(&app, "billing@billfold.example").await;
    let customers = page(&app, &billing, "/admin/customers").await;
    assert!(!customers.contains("href=\"/admin/staff\""), "not offered");
    assert!(
        !customers.contains("href=\"/admin/api-keys\""),
        "not offered"
    );
    let refused = app
        .client
        .get(format!("{}/admin/staff", app.address))
        .header(reqwest::header::COOKIE, &billing)
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains("Not allowed for your role")
    );
    let refused = form(
        &app,
        &billing,
        "/admin/staff",
        &[
            ("csrf", token.as_str()),
            ("name", "Mallory"),
            ("email", "mallory@billfold.example"),
            ("role", "ADMIN"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (status, body) = app
        .graphql(
            "mutation L($input: LoginInput!) { login(input: $input) { token } }",
            json!({ "input": { "email": "mallory@billfold.example", "password": "whatever-it-is" } }),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body["data"].is_null() || body["data"]["login"].is_null(),
        "{body}"
    );
});
