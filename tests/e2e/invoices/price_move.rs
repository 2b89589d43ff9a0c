//! Moving subscriptions to another version of a price (`moveSubscriptionsToPrice`): the next
//! invoice bills the new version, cancelled subscriptions stay where they are, each move is
//! audited on its customer, and a refused move writes nothing.

use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, e2e_test};

/// The subscriptions' first day.
const ANCHOR: &str = "2026-04-01";

const MOVE: &str = "mutation M($input: MoveSubscriptionsToPriceInput!) {
    moveSubscriptionsToPrice(input: $input) { moved price { id version } } }";

const COUNTS: &str = "query P($id: ID!) {
    product(id: $id) { prices { id version subscriptionItemCount } } }";

/// `(version, items on it)` of every version of `product`, newest first.
async fn counts(staff: &tests::Session<'_>, product: &str) -> Vec<(i64, i64)> {
    let data: Value = staff
        .data("product", COUNTS, json!({ "id": product }))
        .await;
    data["product"]["prices"]
        .as_array()
        .expect("prices")
        .iter()
        .map(|p| {
            (
                p["version"].as_i64().expect("version"),
                p["subscriptionItemCount"].as_i64().expect("count"),
            )
        })
        .collect()
}

e2e_test!(a_move_bills_the_new_version_from_the_next_invoice, |app| {
    let staff = app.as_staff().await;
    let product = staff
        .create_product(
            json!({ "name": "Support plan", "code": "support-plan", "kind": "SERVICE" }),
        )
        .await;
    let price = |amount: &str| {
        json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
                "model": "PER_UNIT", "unitAmount": amount })
    };
    let v1 = staff.create_price(price("10")).await;
    let acme = staff.customer_id("Acme Telecom").await;
    let subscribe = || {
        json!({ "customerId": acme, "anchorDate": ANCHOR, "interval": "MONTH",
                "items": [{ "priceId": v1, "quantity": 3 }] })
    };
    let kept = staff.create_subscription(subscribe()).await;
    let cancelled = staff.create_subscription(subscribe()).await;
    staff
        .graphql(
            "mutation C($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) { subscription { id } } }",
            json!({ "input": { "subscriptionId": cancelled.id, "when": "NOW" } }),
        )
        .await;
    let v2 = staff.create_price(price("12.50")).await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    // 3 × €10.00 before the move.
    assert_eq!(
        billing.upcoming_charges(&kept.id).await.subtotal.amount,
        "30.00"
    );
    assert_eq!(counts(&staff, &product).await, vec![(2, 0), (1, 1)]);

    let moved = staff
        .graphql(
            MOVE,
            json!({ "input": { "fromPriceId": v1, "toPriceId": v2 } }),
        )
        .await;
    assert_eq!(
        moved["data"]["moveSubscriptionsToPrice"]["moved"], 1,
        "{moved}"
    );
    assert_eq!(
        moved["data"]["moveSubscriptionsToPrice"]["price"]["version"],
        2
    );
    // 3 × €12.50 after it; the cancelled subscription's item stays on version 1.
    assert_eq!(
        billing.upcoming_charges(&kept.id).await.subtotal.amount,
        "37.50"
    );
    assert_eq!(counts(&staff, &product).await, vec![(2, 1), (1, 0)]);
    assert_eq!(billing.audit_count("subscription_item.move_price").await, 1);

    // Nothing left to move: an answer of 0, not an error.
    let again = staff
        .graphql(
            MOVE,
            json!({ "input": { "fromPriceId": v1, "toPriceId": v2 } }),
        )
        .await;
    assert_eq!(
        again["data"]["moveSubscriptionsToPrice"]["moved"], 0,
        "{again}"
    );
});

e2e_test!(
    a_move_is_refused_across_products_currencies_and_roles,
    |app| {
        let staff = app.as_staff().await;
        let product = staff
            .create_product(json!({ "name": "Hosting", "code": "hosting", "kind": "SERVICE" }))
            .await;
        let other = staff
            .create_product(json!({ "name": "Backup", "code": "backup", "kind": "SERVICE" }))
            .await;
        let price = |product: &str, currency: &str, interval: &str| {
            json!({ "productId": product, "currency": currency, "interval": interval,
                "model": "PER_UNIT", "unitAmount": "5" })
        };
        let v1 = staff.create_price(price(&product, "EUR", "MONTH")).await;
        let acme = staff.customer_id("Acme Telecom").await;
        staff
            .create_subscription(json!({ "customerId": acme, "anchorDate": ANCHOR,
            "interval": "MONTH", "items": [{ "priceId": v1, "quantity": 1 }] }))
            .await;
        let dollars = staff.create_price(price(&product, "USD", "MONTH")).await;
        let yearly = staff.create_price(price(&product, "EUR", "YEAR")).await;
        let elsewhere = staff.create_price(price(&other, "EUR", "MONTH")).await;
        let attempt = |to: &str| json!({ "input": { "fromPriceId": v1, "toPriceId": to } });

        for to in [&v1, &dollars, &yearly, &elsewhere] {
            assert_bad_input(&staff.graphql(MOVE, attempt(to)).await, "input.toPriceId");
        }
        assert_bad_input(
            &staff
                .graphql(
                    MOVE,
                    json!({ "input": { "fromPriceId": "nonsense", "toPriceId": v1 } }),
                )
                .await,
            "input.fromPriceId",
        );
        assert_code(
            &staff
                .graphql(MOVE, attempt(&ids::PriceId::new().to_string()))
                .await,
            "NOT_FOUND",
        );
        let target = staff.create_price(price(&product, "EUR", "MONTH")).await;
        assert_code(
            &app.as_support().await.graphql(MOVE, attempt(&target)).await,
            "FORBIDDEN",
        );
        assert_code(
            &app.as_billing_admin("Acme Telecom")
                .await
                .graphql(MOVE, attempt(&target))
                .await,
            "FORBIDDEN",
        );
        // Nothing moved by any of them (the other product's price is not this product's).
        assert_eq!(
            counts(&staff, &product).await,
            vec![(4, 0), (3, 0), (2, 0), (1, 1)]
        );
    }
);
