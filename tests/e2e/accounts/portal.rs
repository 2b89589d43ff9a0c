//! The portal's sign-in journey over plain HTTP forms (no JavaScript): CSRF on every form, the
//! session in an HttpOnly cookie, errors shown on the page.

use api::seed::DEMO_PASSWORD;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use tests::e2e_test;
use tests::html::{csrf, set_cookie, sign_in};

e2e_test!(
    sign_in_shows_who_you_are_and_sign_out_ends_the_session,
    |app| {
        let (csrf_cookie, token) = csrf(&app).await;
        let response = sign_in(
            &app,
            &csrf_cookie,
            &token,
            "billing@acme.example",
            DEMO_PASSWORD,
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/");
        let raw = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("billfold_session="))
            .expect("session cookie")
            .to_owned();
        assert!(
            raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
            "{raw}"
        );
        let session = set_cookie(&response, "billfold_session").expect("session");
        let cookies = format!("{session}; {csrf_cookie}");

        let page = app
            .client
            .get(format!("{}/account", app.address))
            .header(COOKIE, &cookies)
            .send()
            .await
            .expect("sent");
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.expect("html");
        assert!(html.contains("billing@acme.example"), "{html}");
        assert!(html.contains("Billing administrator"), "{html}");
        assert!(html.contains("Acme Telecom"), "{html}");

        // The same cookie authenticates JSON requests to /graphql (for the portal's scripts).
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header(COOKIE, &cookies)
            .json(&serde_json::json!({ "query": "{ viewer { user { email } } }" }))
            .send()
            .await
            .expect("sent");
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(
            body["data"]["viewer"]["user"]["email"],
            "billing@acme.example"
        );

        // Sign out needs the CSRF token too.
        let forged = app
            .client
            .post(format!("{}/logout", app.address))
            .header(COOKIE, &cookies)
            .form(&[("csrf", "forged")])
            .send()
            .await
            .expect("sent");
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let out = app
            .client
            .post(format!("{}/logout", app.address))
            .header(COOKIE, &cookies)
            .form(&[("csrf", token.as_str())])
            .send()
            .await
            .expect("sent");
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert_eq!(out.headers()[LOCATION], "/login");
        assert_eq!(
            set_cookie(&out, "billfold_session").as_deref(),
            Some("billfold_session=")
        );
    }
);

e2e_test!(a_wrong_password_is_shown_on_the_form, |app| {
    let (csrf_cookie, token) = csrf(&app).await;
    let response = sign_in(&app, &csrf_cookie, &token, "billing@acme.example", "wrong").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(set_cookie(&response, "billfold_session").is_none());
    let html = response.text().await.expect("html");
    assert!(
        html.contains("The e-mail or password is incorrect."),
        "{html}"
    );
    assert!(
        html.contains("value=\"billing@acme.example\""),
        "the e-mail is kept: {html}"
    );
});

e2e_test!(a_malformed_email_is_shown_next_to_the_field, |app| {
    let (csrf_cookie, token) = csrf(&app).await;
    let response = sign_in(&app, &csrf_cookie, &token, "nope", "x").await;
    let html = response.text().await.expect("html");
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\""), "{html}");
});

e2e_test!(sign_in_without_the_csrf_token_is_refused, |app| {
    let (csrf_cookie, _) = csrf(&app).await;
    let response = sign_in(
        &app,
        &csrf_cookie,
        "forged",
        "billing@acme.example",
        DEMO_PASSWORD,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&response, "billfold_session").is_none());
    let response = sign_in(&app, "", "anything", "billing@acme.example", DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
});

e2e_test!(
    pages_need_a_session_and_an_expired_one_returns_to_sign_in,
    |app| {
        let response = app
            .client
            .get(format!("{}/", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/login");
        let response = app
            .client
            .get(format!("{}/", app.address))
            .header(COOKIE, "billfold_session=not-a-token")
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/login");
        assert_eq!(
            set_cookie(&response, "billfold_session").as_deref(),
            Some("billfold_session=")
        );
    }
);
