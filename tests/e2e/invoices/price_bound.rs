//! The bound on unit prices (`billing::UnitPrice::MAX`, €10,000,000): `createPrice` and
//! `setSubscriptionItemUnitPrice` refuse one past it on the field with nothing written, and a
//! price at the bound bills the largest item quantity without overflowing.

use entity::{price, subscription_item};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{LicenseItemFixture, assert_bad_input, assert_ok, e2e_test};

use crate::licenses::APRIL_2;

/// One past the bound, at the smallest step a unit price has (12 decimals).
const PAST: &str = "10000000.000000000001";
const AT: &str = "10000000";

e2e_test!(create_price_refuses_a_unit_price_past_the_bound, |app| {
    let staff = app.as_staff().await;
    let product = staff
        .create_product(json!({ "name": "Big", "code": "big-service", "kind": "SERVICE" }))
        .await;
    let base = json!({ "productId": product, "currency": "EUR", "interval": "MONTH" });
    let with = |extra: Value| {
        let mut input = base.clone();
        input
            .as_object_mut()
            .expect("object")
            .extend(extra.as_object().expect("object").clone());
        input
    };
    let tiers = |first: &str, flat: &str| {
        json!({ "model": "GRADUATED", "tiers": [
            { "from": 1, "to": 10, "unitAmount": first, "flatFee": "0" },
            { "from": 11, "unitAmount": "1", "flatFee": flat }
        ] })
    };
    let cases = [
        (
            with(json!({ "model": "PER_UNIT", "unitAmount": PAST })),
            "input.unitAmount",
        ),
        (
            with(json!({ "model": "FLAT", "unitAmount": "99999999999999999999" })),
            "input.unitAmount",
        ),
        (
            with(json!({ "model": "PACKAGE", "packageSize": 10, "unitAmount": PAST })),
            "input.unitAmount",
        ),
        (with(tiers(PAST, "0")), "input.tiers.0.unitAmount"),
        (with(tiers("1", PAST)), "input.tiers.1.flatFee"),
    ];
    let prices = || async {
        price::Entity::find()
            .filter(price::Column::ProductId.eq(product.parse::<ids::ProductId>().expect("id")))
            .count(app.app.db.reads())
            .await
            .expect("prices")
    };
    for (input, field) in cases {
        let body = staff.try_create_price(input).await;
        assert_bad_input(&body, field);
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("at most 10000000"), "{body}");
    }
    assert_eq!(prices().await, 0, "nothing written");

    // At the bound: accepted, and the largest item quantity at it bills without overflowing:
    // 10,000 × €10,000,000 = €100,000,000,000.00, plus Acme's 20 % tax.
    let price = staff
        .create_price(with(
            json!({ "model": "PER_UNIT", "unitAmount": AT, "taxable": true }),
        ))
        .await;
    let acme = staff.customer_id("Acme Telecom").await;
    let subscription = staff
        .create_subscription(json!({
            "customerId": acme, "anchorDate": "2026-04-01", "interval": "MONTH",
            "items": [{ "priceId": price, "quantity": 10000 }]
        }))
        .await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let upcoming = billing.upcoming_charges(&subscription.id).await;
    assert_eq!(upcoming.subtotal.amount, "100000000000.00");
    assert_eq!(upcoming.total.amount, "120000000000.00");
    let report = app
        .app
        .services
        .billing_runs
        .run(upcoming.invoice_date.parse().expect("date"))
        .await
        .expect("run");
    assert!(report.failed.is_empty(), "{report:?}");
    let billed = report
        .invoiced
        .iter()
        .find(|b| b.subscription.to_string() == subscription.id)
        .expect("the subscription is billed");
    let invoice = entity::invoice::Entity::find_by_id(billed.invoice)
        .one(app.app.db.reads())
        .await
        .expect("read")
        .expect("invoice");
    assert_eq!(invoice.total_minor, 12_000_000_000_000);
});

e2e_test!(
    set_subscription_item_unit_price_refuses_a_unit_price_past_the_bound,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(10)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        const SET: &str = "mutation S($input: SetSubscriptionItemUnitPriceInput!) {
            setSubscriptionItemUnitPrice(input: $input) { item { id unitPriceOverride } } }";
        let set = |price: &str| json!({ "input": { "itemId": fx.item, "unitPrice": price } });
        let item = || async {
            subscription_item::Entity::find_by_id(
                fx.item.parse::<ids::SubscriptionItemId>().expect("id"),
            )
            .one(app.app.db.reads())
            .await
            .expect("read")
            .expect("item")
        };
        let before = item().await;
        for past in [PAST, "10000000.01", "1e30", "79228162514264337593543950335"] {
            assert_bad_input(&staff.graphql(SET, set(past)).await, "input.unitPrice");
        }
        let after = item().await;
        assert_eq!(
            (after.version, after.unit_price_override),
            (before.version, before.unit_price_override),
            "nothing written"
        );

        // At the bound: 10 seats at €10,000,000.
        let body = staff.graphql(SET, set(AT)).await;
        assert_ok(&body);
        let billing = app.as_billing_admin("Acme Telecom").await;
        let upcoming = billing.upcoming_charges(&fx.subscription).await;
        assert_eq!(upcoming.subtotal.amount, "100000000.00");
    }
);
