//! The portal's license pages over plain HTTP forms (no JavaScript): the quote journey, seat
//! assignment, refusals shown where they belong, every form CSRF-checked.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use tests::html::{field, form, page, signed_in, unescape};
use tests::{TestApp, e2e_test};

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
        let fx = tests::LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(150)
            .at(crate::licenses::APRIL_2)
            .create(&app)
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
        let globex = tests::LicenseItemFixture::for_organisation("Globex")
            .currency("GBP")
            .unit_price("25")
            .seats(1)
            .at(crate::licenses::APRIL_2)
            .create(&app)
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
