//! The portal's sign-in journey over plain HTTP forms (no JavaScript): CSRF on every form, the
//! session in an HttpOnly cookie, errors shown on the page.

use api::seed::DEMO_PASSWORD;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use tests::{TestApp, e2e_test};

/// The CSRF cookie and form token a fresh visitor receives on the sign-in page.
async fn csrf(app: &TestApp) -> (String, String) {
    let response = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(&response, "billfold_csrf").expect("CSRF cookie");
    let html = response.text().await.expect("html");
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("CSRF field in the form")
        .to_owned();
    (cookie, token)
}

fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

async fn sign_in(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(format!("{}/login", app.address))
        .header(COOKIE, cookie)
        .form(&[("csrf", csrf), ("email", email), ("password", password)])
        .send()
        .await
        .expect("sent")
}

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

/// Signs in through the form; returns the cookies to send and the CSRF token for forms.
async fn signed_in(app: &TestApp, email: &str) -> (String, String) {
    let (csrf_cookie, token) = csrf(app).await;
    let response = sign_in(app, &csrf_cookie, &token, email, DEMO_PASSWORD).await;
    let session = set_cookie(&response, "billfold_session").expect("session");
    (format!("{session}; {csrf_cookie}"), token)
}

async fn page(app: &TestApp, cookies: &str, path: &str) -> String {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header(COOKIE, cookies)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("html")
}

async fn form(
    app: &TestApp,
    cookies: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header(COOKIE, cookies)
        .form(fields)
        .send()
        .await
        .expect("sent")
}

/// Undoes the HTML escaping of an attribute value (askama writes `&` as `&#38;`).
fn unescape(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
}

/// The first value of `name="…" value="…"` in a page.
fn field(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {name} field"))
        .to_owned()
}

