//! Changing a subscription from the console: billing staff set a line's quantity (the page
//! says what the next invoice charges for it) and its own unit price, add a line from the
//! catalog and remove it, and set the PO number its invoices carry; a quantity that is no
//! number is refused before the API, and support is refused by the API with nothing changed.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use tests::html::{form, page};
use tests::{TestApp, e2e_test};

use super::console_session;

/// `(quantity, own unit price)` of each line of `subscription`, as the API has them.
async fn lines(app: &TestApp, customer: &str, subscription: &str) -> Vec<(i64, Value)> {
    let staff = app.as_staff().await;
    let data: Value = staff
        .data(
            "customer",
            "query C($id: ID!) { customer(id: $id) { subscriptions { nodes { id items { quantity unitPriceOverride } } } } }",
            json!({ "id": customer }),
        )
        .await;
    data["customer"]["subscriptions"]["nodes"]
        .as_array()
        .expect("subscriptions")
        .iter()
        .find(|s| s["id"] == subscription)
        .expect("the subscription")["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["quantity"].as_i64().expect("quantity"),
                i["unitPriceOverride"].clone(),
            )
        })
        .collect()
}

e2e_test!(
    staff_change_a_subscriptions_lines_and_invoice_details,
    |app| {
        let staff = app.as_staff().await;
        let product = staff
            .create_product(
                json!({ "name": "Support plan", "code": "support-plan", "kind": "SERVICE" }),
            )
            .await;
        let price = staff
            .create_price(
                json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": "10" }),
            )
            .await;
        let extra = staff
            .create_product(json!({ "name": "Backup", "code": "backup", "kind": "SERVICE" }))
            .await;
        let backup = staff
            .create_price(
                json!({ "productId": extra, "currency": "EUR", "interval": "MONTH",
            "model": "PER_UNIT", "unitAmount": "3" }),
            )
            .await;
        let acme = staff.customer_id("Acme Telecom").await;
        let subscription = staff
            .create_subscription(json!({ "customerId": acme, "anchorDate": "2026-11-01",
            "interval": "MONTH", "items": [{ "priceId": price, "quantity": 2 }] }))
            .await;
        let item = subscription.items[0].clone();
        let path = format!("/admin/customers/{acme}/subscriptions/{}", subscription.id);
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let html = page(&app, &cookies, &path).await;
        assert!(html.contains(&format!("id=\"item-{item}\"")), "{html}");
        assert!(html.contains("€10.00"), "{html}");
        assert!(html.contains("Backup: €3.00 (v1)"), "offered: {html}");
        let change = format!("{path}/items/change");

        let refused = form(
            &app,
            &cookies,
            &change,
            &[
                ("csrf", &token),
                ("item", &item),
                ("action", "quantity"),
                ("quantity", "three"),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text()
                .await
                .expect("html")
                .contains("Enter a whole number")
        );

        let changed = form(
            &app,
            &cookies,
            &change,
            &[
                ("csrf", &token),
                ("item", &item),
                ("action", "quantity"),
                ("quantity", "3"),
            ],
        )
        .await;
        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        let to = changed.headers()[LOCATION]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(to.contains("done=quantity") && to.contains("next="), "{to}");
        let html = page(&app, &cookies, &to).await;
        assert!(
            html.contains("The quantity is changed. The next invoice charges €"),
            "{html}"
        );
        assert_eq!(
            lines(&app, &acme, &subscription.id).await,
            vec![(3, Value::Null)]
        );

        let priced = form(
            &app,
            &cookies,
            &change,
            &[
                ("csrf", &token),
                ("item", &item),
                ("action", "unit_price"),
                ("unit_price", "9.5"),
            ],
        )
        .await;
        assert_eq!(priced.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &path).await;
        assert!(html.contains("€9.50"), "{html}");
        assert_eq!(
            lines(&app, &acme, &subscription.id).await,
            vec![(3, json!("9.5"))]
        );

        let added = form(
            &app,
            &cookies,
            &format!("{path}/items"),
            &[("csrf", &token), ("price", &backup), ("quantity", "1")],
        )
        .await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        assert_eq!(lines(&app, &acme, &subscription.id).await.len(), 2);
        let html = page(&app, &cookies, &path).await;
        let backup_item = html
            .split("<tr id=\"item-")
            .find(|row| row.contains("Backup"))
            .and_then(|row| row.split('"').next())
            .expect("the added line")
            .to_owned();
        let removed = form(
            &app,
            &cookies,
            &change,
            &[
                ("csrf", &token),
                ("item", &backup_item),
                ("action", "remove"),
            ],
        )
        .await;
        assert_eq!(removed.status(), StatusCode::SEE_OTHER);
        assert_eq!(lines(&app, &acme, &subscription.id).await.len(), 1);

        let saved = form(
            &app,
            &cookies,
            &format!("{path}/details"),
            &[
                ("csrf", &token),
                ("po_number", "PO-77"),
                ("invoice_notes", ""),
            ],
        )
        .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert!(
            page(&app, &cookies, &path)
                .await
                .contains("value=\"PO-77\"")
        );

        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        let refused = form(
            &app,
            &support,
            &change,
            &[
                ("csrf", &support_token),
                ("item", &item),
                ("action", "quantity"),
                ("quantity", "5"),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.expect("html").contains("Not allowed"));
        assert_eq!(
            lines(&app, &acme, &subscription.id).await,
            vec![(3, json!("9.5"))]
        );
    }
);
