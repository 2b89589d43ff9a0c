//! A license line's seats changed from the console through the same binding quote as the
//! portal's: the quote page shows the reference proration (€64 a month, 29 of 30 days left:
//! €61.87, €74.24 with 20 % tax on the next invoice); applying it changes the seats once, even
//! posted twice; a line charged immediately links the invoice issued; a count that is no
//! number is refused before the API, a removal the price does not allow and support's quote
//! by it, with nothing stored.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::json;
use tests::html::{field, form, page};
use tests::{LicenseItemFixture, TestApp, e2e_test};

use super::console_session;

/// The seats of `customer`'s license item `item`, as the API has them.
async fn seats(app: &TestApp, customer: &str, item: &str) -> i64 {
    let staff = app.as_staff().await;
    let data: serde_json::Value = staff
        .data(
            "customer",
            "query L($customer: ID!, $item: ID!) { customer(id: $customer) { licenseItem(id: $item) { quantity } } }",
            json!({ "customer": customer, "item": item }),
        )
        .await;
    data["customer"]["licenseItem"]["quantity"]
        .as_i64()
        .expect("quantity")
}

/// Quotes changing `item`'s seats by `action` (`add` or `remove`) `count` from the console.
async fn quote(
    app: &TestApp,
    (cookies, token): (&str, &str),
    path: &str,
    (item, action, count): (&str, &str, &str),
) -> reqwest::Response {
    form(
        app,
        cookies,
        &format!("{path}/seats/quote"),
        &[
            ("csrf", token),
            ("item", item),
            ("action", action),
            ("seats", count),
        ],
    )
    .await
}

/// Applies the quote `quote_page` shows, with the key chosen with that page.
async fn apply(
    app: &TestApp,
    (cookies, token): (&str, &str),
    path: &str,
    quote_page: &str,
) -> reqwest::Response {
    let fields = [
        ("csrf", token),
        ("quote", &field(quote_page, "quote")),
        ("key", &field(quote_page, "key")),
    ];
    form(app, cookies, &format!("{path}/seats/apply"), &fields).await
}

e2e_test!(staff_change_seats_through_a_binding_quote, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(10)
        .at("2026-04-02T08:00:00Z")
        .create(&app)
        .await;
    let path = format!(
        "/admin/customers/{}/subscriptions/{}",
        fx.customer, fx.subscription
    );
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let session = (cookies.as_str(), token.as_str());
    let html = page(&app, &cookies, &path).await;
    assert!(
        html.contains(&format!("id=\"seats-{}\"", fx.item)),
        "{html}"
    );
    assert!(html.contains("10 seats;"), "{html}");

    let refused = quote(&app, session, &path, (&fx.item, "add", "none")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("Enter the seats to add or remove"), "{html}");

    let quoted = quote(&app, session, &path, (&fx.item, "add", "1")).await;
    assert_eq!(quoted.status(), StatusCode::OK);
    let html = quoted.text().await.expect("html");
    assert!(html.contains("Add 1 seat of ADVANCED"), "{html}");
    assert!(html.contains("10 → 11"), "{html}");
    // The seat's price and the new total say for which period.
    assert!(
        html.contains("id=\"quote-unit-price\">€64.00 per month"),
        "{html}"
    );
    assert!(
        html.contains("id=\"quote-new-total\">€704.00 per month"),
        "{html}"
    );
    assert!(
        html.contains("1 ADVANCED license at €61.87 for 29 days: €61.87"),
        "{html}"
    );
    assert!(html.contains("id=\"quote-next-invoice\">€74.24"), "{html}");
    assert!(!html.contains("quote-due-now"), "{html}");
    assert_eq!(
        seats(&app, &fx.customer, &fx.item).await,
        10,
        "a quote changes nothing"
    );

    let applied = apply(&app, (&cookies, &token), &path, &html).await;
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    let to = applied.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(to.contains("done=seats") && to.contains("seats=11"), "{to}");
    assert!(
        !to.contains("invoice="),
        "charged on the next invoice: {to}"
    );
    let notice = page(&app, &cookies, &to).await;
    assert!(notice.contains("the line has 11 seats now"), "{notice}");
    // The same form again (a double click): applied once.
    let again = apply(&app, (&cookies, &token), &path, &html).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(seats(&app, &fx.customer, &fx.item).await, 11);

    let (support, support_token) = console_session(&app, "support@billfold.example").await;
    let refused = quote(
        &app,
        (&support, &support_token),
        &path,
        (&fx.item, "remove", "1"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.expect("html").contains("Not allowed"));
    assert_eq!(seats(&app, &fx.customer, &fx.item).await, 11);

    // The price removes seats one at a time: the API's refusal, shown above the forms.
    let refused = quote(&app, session, &path, (&fx.item, "remove", "2")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("html");
    assert!(html.contains("removed one at a time"), "{html}");

    let removed = quote(&app, session, &path, (&fx.item, "remove", "1")).await;
    let status = removed.status();
    let html = removed.text().await.expect("html");
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Remove 1 seat of ADVANCED"), "{html}");
    assert!(
        html.contains("11 → 10") && html.contains("Paid until"),
        "{html}"
    );
    let applied = apply(&app, (&cookies, &token), &path, &html).await;
    assert_eq!(applied.status(), StatusCode::SEE_OTHER);
    assert_eq!(seats(&app, &fx.customer, &fx.item).await, 10);
});

e2e_test!(seats_charged_at_once_link_the_invoice_issued, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(2)
        .charged_immediately()
        .at("2026-04-02T08:00:00Z")
        .create(&app)
        .await;
    let path = format!(
        "/admin/customers/{}/subscriptions/{}",
        fx.customer, fx.subscription
    );
    let (cookies, token) = console_session(&app, "billing@billfold.example").await;
    let quoted = quote(&app, (&cookies, &token), &path, (&fx.item, "add", "2")).await;
    let html = quoted.text().await.expect("html");
    // 2 × €61.87 = €123.74, 20 % tax €24.75: €148.49 charged now.
    assert!(html.contains("id=\"quote-due-now\">€148.49"), "{html}");
    let applied = apply(&app, (&cookies, &token), &path, &html).await;
    let to = applied.headers()[LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let invoice = to
        .split("invoice=")
        .nth(1)
        .expect("the invoice issued")
        .to_owned();
    let html = page(&app, &cookies, &to).await;
    assert!(
        html.contains(&format!(
            "/admin/customers/{}/invoices/{invoice}\" id=\"seats-invoice\"",
            fx.customer
        )),
        "{html}"
    );
    let invoice_page = page(
        &app,
        &cookies,
        &format!("/admin/customers/{}/invoices/{invoice}", fx.customer),
    )
    .await;
    assert!(invoice_page.contains("€148.49"), "{invoice_page}");
});
