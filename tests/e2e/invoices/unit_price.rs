//! A subscription item's own unit price (ChargeOver's per-customer pricing): the next invoice
//! and license quotes use it, a quote made before it goes stale, taking it back restores the
//! price's, and bad amounts, tiered prices and customers are refused with nothing written.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, assert_bad_input, assert_code, assert_ok, e2e_test};

use crate::licenses::APRIL_2;

const SET: &str = "mutation S($input: SetSubscriptionItemUnitPriceInput!) {
    setSubscriptionItemUnitPrice(input: $input) { item { id unitPriceOverride } } }";

e2e_test!(an_item_billed_at_its_own_unit_price, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .seats(10)
        .at(APRIL_2)
        .create(&app)
        .await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let before = billing.preview_license_change(&fx.item, 1).await;

    let staff = app.as_staff().await;
    let set = |price: Value| json!({ "input": { "itemId": fx.item, "unitPrice": price } });
    let body = staff.graphql(SET, set(json!("50"))).await;
    assert_ok(&body);
    assert_eq!(
        body["data"]["setSubscriptionItemUnitPrice"]["item"]["unitPriceOverride"],
        "50"
    );

    let upcoming = billing.upcoming_charges(&fx.subscription).await;
    assert_eq!(
        upcoming.descriptions(),
        vec!["10 ADVANCED licenses at €50.00 each"]
    );
    assert_eq!(upcoming.subtotal.amount, "500.00");
    // A quote made at €64 no longer holds; a new one is at €50: 50 × 29/30 = €48.33.
    let stale = billing.try_apply_license_change(&before.id, "stale").await;
    assert_code(&stale, "QUOTE_STALE");
    let quote = billing.preview_license_change(&fx.item, 1).await;
    assert_eq!(quote.unit_price.amount, "50.00");
    assert_eq!(quote.prorated_unit_amount.amount, "48.33");

    // Refusals, none of which writes anything.
    for bad in ["-1", "0.0000000000001", "fifty"] {
        assert_bad_input(
            &staff.graphql(SET, set(json!(bad))).await,
            "input.unitPrice",
        );
    }
    assert_code(&billing.graphql(SET, set(json!("1"))).await, "FORBIDDEN");
    let unknown = format!("si_{}", uuid::Uuid::now_v7().simple());
    assert_code(
        &staff
            .graphql(
                SET,
                json!({ "input": { "itemId": unknown, "unitPrice": "1" } }),
            )
            .await,
        "NOT_FOUND",
    );
    assert_bad_input(
        &staff
            .graphql(
                SET,
                json!({ "input": { "itemId": "si_x", "unitPrice": "1" } }),
            )
            .await,
        "input.itemId",
    );
    assert_eq!(
        billing
            .upcoming_charges(&fx.subscription)
            .await
            .subtotal
            .amount,
        "500.00"
    );

    // Back to the price's own amount.
    assert_ok(&staff.graphql(SET, set(Value::Null)).await);
    assert_eq!(
        billing
            .upcoming_charges(&fx.subscription)
            .await
            .subtotal
            .amount,
        "640.00"
    );
});

e2e_test!(a_tiered_price_has_no_unit_price_to_replace, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let product = staff
        .create_product(json!({ "name": "Storage", "code": "storage-t", "kind": "SERVICE" }))
        .await;
    let price = staff
        .create_price(json!({
            "productId": product, "currency": "EUR", "interval": "MONTH", "model": "GRADUATED",
            "tiers": [
                { "from": 1, "to": 10, "unitAmount": "2", "flatFee": "0" },
                { "from": 11, "unitAmount": "1", "flatFee": "0" }
            ]
        }))
        .await;
    let anchor = chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-01")
        .to_string();
    let subscription = staff
        .create_subscription(json!({
            "customerId": acme, "anchorDate": anchor, "interval": "MONTH",
            "items": [{ "priceId": price, "quantity": 12 }]
        }))
        .await;
    let body = staff
        .graphql(
            SET,
            json!({ "input": { "itemId": subscription.items[0], "unitPrice": "1.5" } }),
        )
        .await;
    assert_bad_input(&body, "input.unitPrice");
});

