//! The users page, the invitation's accept page and the audit log page over plain HTTP forms,
//! as a browser without JavaScript uses them: owners invite and see the invitation waiting,
//! the last owner's removal comes back refused at the top, billing admins and viewers get no
//! forms; a used link says so; the audit log filters by kind and dates, refusing a bad value
//! beside its field.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use tests::html::{form, page, signed_in};
use tests::mailbox::{invitation_link, token_of};
use tests::{TestApp, e2e_test};

/// The id of the user whose entry names `email` on the users page.
fn user_entry(html: &str, email: &str) -> String {
    html.split("id=\"user-usr_")
        .skip(1)
        .find(|entry| {
            entry
                .split("id=\"user-usr_")
                .next()
                .is_some_and(|e| e.contains(email))
        })
        .and_then(|entry| entry.split('"').next())
        .map(|hex| format!("usr_{hex}"))
        .unwrap_or_else(|| panic!("no entry for {email}: {html}"))
}

/// Accepts an invitation through the accept page's form; the response.
async fn accept(app: &TestApp, token: &str, name: &str) -> reqwest::Response {
    let (cookie, csrf) = tests::html::csrf(app).await;
    let password = "a long new password";
    form(
        app,
        &cookie,
        "/invitation",
        &[
            ("csrf", &csrf),
            ("token", token),
            ("name", name),
            ("password", password),
            ("confirm", password),
        ],
    )
    .await
}

e2e_test!(
    owners_invite_on_the_users_page_and_the_link_signs_the_invitee_in,
    |app| {
        let (cookies, csrf) = signed_in(&app, "owner@acme.example").await;
        let response = form(
            &app,
            &cookies,
            "/users/invite",
            &[
                ("csrf", &csrf),
                ("email", "not an address"),
                ("role", "viewer"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("html");
        assert!(html.contains("id=\"invite-email-error\""), "{html}");
        let response = form(
            &app,
            &cookies,
            "/users/invite",
            &[
                ("csrf", &csrf),
                ("email", "sam@acme.example"),
                ("role", "viewer"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, "/users?done=invitation-sent").await;
        assert!(html.contains("sam@acme.example"), "{html}");

        // The last owner cannot be removed: the refusal is at the top of the page.
        let me = user_entry(&html, "owner@acme.example");
        let response = form(
            &app,
            &cookies,
            "/users/remove",
            &[("csrf", &csrf), ("id", &me)],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("html");
        assert!(html.contains("the organisation needs an owner"), "{html}");

        // The link opens the accept page signed out; accepting signs in, once.
        let token = token_of(&invitation_link(&app, "sam@acme.example").await);
        let response = app
            .client
            .get(format!("{}/invitation?token={token}", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.expect("html");
        assert!(
            html.contains("Acme Telecom") && html.contains("Viewer"),
            "{html}"
        );
        let response = accept(&app, &token, "Sam").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/account?done=welcome");
        assert!(tests::html::set_cookie(&response, "billfold_session").is_some());
        let response = accept(&app, &token, "Sam again").await;
        assert_eq!(response.status(), StatusCode::GONE);
        let html = response.text().await.expect("html");
        assert!(html.contains("already accepted"), "{html}");
    }
);

e2e_test!(billing_admins_and_viewers_see_users_without_forms, |app| {
    for email in ["billing@acme.example", "viewer@acme.example"] {
        let (cookies, _) = signed_in(&app, email).await;
        let html = page(&app, &cookies, "/users").await;
        assert!(html.contains("owner@acme.example"), "{html}");
        for action in ["/users/invite", "/users/remove", "/users/role"] {
            assert!(!html.contains(action), "{email} sees {action}");
        }
    }
});

e2e_test!(the_audit_log_filters_by_kind_and_dates, |app| {
    let (cookies, _) = signed_in(&app, "owner@acme.example").await;
    let html = page(&app, &cookies, "/audit?kind=addresses").await;
    assert!(html.contains("address.add"), "{html}");
    assert!(!html.contains("contact.add"), "another kind: {html}");
    assert!(html.contains("value=\"addresses\" selected"));
    let html = page(&app, &cookies, "/audit?kind=people").await;
    assert!(html.contains("contact.add"), "{html}");
    // A value the form cannot use is answered beside its field.
    let response = app
        .client
        .get(format!("{}/audit?kind=money&from=yesterday", app.address))
        .header(reqwest::header::COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("id=\"from-error\""), "{html}");
    let response = app
        .client
        .get(format!(
            "{}/audit?from=2026-05-02&to=2026-05-01",
            app.address
        ))
        .header(reqwest::header::COOKIE, &cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("id=\"to-error\""), "{html}");
});