e2e_test!(
    adding_licenses_without_javascript_goes_through_the_quote,
    |app| {
        let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
        let licenses = page(&app, &cookies, "/licenses").await;
        assert!(licenses.contains("Add licenses"), "{licenses}");
        let item = field(&licenses, "item_id");

        // A quantity that is not a number is shown next to the field, and nothing is quoted.
        let response = form(
            &app,
            &cookies,
            "/licenses/quote",
            &[
                ("csrf", &csrf),
                ("item_id", &item),
                ("quantity", "two"),
                ("action", "add"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("html");
        assert!(
            html.contains("quantity-error-") && html.contains("aria-invalid=\"true\""),
            "{html}"
        );

        let response = form(
            &app,
            &cookies,
            "/licenses/quote",
            &[
                ("csrf", &csrf),
                ("item_id", &item),
                ("quantity", "2"),
                ("action", "add"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let quote = response.text().await.expect("html");
        assert!(quote.contains("10 → 12"), "{quote}");
        assert!(quote.contains("Confirm"), "{quote}");
        let quote_id = field(&quote, "quote_id");
        let key = field(&quote, "idempotency_key");

        // Confirming twice (a double click, a reload) changes the licenses once.
        for _ in 0..2 {
            let response = form(
                &app,
                &cookies,
                "/licenses/apply",
                &[
                    ("csrf", &csrf),
                    ("quote_id", &quote_id),
                    ("idempotency_key", &key),
                ],
            )
            .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
            assert_eq!(response.headers()[LOCATION], "/licenses?updated=12");
        }
        let overview = page(&app, &cookies, "/").await;
        assert!(
            overview.contains("12 licenses at €64.00 each"),
            "{overview}"
        );
        let charges = page(&app, &cookies, "/charges").await;
        assert!(
            charges.contains("12 ADVANCED licenses at €64.00 each"),
            "{charges}"
        );
        assert!(
            charges.contains("2 ADVANCED licenses at"),
            "the proration line: {charges}"
        );

        // Every form refuses a forged token.
        for (path, fields) in [
            (
                "/licenses/quote",
                vec![
                    ("item_id", item.as_str()),
                    ("quantity", "1"),
                    ("action", "add"),
                ],
            ),
            (
                "/licenses/apply",
                vec![
                    ("quote_id", quote_id.as_str()),
                    ("idempotency_key", "forged"),
                ],
            ),
            (
                "/licenses/assign",
                vec![("seat_id", "lic_x"), ("member_id", "mem_x")],
            ),
            ("/licenses/unassign", vec![("seat_id", "lic_x")]),
        ] {
            let mut fields = fields;
            fields.push(("csrf", "forged"));
            let response = form(&app, &cookies, path, &fields).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        }
    }
);

e2e_test!(viewers_see_licenses_without_any_change_form, |app| {
    let (cookies, _) = signed_in(&app, "viewer@acme.example").await;
    let licenses = page(&app, &cookies, "/licenses").await;
    assert!(licenses.contains("ADVANCED"), "{licenses}");
    for control in [
        "Add licenses",
        "Remove licenses",
        "/licenses/assign",
        "/licenses/unassign",
        "/licenses/quote",
    ] {
        assert!(
            !licenses.contains(control),
            "a viewer must not see {control}"
        );
    }
});

/// A real member and a real seat of Globex, read by Globex's billing admin: the ids another
/// tenant would try, not invented ones.
async fn globex_member_and_seat(app: &TestApp) -> (String, String) {
    let token = app.login("billing@globex.example").await;
    let (_, body) = app
        .graphql(
            "{ viewer { organisation { members(first: 1) { nodes { id } } licenses { seats(first: 1) { nodes { id } } } } } }",
            serde_json::json!({}),
            Some(&token),
        )
        .await;
    let organisation = &body["data"]["viewer"]["organisation"];
    let member = organisation["members"]["nodes"][0]["id"].as_str();
    let seat = organisation["licenses"][0]["seats"]["nodes"][0]["id"].as_str();
    match (member, seat) {
        (Some(member), Some(seat)) => (member.to_owned(), seat.to_owned()),
        _ => panic!("Globex has a member and a seat: {body}"),
    }
}

e2e_test!(a_refused_assignment_is_shown_next_to_its_seat, |app| {
    let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
    let licenses = page(&app, &cookies, "/licenses").await;
    let free_seat = licenses
        .split("action=\"/licenses/assign\"")
        .nth(1)
        .map(|form| field(form, "seat_id"))
        .expect("a free seat with an assign form");

    // No member chosen: the message sits under that seat's dropdown, which is marked invalid.
    let response = form(
        &app,
        &cookies,
        "/licenses/assign",
        &[("csrf", &csrf), ("seat_id", &free_seat), ("member_id", "")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    let error_id = format!("seat-error-{free_seat}");
    assert!(
        html.contains(&format!("id=\"{error_id}\""))
            && html.contains(&format!("aria-describedby=\"{error_id}\"")),
        "{html}"
    );
    assert!(html.contains("Choose a member"), "{html}");
    assert!(!html.contains("class=\"alert\""), "not at the top: {html}");

    let (globex_member, globex_seat) = globex_member_and_seat(&app).await;
    // A member of another organisation is unknown here: refused next to the seat too.
    let response = form(
        &app,
        &cookies,
        "/licenses/assign",
        &[
            ("csrf", &csrf),
            ("seat_id", &free_seat),
            ("member_id", &globex_member),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains(&format!("id=\"{error_id}\"")), "{html}");

    // A seat that is not on the page (another tenant's, or none) cannot have its message
    // beside it: it is shown at the top instead of being lost.
    let response = form(
        &app,
        &cookies,
        "/licenses/unassign",
        &[("csrf", &csrf), ("seat_id", &globex_seat)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("class=\"alert\""), "{html}");
});

e2e_test!(
    every_seat_of_a_large_item_is_reachable_and_assignable,
    |app| {
        let fx = crate::licenses::license_item(
            &app,
            "Acme Telecom",
            "EUR",
            "64",
            150,
            crate::licenses::APRIL_2,
        )
        .await;
        let (cookies, csrf) = signed_in(&app, "billing@acme.example").await;
        let licenses = page(&app, &cookies, "/licenses").await;
        let link = format!("/licenses/seats?item={}", fx.item);
        assert!(
            licenses.contains(&link),
            "the first 100 link to the rest: {licenses}"
        );

        let first = page(&app, &cookies, &link).await;
        assert!(first.contains("Seats 1 to 100 of 150."), "{first}");
        let next = first
            .split("<a href=\"")
            .filter_map(|rest| rest.split('"').next())
            .find(|href| href.contains("after="))
            .map(unescape)
            .expect("a link to the next seats");
        let second = page(&app, &cookies, &next).await;
        assert!(second.contains("Seats 101 to 150 of 150."), "{second}");
        assert!(!second.contains("Next seats"), "the last page: {second}");

        // Assigning on the second page returns to the second page.
        let form_html = second
            .split("action=\"/licenses/assign\"")
            .nth(1)
            .expect("an assign form");
        let seat = field(form_html, "seat_id");
        let after = field(form_html, "after");
        let from = field(form_html, "from");
        assert_eq!(from, "101", "the form remembers where its page starts");
        let member = form_html
            .split("<option value=\"")
            .nth(2)
            .and_then(|rest| rest.split('"').next())
            .expect("a member to choose")
            .to_owned();
        let response = form(
            &app,
            &cookies,
            "/licenses/assign",
            &[
                ("csrf", &csrf),
                ("seat_id", &seat),
                ("member_id", &member),
                ("item", &fx.item),
                ("after", &after),
                ("from", &from),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()[LOCATION]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(
            location.starts_with(&format!("/licenses/seats?item={}&after=", fx.item))
                && location.ends_with("&from=101&seat=assigned"),
            "{location}"
        );
        let back = page(&app, &cookies, &location).await;
        assert!(back.contains("The license is assigned."), "{back}");
        assert!(back.contains("Seats 101 to 150 of 150."), "{back}");

        // A refusal on the second page is shown there, next to its seat, numbered from 101.
        let free = back
            .split("action=\"/licenses/assign\"")
            .nth(1)
            .map(|form| field(form, "seat_id"))
            .expect("another free seat");
        let response = form(
            &app,
            &cookies,
            "/licenses/assign",
            &[
                ("csrf", &csrf),
                ("seat_id", &free),
                ("member_id", ""),
                ("item", &fx.item),
                ("after", &after),
                ("from", &from),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("html");
        assert!(html.contains("Seats 101 to 150 of 150."), "{html}");
        assert!(
            html.contains(&format!("id=\"seat-error-{free}\"")),
            "{html}"
        );

        // Another organisation's item is not shown.
        let globex =
            crate::licenses::license_item(&app, "Globex", "GBP", "25", 1, crate::licenses::APRIL_2)
                .await;
        let response = app
            .client
            .get(format!(
                "{}/licenses/seats?item={}",
                app.address, globex.item
            ))
            .header(COOKIE, &cookies)
            .send()
            .await
            .expect("sent");
        assert_ne!(response.status(), StatusCode::OK);
        let html = response.text().await.expect("html");
        assert!(!html.contains("Seats 1 to"), "{html}");
    }
);