e2e_test!(
    a_line_priced_at_creation_is_checked_like_a_later_change,
    |app| {
        // `createSubscription` takes a line's own unit price, the PO number and the notes at
        // once; each refusal names its field and creates nothing.
        const CREATE: &str = "mutation C($input: CreateSubscriptionInput!) {
            createSubscription(input: $input) { subscription { id poNumber invoiceNotes
                items { unitPriceOverride } } } }";
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let product = staff
            .create_product(json!({ "name": "Storage", "code": "storage-c", "kind": "SERVICE" }))
            .await;
        let tiered = staff
            .create_price(json!({
                "productId": product, "currency": "EUR", "interval": "MONTH",
                "model": "GRADUATED",
                "tiers": [
                    { "from": 1, "to": 10, "unitAmount": "2", "flatFee": "0" },
                    { "from": 11, "unitAmount": "1", "flatFee": "0" }
                ]
            }))
            .await;
        // A product of its own: a new price version of the same product would retire the first.
        let support = staff
            .create_product(json!({ "name": "Support", "code": "support-c", "kind": "SERVICE" }))
            .await;
        let per_unit = staff
            .create_price(json!({ "productId": support, "currency": "EUR",
                "interval": "MONTH", "model": "PER_UNIT", "unitAmount": "2" }))
            .await;
        let anchor = chrono::Utc::now()
            .date_naive()
            .format("%Y-%m-01")
            .to_string();
        let input = |items: Value, po: &str| {
            json!({ "input": { "customerId": acme, "anchorDate": anchor, "interval": "MONTH",
                "items": items, "poNumber": po, "invoiceNotes": "Rack 4" } })
        };
        let subscriptions = || async {
            let data: Value = staff
                .data(
                    "count",
                    "query Q($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
                    json!({ "id": acme }),
                )
                .await;
            data["customer"]["subscriptions"]["nodes"]
                .as_array()
                .map_or(0, Vec::len)
        };
        let before = subscriptions().await;
        let refusals = [
            (
                input(
                    json!([{ "priceId": per_unit, "quantity": 1 },
                        { "priceId": tiered, "quantity": 12, "unitPrice": "1.5" }]),
                    "PO-1",
                ),
                "input.items.1.unitPrice",
            ),
            (
                input(
                    json!([{ "priceId": per_unit, "quantity": 1, "unitPrice": "two" }]),
                    "PO-1",
                ),
                "input.items.0.unitPrice",
            ),
            (
                input(
                    json!([{ "priceId": per_unit, "quantity": 1 }]),
                    &"P".repeat(101),
                ),
                "input.poNumber",
            ),
        ];
        for (variables, field) in refusals {
            assert_bad_input(&staff.graphql(CREATE, variables).await, field);
        }
        assert_eq!(subscriptions().await, before, "nothing created");

        let body = staff
            .graphql(
                CREATE,
                input(
                    json!([{ "priceId": per_unit, "quantity": 3, "unitPrice": "1.75" }]),
                    "PO-1",
                ),
            )
            .await;
        assert_ok(&body);
        let created = &body["data"]["createSubscription"]["subscription"];
        assert_eq!(created["poNumber"], "PO-1");
        assert_eq!(created["invoiceNotes"], "Rack 4");
        assert_eq!(created["items"][0]["unitPriceOverride"], "1.75");
        let upcoming = app
            .as_billing_admin("Acme Telecom")
            .await
            .upcoming_charges(created["id"].as_str().expect("an id"))
            .await;
        // 3 × €1.75, not the catalog's €2.
        assert_eq!(upcoming.subtotal.amount, "5.25");
    }
);
