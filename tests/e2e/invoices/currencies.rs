//! A billing run in a zero-decimal currency, anchored on the 31st: each period clamps to the end
//! of the shorter month and returns to the 31st, and every amount is whole yen, rounded once.

use serde_json::{Value, json};
use tests::{Session, assert_ok, e2e_test, instant};

async fn staff_call(staff: &Session<'_>, query: &str, input: Value) -> Value {
    let body = staff.graphql(query, json!({ "input": input })).await;
    assert_ok(&body);
    body["data"].clone()
}

e2e_test!(
    a_yen_customer_anchored_on_the_31st_is_billed_to_the_yen,
    |app| {
        // Noon in Tokyo on 31 January 2026.
        app.app.services.clock.set(instant("2026-01-31T03:00:00Z"));
        let staff = app.as_staff().await;
        let customer = staff_call(
        &staff,
        "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
        json!({ "name": "Tokyo KK", "email": "billing@tokyo.example", "currency": "JPY",
                "timeZone": "Asia/Tokyo", "taxRate": "10" }),
    )
    .await["createCustomer"]["customer"]["id"]
        .clone();
        let product = staff_call(
        &staff,
        "mutation P($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
        json!({ "name": "Support", "code": "support-jpy", "kind": "SERVICE" }),
    )
    .await["createProduct"]["product"]["id"]
        .clone();
        let price = staff_call(
            &staff,
            "mutation P($input: CreatePriceInput!) { createPrice(input: $input) { price { id } } }",
            json!({ "productId": product, "currency": "JPY", "interval": "MONTH",
                "model": "PER_UNIT", "unitAmount": "1234.5" }),
        )
        .await["createPrice"]["price"]["id"]
            .clone();
        staff_call(
        &staff,
        "mutation S($input: CreateSubscriptionInput!) { createSubscription(input: $input) { subscription { id } } }",
        json!({ "customerId": customer, "anchorDate": "2026-01-31", "interval": "MONTH",
                "items": [{ "priceId": price, "quantity": 3 }] }),
    )
    .await;

        let report = app
            .app
            .services
            .billing_runs
            .run("2026-04-01".parse().expect("date"))
            .await
            .expect("run");
        assert_eq!(report.invoiced.len(), 2, "{report:?}");

        let body = staff
            .graphql(
                "query I($id: ID!) { customer(id: $id) { invoices(first: 10) { nodes {
                issueDate periodStart periodEnd lines { description amount { amount } }
                subtotal { amount currency } tax { amount } total { amount } } } } }",
                json!({ "id": customer }),
            )
            .await;
        assert_ok(&body);
        let invoices = body["data"]["customer"]["invoices"]["nodes"]
            .as_array()
            .expect("invoices");
        let periods: Vec<(&str, &str, &str)> = invoices
            .iter()
            .map(|i| {
                (
                    i["issueDate"].as_str().expect("issued"),
                    i["periodStart"].as_str().expect("start"),
                    i["periodEnd"].as_str().expect("end"),
                )
            })
            .collect();
        // Newest first. Jan 31 -> Feb 28 (clamped) -> Mar 31 (back to the anchor) -> Apr 30.
        assert_eq!(
            periods,
            [
                ("2026-03-31", "2026-03-31", "2026-04-30"),
                ("2026-02-28", "2026-02-28", "2026-03-31"),
            ]
        );
        for invoice in invoices {
            // 3 × ¥1,234.5 = ¥3,703.5 -> ¥3,704 (half away from zero, once, at the line);
            // tax 10 % of 3,704 = 370.4 -> ¥370; total ¥4,074.
            assert_eq!(invoice["lines"][0]["amount"]["amount"], "3704", "{invoice}");
            assert_eq!(invoice["subtotal"]["amount"], "3704");
            assert_eq!(invoice["subtotal"]["currency"], "JPY");
            assert_eq!(invoice["tax"]["amount"], "370");
            assert_eq!(invoice["total"]["amount"], "4074");
        }
    }
);
