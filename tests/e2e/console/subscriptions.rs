//! Subscriptions from the console: billing staff create one for a customer from the catalog's
//! prices (a quantity that is no number, or a price refused by the API, is shown beside its
//! line, with what was typed kept), pause and resume it, and cancel it at the end of its
//! period. Support is refused by the API and nothing is created.

use reqwest::StatusCode;
use tests::e2e_test;
use tests::html::{form, page};

use super::console_session;

/// The ids of the subscriptions a tab shows.
fn subscription_ids(html: &str) -> Vec<String> {
    html.split("<article class=\"subscription\" aria-labelledby=\"sub-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The value of the first non-empty option of select `name`.
fn first_option(html: &str, name: &str) -> String {
    let select = html
        .split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_else(|| panic!("no select {name}: {html}"));
    select
        .split("<option value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default())
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| panic!("no price offered: {select}"))
        .to_owned()
}

e2e_test!(
    staff_create_pause_resume_and_cancel_a_subscription_support_cannot,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let tab = format!("/admin/customers/{acme}");
        let before = subscription_ids(&page(&app, &cookies, &tab).await);
        let html = page(&app, &cookies, &format!("{tab}/subscriptions/new")).await;
        let price = first_option(&html, "price-0");
        let create = |quantity: &'static str, price: String, cookies: String, token: String| {
            let app = &app;
            let path = format!("{tab}/subscriptions");
            async move {
                form(
                    app,
                    &cookies,
                    &path,
                    &[
                        ("csrf", token.as_str()),
                        ("anchor_date", "2026-11-01"),
                        ("interval", "MONTH"),
                        ("interval_count", "1"),
                        ("price-0", price.as_str()),
                        ("quantity-0", quantity),
                    ],
                )
                .await
            }
        };

        // Refusals beside the line, what was typed kept; nothing created.
        let refused = create("two", price.clone(), cookies.clone(), token.clone()).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"quantity-0-error\""), "{html}");
        assert!(html.contains("value=\"two\""), "{html}");
        let refused = create("1", "price_nope".into(), cookies.clone(), token.clone()).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(
            html.contains("id=\"price-0-error\"") || html.contains("id=\"form-error\""),
            "{html}"
        );

        // Support: the API refuses, shown above the form.
        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        let refused = create("2", price.clone(), support, support_token).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text()
                .await
                .expect("html")
                .contains("id=\"form-error\"")
        );

        let created = create("2", price.clone(), cookies.clone(), token.clone()).await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &format!("{tab}?done=subscription-created")).await;
        assert!(html.contains("The subscription is created"), "{html}");
        let after = subscription_ids(&html);
        assert_eq!(
            after.len(),
            before.len() + 1,
            "one more subscription: {html}"
        );
        let id = after
            .into_iter()
            .find(|id| !before.contains(id))
            .expect("the new subscription");
        let article = html
            .split("<article class=\"subscription\"")
            .find(|a| a.contains(&format!("sub-{id}\"")))
            .expect("its article");
        assert!(
            article.contains("<td class=\"num\">2</td>") && article.contains("Monthly"),
            "{article}"
        );

        let act = |action: &'static str, extra: Option<(&'static str, &'static str)>| {
            let (app, cookies, token, tab, id) = (
                &app,
                cookies.clone(),
                token.clone(),
                tab.clone(),
                id.clone(),
            );
            async move {
                let mut fields = vec![("csrf", token.as_str())];
                fields.extend(extra);
                form(
                    app,
                    &cookies,
                    &format!("{tab}/subscriptions/{id}/{action}"),
                    &fields,
                )
                .await
            }
        };
        assert_eq!(act("pause", None).await.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &tab).await;
        assert!(
            html.contains(&format!("{tab}/subscriptions/{id}/resume")),
            "paused: {html}"
        );
        assert_eq!(act("resume", None).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            act("cancel", Some(("when", "END_OF_PERIOD")))
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        let html = page(
            &app,
            &cookies,
            &format!("{tab}?done=subscription-cancelled"),
        )
        .await;
        let article = html
            .split("<article class=\"subscription\"")
            .find(|a| a.contains(&format!("sub-{id}\"")))
            .expect("the subscription");
        assert!(article.contains("<dt>Ends</dt>"), "{article}");
        assert!(
            !article.contains("/cancel\""),
            "no second cancellation offered: {article}"
        );
    }
);

