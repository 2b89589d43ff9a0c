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
        // its invoices carry, set when the subscription is created.
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
                "query Q($id: ID!) { customer(id: $id) { subscriptions {
                    id poNumber invoiceNotes items { quantity unitPriceOverride } } } }",
                serde_json::json!({ "id": acme }),
            )
            .await;
        let created = data["customer"]["subscriptions"]
            .as_array()
            .expect("subscriptions")
            .iter()
            .find(|s| s["id"] == id.as_str())
            .expect("the new subscription")
            .clone();
        assert_eq!(
            created,
            serde_json::json!({ "id": id, "poNumber": "PO-2026-17",
                "invoiceNotes": "Rack 4, Paris",
                "items": [{ "quantity": 3, "unitPriceOverride": "9.75" }] })
        );
    }
);
