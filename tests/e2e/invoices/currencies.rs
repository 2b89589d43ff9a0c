//! Billing runs in zero- and three-decimal currencies, anchored on the 31st and on a leap day:
//! periods clamp to the shorter month and return to the anchor, and every amount is a whole
//! number of the currency's minor units, rounded once.

use serde_json::{Value, json};
use tests::{Session, assert_ok, e2e_test, instant};

async fn staff_call(staff: &Session<'_>, query: &str, input: Value) -> Value {
    let body = staff.graphql(query, json!({ "input": input })).await;
    assert_ok(&body);
    body["data"].clone()
}

/// A customer in `currency` subscribed by staff from `anchor` to `quantity` × a monthly
/// service at `unit`; returns the customer's id.
async fn subscribed(
    staff: &Session<'_>,
    (currency, zone, tax): (&str, &str, &str),
    (unit, quantity): (&str, u32),
    anchor: &str,
) -> Value {
    let customer = staff_call(
        staff,
        "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
        json!({ "name": format!("{currency} customer"), "email": "billing@example.com",
                "currency": currency, "timeZone": zone, "taxRate": tax }),
    )
    .await["createCustomer"]["customer"]["id"]
        .clone();
    let product = staff_call(
        staff,
        "mutation P($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
        json!({ "name": "Support", "code": format!("support-{}", currency.to_lowercase()),
                "kind": "SERVICE" }),
    )
    .await["createProduct"]["product"]["id"]
        .clone();
    let price = staff_call(
        staff,
        "mutation P($input: CreatePriceInput!) { createPrice(input: $input) { price { id } } }",
        json!({ "productId": product, "currency": currency, "interval": "MONTH",
                "model": "PER_UNIT", "unitAmount": unit }),
    )
    .await["createPrice"]["price"]["id"]
        .clone();
    staff_call(
        staff,
        "mutation S($input: CreateSubscriptionInput!) { createSubscription(input: $input) { subscription { id } } }",
        json!({ "customerId": customer, "anchorDate": anchor, "interval": "MONTH",
                "items": [{ "priceId": price, "quantity": quantity }] }),
    )
    .await;
    customer
}

const INVOICES: &str = "query I($id: ID!) { customer(id: $id) { invoices(first: 10) { nodes {
    issueDate periodStart periodEnd lines { description amount { amount } }
    subtotal { amount currency } tax { amount } total { amount } } } } }";

e2e_test!(
    a_yen_customer_anchored_on_the_31st_is_billed_to_the_yen,
    |app| {
        // Noon in Tokyo on 31 January 2026.
        app.app.services.clock.set(instant("2026-01-31T03:00:00Z"));
        let staff = app.as_staff().await;
        let customer = subscribed(
            &staff,
            ("JPY", "Asia/Tokyo", "10"),
            ("1234.5", 3),
            "2026-01-31",
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

        let body = staff.graphql(INVOICES, json!({ "id": customer })).await;
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

e2e_test!(
    a_dinar_customer_anchored_on_a_leap_day_is_billed_to_the_fils,
    |app| {
        // Noon in Kuwait on 29 February 2028, a leap day.
        app.app.services.clock.set(instant("2028-02-29T09:00:00Z"));
        let staff = app.as_staff().await;
        let customer = subscribed(
            &staff,
            ("KWD", "Asia/Kuwait", "5"),
            ("1.2345", 3),
            "2028-02-29",
        )
        .await;
        let report = app
            .app
            .services
            .billing_runs
            .run("2028-03-29".parse().expect("date"))
            .await
            .expect("run");
        // In 2028 the demo subscriptions (seeded today) are due too: look at ours only.
        let ours: Vec<_> = report
            .invoiced
            .iter()
            .filter(|b| customer == b.customer.to_string().as_str())
            .collect();
        assert_eq!(ours.len(), 1, "{report:?}");
        assert!(ours[0].number.starts_with("INV-2028-"), "{ours:?}");
        let body = staff.graphql(INVOICES, json!({ "id": customer })).await;
        assert_ok(&body);
        let invoice = &body["data"]["customer"]["invoices"]["nodes"][0];
        // The 29th every month from a leap day: [29 Mar, 29 Apr).
        assert_eq!(invoice["periodStart"], "2028-03-29", "{body}");
        assert_eq!(invoice["periodEnd"], "2028-04-29", "{body}");
        // Three decimals: 3 × 1.2345 = 3.7035 -> 3.704 (half away from zero); 5 % of 3.704 =
        // 0.1852 -> 0.185; total 3.889.
        assert_eq!(invoice["subtotal"]["amount"], "3.704", "{body}");
        assert_eq!(invoice["subtotal"]["currency"], "KWD");
        assert_eq!(invoice["tax"]["amount"], "0.185");
        assert_eq!(invoice["total"]["amount"], "3.889");
    }
);