e2e_test!(
    a_subscription_is_created_with_its_own_rate_po_number_and_notes,
    |app| {
        // ChargeOver's billing package: the rate of each line, the PO number and the notes
        // its invoices carry, and whether they are paid automatically, set when the
        // subscription is created.
        let acme = app.customer_id("Acme Telecom").await;
        let staff = app.as_staff().await;
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let product = staff
            .create_product(serde_json::json!({ "name": "Support plan",
                "code": format!("support-{suffix}"), "kind": "SERVICE" }))
            .await;
        let price = staff
            .create_price(serde_json::json!({ "productId": product, "currency": "EUR",
                "interval": "MONTH", "model": "PER_UNIT", "unitAmount": "12.50" }))
            .await;
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let tab = format!("/admin/customers/{acme}");
        let before = subscription_ids(&page(&app, &cookies, &tab).await);
        let html = page(&app, &cookies, &format!("{tab}/subscriptions/new")).await;
        assert!(html.contains("id=\"unit_price-0\""), "{html}");
        let post = |unit_price: &'static str| {
            let (app, cookies, token, path, price) = (
                &app,
                cookies.clone(),
                token.clone(),
                format!("{tab}/subscriptions"),
                price.clone(),
            );
            async move {
                form(
                    app,
                    &cookies,
                    &path,
                    &[
                        ("csrf", token.as_str()),
                        ("anchor_date", "2026-11-01"),
                        ("interval", "MONTH"),
                        ("interval_count", "1"),
                        ("po_number", "PO-2026-17"),
                        ("invoice_notes", "Rack 4, Paris"),
                        ("payment", "manual"),
                        ("price-0", price.as_str()),
                        ("quantity-0", "3"),
                        ("unit_price-0", unit_price),
                    ],
                )
                .await
            }
        };

        // A rate that is no amount: refused beside its line by the API, what was typed kept.
        let refused = post("cheap").await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"unit_price-0-error\""), "{html}");
        assert!(
            html.contains("value=\"cheap\"") && html.contains("value=\"PO-2026-17\""),
            "{html}"
        );
        let unchanged = subscription_ids(&page(&app, &cookies, &tab).await);
        assert_eq!(unchanged, before, "nothing created");

        let created = post("9.75").await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        let after = subscription_ids(&page(&app, &cookies, &tab).await);
        let id = after
            .into_iter()
            .find(|id| !before.contains(id))
            .expect("the new subscription");
        let data: serde_json::Value = staff
            .data(
                "subscription",
                "query Q($id: ID!) { customer(id: $id) { subscriptions { nodes {
                    id poNumber invoiceNotes automaticPayment
                    items { quantity unitPriceOverride } } } } }",
                serde_json::json!({ "id": acme }),
            )
            .await;
        let created = data["customer"]["subscriptions"]["nodes"]
            .as_array()
            .expect("subscriptions")
            .iter()
            .find(|s| s["id"] == id.as_str())
            .expect("the new subscription")
            .clone();
        assert_eq!(
            created,
            serde_json::json!({ "id": id, "poNumber": "PO-2026-17",
                "invoiceNotes": "Rack 4, Paris", "automaticPayment": false,
                "items": [{ "quantity": 3, "unitPriceOverride": "9.75" }] })
        );
    }
);

e2e_test!(
    billing_staff_turn_automatic_payment_off_and_the_dunning_page_says_so,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let tab = format!("/admin/customers/{acme}");
        // Support reads the switch but is offered no button, and the API refuses its post.
        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        let html = page(&app, &support, &tab).await;
        let id = subscription_ids(&html).pop().expect("Acme's subscription");
        let switch = format!("{tab}/subscriptions/{id}/automatic-payment");
        assert!(
            html.contains(&format!("id=\"automatic-payment-{id}\">On:")),
            "{html}"
        );
        assert!(!html.contains(&switch), "{html}");
        let refused = form(
            &app,
            &support,
            &switch,
            &[
                ("csrf", support_token.as_str()),
                ("automatic_payment", "off"),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let html = page(&app, &support, &tab).await;
        assert!(
            html.contains(&format!("id=\"automatic-payment-{id}\">On:")),
            "unchanged: {html}"
        );

        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let html = page(&app, &cookies, &tab).await;
        assert!(html.contains(&switch), "{html}");
        let unknown = form(
            &app,
            &cookies,
            &switch,
            &[("csrf", token.as_str()), ("automatic_payment", "maybe")],
        )
        .await;
        assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
        let done = form(
            &app,
            &cookies,
            &switch,
            &[("csrf", token.as_str()), ("automatic_payment", "off")],
        )
        .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &format!("{tab}?done=automatic-payment-off")).await;
        assert!(html.contains("Automatic payment is off"), "{html}");
        assert!(
            html.contains(&format!("id=\"automatic-payment-{id}\">Off:")),
            "{html}"
        );

        // Its next invoice waits for a transfer, and the dunning page says why nothing is tried.
        let (invoice, _) = crate::payments::open_invoice(&app, "Acme Telecom").await;
        let dunning = page(&app, &cookies, "/admin/dunning").await;
        let row = dunning
            .split("<tr>")
            .find(|row| row.contains(&invoice))
            .unwrap_or_else(|| panic!("the invoice is listed: {dunning}"));
        assert!(row.contains("Off for its subscription"), "{row}");
    }
);

e2e_test!(the_subscriptions_tab_pages_and_keeps_its_filter, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    let staff = app.as_billing_staff().await;
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let product = staff
        .create_product(serde_json::json!({ "name": "Site link",
                "code": format!("link-{suffix}"), "kind": "SERVICE" }))
        .await;
    let price = staff
        .create_price(serde_json::json!({ "productId": product, "currency": "EUR",
                "interval": "MONTH", "model": "FLAT", "unitAmount": "10" }))
        .await;
    // The demo's one, and 20 more: 21 active subscriptions, one more than a page.
    for _ in 0..20 {
        let body = staff
            .graphql(
                "mutation C($input: CreateSubscriptionInput!) { createSubscription(input: $input) {
                        subscription { id } } }",
                serde_json::json!({ "input": { "customerId": acme, "anchorDate": "2026-11-01",
                        "interval": "MONTH", "items": [{ "priceId": price, "quantity": 1 }] } }),
            )
            .await;
        tests::assert_ok(&body);
    }
    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let tab = format!("/admin/customers/{acme}");
    let first = page(&app, &cookies, &format!("{tab}?status=ACTIVE")).await;
    let shown = subscription_ids(&first);
    assert_eq!(shown.len(), 20, "a page of 20");
    let next = first
        .split("rel=\"next\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|rest| rest.split('"').next())
        .map(tests::html::unescape)
        .expect("a next page");
    assert!(next.contains("status=ACTIVE"), "the filter is kept: {next}");
    let second = page(&app, &cookies, &next).await;
    let rest = subscription_ids(&second);
    assert_eq!(rest.len(), 1, "{second}");
    assert!(!shown.contains(&rest[0]), "no subscription twice");
    assert!(!second.contains("rel=\"next\""), "the last page");
});
