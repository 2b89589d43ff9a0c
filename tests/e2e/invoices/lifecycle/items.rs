//! Items added, re-quantified and removed within a period: the difference is prorated like
//! seats (more: a proration on the next invoice; less: unused days credited when the price says
//! so and the period was billed), and every next invoice equals the upcoming charges read
//! before the run. License items keep their own flow; refusals write nothing.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, assert_bad_input, assert_code, e2e_test, instant};

use super::{assert_same_invoice, invoice, ok, run_for, subscription, support_price, upcoming};
use crate::licenses::{APRIL_2, APRIL_9};

const ADD: &str =
    "mutation A($input: AddSubscriptionItemInput!) { addSubscriptionItem(input: $input) {
    item { id quantity } subscription { id } nextInvoice { amount } credited { amount } } }";
const SET: &str = "mutation S($input: SetSubscriptionItemQuantityInput!) {
    setSubscriptionItemQuantity(input: $input) {
    item { id quantity } nextInvoice { amount } credited { amount } } }";
const REMOVE: &str = "mutation R($input: RemoveSubscriptionItemInput!) {
    removeSubscriptionItem(input: $input) { item { id } nextInvoice { amount } credited { amount } } }";

/// The lines of an upcoming invoice as (kind, description, amount).
fn lines(invoice: &Value) -> Vec<(String, String, String)> {
    invoice["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap_or_default().to_owned(),
                l["description"].as_str().unwrap_or_default().to_owned(),
                l["amount"]["amount"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

fn line(kind: &str, description: &str, amount: &str) -> (String, String, String) {
    (kind.to_owned(), description.to_owned(), amount.to_owned())
}

e2e_test!(an_added_item_is_prorated_then_billed_in_advance, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .seats(2)
        .at(APRIL_2)
        .create(&app)
        .await;
    let staff = app.as_staff().await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let price = support_price(&staff, "10", false).await;
    app.app.services.clock.set(instant(APRIL_9));
    let add = |price: &str, quantity: u32| json!({ "input": { "subscriptionId": fx.subscription, "priceId": price, "quantity": quantity } });

    // Refusals, none of which writes anything.
    assert_code(&billing.graphql(ADD, add(&price, 2)).await, "FORBIDDEN");
    assert_bad_input(
        &staff.graphql(ADD, add("price_x", 2)).await,
        "input.priceId",
    );
    assert_bad_input(&staff.graphql(ADD, add(&price, 0)).await, "input.quantity");
    let code = format!("gbp-{}", uuid::Uuid::new_v4().simple());
    let product = staff
        .create_product(json!({ "name": "Hosting", "code": code, "kind": "SERVICE" }))
        .await;
    let pounds = staff
        .create_price(
            json!({ "productId": product, "currency": "GBP", "interval": "MONTH",
            "model": "FLAT", "unitAmount": "5" }),
        )
        .await;
    assert_bad_input(&staff.graphql(ADD, add(&pounds, 1)).await, "input.priceId");
    assert_eq!(
        subscription(&staff, &fx).await["items"]
            .as_array()
            .expect("items")
            .len(),
        1
    );

    // April 9: 22 of 30 days left. 2 × round(10 × 22 / 30 = 7.333…) = 2 × 7.33 = €14.66.
    let added = ok(&staff, ADD, add(&price, 2)).await;
    assert_eq!(added["addSubscriptionItem"]["item"]["quantity"], 2);
    assert_eq!(
        added["addSubscriptionItem"]["nextInvoice"]["amount"],
        "14.66"
    );
    assert_eq!(added["addSubscriptionItem"]["credited"]["amount"], "0.00");

    let before = upcoming(&billing, &fx.subscription)
        .await
        .expect("May's invoice");
    assert_eq!(
        lines(&before),
        [
            line("RECURRING", "2 ADVANCED licenses at €64.00 each", "128.00"),
            line("RECURRING", "2 × Support at €10.00 each", "20.00"),
            line(
                "PRORATION",
                "2 × Support at €7.33 each for 22 days",
                "14.66"
            ),
        ]
    );
    let billed = run_for(&app, "2026-05-01", &fx.subscription).await;
    assert_eq!(billed.len(), 1);
    assert_same_invoice(&before, &invoice(&billing, &billed[0]).await);
});

e2e_test!(
    quantities_change_and_items_go_prorated_with_credit_when_the_price_says_so,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let price = support_price(&staff, "10", true).await;
        let added = ok(
            &staff,
            ADD,
            json!({ "input": { "subscriptionId": fx.subscription, "priceId": price, "quantity": 2 } }),
        )
        .await;
        let support = added["addSubscriptionItem"]["item"]["id"]
            .as_str()
            .expect("item id")
            .to_owned();
        // May is billed (and with it April's proration): its unused days can be credited.
        assert_eq!(run_for(&app, "2026-05-01", &fx.subscription).await.len(), 1);
        app.app.services.clock.set(instant("2026-05-21T08:00:00Z"));
        let set = |item: &str, quantity: u32| json!({ "input": { "itemId": item, "quantity": quantity } });

        // Refusals, none of which writes anything.
        assert_code(&billing.graphql(SET, set(&support, 5)).await, "FORBIDDEN");
        assert_bad_input(&staff.graphql(SET, set(&fx.item, 5)).await, "input.itemId");
        assert_bad_input(
            &staff.graphql(SET, set(&support, 2)).await,
            "input.quantity",
        );
        assert_bad_input(
            &staff.graphql(SET, set(&support, 0)).await,
            "input.quantity",
        );
        assert_bad_input(&staff.graphql(SET, set("si_x", 3)).await, "input.itemId");
        let unknown = format!("si_{}", uuid::Uuid::now_v7().simple());
        assert_code(&staff.graphql(SET, set(&unknown, 3)).await, "NOT_FOUND");
        let items = subscription(&staff, &fx).await["items"].clone();
        assert_eq!(items[1]["quantity"], 2, "{items}");

        // May 21: 11 of 31 days left, round(10 × 11 / 31 = 3.548…) = €3.55 a unit.
        // 2 -> 5: 3 × 3.55 = €10.65 on the next invoice.
        let more = ok(&staff, SET, set(&support, 5)).await;
        assert_eq!(more["setSubscriptionItemQuantity"]["item"]["quantity"], 5);
        assert_eq!(
            more["setSubscriptionItemQuantity"]["nextInvoice"]["amount"],
            "10.65"
        );
        // 5 -> 1: 4 × 3.55 = 14.20, VAT 2.84: €17.04 credited.
        let fewer = ok(&staff, SET, set(&support, 1)).await;
        assert_eq!(
            fewer["setSubscriptionItemQuantity"]["credited"]["amount"],
            "17.04"
        );
        assert_eq!(
            fewer["setSubscriptionItemQuantity"]["nextInvoice"]["amount"],
            "0.00"
        );

        let june = upcoming(&billing, &fx.subscription)
            .await
            .expect("June's invoice");
        assert_eq!(
            lines(&june)[..3],
            [
                line("RECURRING", "2 ADVANCED licenses at €64.00 each", "128.00"),
                line("RECURRING", "1 × Support at €10.00 each", "10.00"),
                line(
                    "PRORATION",
                    "3 × Support at €3.55 each for 11 days",
                    "10.65"
                ),
            ]
        );
        let billed = run_for(&app, "2026-06-01", &fx.subscription).await;
        assert_eq!(billed.len(), 1);
        assert_same_invoice(&june, &invoice(&billing, &billed[0]).await);

        // June 11: 20 of 30 days left. Removing Support credits round(10 × 20 / 30) = 6.67,
        // VAT 1.33: €8.00.
        app.app.services.clock.set(instant("2026-06-11T08:00:00Z"));
        let remove = |item: &str| json!({ "input": { "itemId": item } });
        assert_code(
            &billing.graphql(REMOVE, remove(&support)).await,
            "FORBIDDEN",
        );
        let removed = ok(&staff, REMOVE, remove(&support)).await;
        assert_eq!(removed["removeSubscriptionItem"]["item"], Value::Null);
        assert_eq!(
            removed["removeSubscriptionItem"]["credited"]["amount"],
            "8.00"
        );
        assert_code(&staff.graphql(REMOVE, remove(&support)).await, "NOT_FOUND");
        // The last item stays: cancel instead.
        assert_code(&staff.graphql(REMOVE, remove(&fx.item)).await, "CONFLICT");
        let july = upcoming(&billing, &fx.subscription)
            .await
            .expect("July's invoice");
        assert_eq!(
            lines(&july)[..1],
            [line(
                "RECURRING",
                "2 ADVANCED licenses at €64.00 each",
                "128.00"
            )]
        );
        assert!(
            !lines(&july).iter().any(|(_, d, _)| d.contains("Support")),
            "{july:#}"
        );
        let billed = run_for(&app, "2026-07-01", &fx.subscription).await;
        assert_eq!(billed.len(), 1);
        assert_same_invoice(&july, &invoice(&billing, &billed[0]).await);
    }
);

e2e_test!(a_license_item_with_assigned_seats_stays, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .seats(2)
        .at(APRIL_2)
        .create(&app)
        .await;
    let staff = app.as_staff().await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let price = support_price(&staff, "10", false).await;
    ok(
        &staff,
        ADD,
        json!({ "input": { "subscriptionId": fx.subscription, "priceId": price, "quantity": 1 } }),
    )
    .await;
    let seat = billing.license_item(&fx.item).await.seats[0].id.clone();
    let member = billing.member_ids().await[0].clone();
    billing.assign_license(&seat, &member).await;
    let body = staff
        .graphql(REMOVE, json!({ "input": { "itemId": fx.item } }))
        .await;
    assert_code(&body, "CONFLICT");
    assert!(
        body.to_string().contains("1 seat of this item is assigned"),
        "{body}"
    );
    billing.unassign_license(&seat).await;
    ok(&staff, REMOVE, json!({ "input": { "itemId": fx.item } })).await;
    let items = subscription(&staff, &fx).await["items"].clone();
    assert_eq!(items.as_array().expect("items").len(), 1, "{items}");
    assert_eq!(items[0]["product"]["name"], "Support");
});
