//! The rules around coupons: refusals with stable reasons, removal, bad input per field with
//! nothing written, and staff-only management (customers read their own coupons only).

use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, e2e_test};

use super::{CREATE, acme_seats, applied, apply, create_coupon, discounts, try_apply, upcoming};
use crate::licenses::APRIL_2;

/// The `extensions.reason` of a refusal, which must be a `CONFLICT`.
#[track_caller]
fn assert_refused(body: &Value, reason: &str) {
    assert_code(body, "CONFLICT");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"], reason,
        "expected {reason}: {body}"
    );
}

e2e_test!(
    applying_is_refused_when_expired_archived_used_up_in_another_currency_or_twice,
    |app| {
        app.app
            .services
            .clock
            .set(tests::instant("2026-04-10T08:00:00Z"));
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let globex = staff.customer_id("Globex").await;

        // Expiry: the last day still applies, the day after does not.
        let dated = create_coupon(
            &staff,
            json!({ "code": "APRIL", "name": "April", "percentOff": "5", "duration": "ONCE",
                    "expiresOn": "2026-04-10" }),
        )
        .await;
        apply(&staff, &dated, &globex, None).await;
        app.app
            .services
            .clock
            .set(tests::instant("2026-04-11T08:00:00Z"));
        assert_refused(
            &try_apply(&staff, &dated, &acme, None).await,
            "COUPON_EXPIRED",
        );

        // The limit: one application allowed, the second refused.
        let single = create_coupon(
            &staff,
            json!({ "code": "ONLYONE", "name": "Only one", "percentOff": "5",
                    "duration": "FOREVER", "maxRedemptions": 1 }),
        )
        .await;
        apply(&staff, &single, &acme, None).await;
        assert_refused(
            &try_apply(&staff, &single, &globex, None).await,
            "COUPON_LIMIT_REACHED",
        );

        // A fixed coupon in euros only, for a customer billed in pounds.
        let euros = create_coupon(
            &staff,
            json!({ "code": "TENEUROS", "name": "Ten euros", "duration": "ONCE",
                    "amountsOff": [{ "currency": "EUR", "amount": "10" }] }),
        )
        .await;
        assert_refused(
            &try_apply(&staff, &euros, &globex, None).await,
            "COUPON_CURRENCY",
        );

        // Twice on one organisation (even once on a subscription of it).
        apply(&staff, &euros, &acme, None).await;
        let acme_subscription: Value = staff
            .data(
                "subscriptions",
                "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
                json!({ "id": acme }),
            )
            .await;
        let sub = acme_subscription["customer"]["subscriptions"]["nodes"][0]["id"]
            .as_str()
            .expect("Acme's demo subscription")
            .to_owned();
        assert_refused(
            &try_apply(&staff, &euros, &acme, Some(&sub)).await,
            "COUPON_ALREADY_APPLIED",
        );

        // Archived.
        let archived = create_coupon(
            &staff,
            json!({ "code": "OLD", "name": "Old", "percentOff": "5", "duration": "ONCE" }),
        )
        .await;
        let body = staff
            .graphql(
                "mutation A($input: ArchiveCouponInput!) { archiveCoupon(input: $input) { coupon { archived } } }",
                json!({ "input": { "couponId": archived } }),
            )
            .await;
        assert_eq!(
            body["data"]["archiveCoupon"]["coupon"]["archived"], true,
            "{body}"
        );
        assert_refused(
            &try_apply(&staff, &archived, &acme, None).await,
            "COUPON_ARCHIVED",
        );

        // Unknown ids, and a subscription of another organisation, are not found.
        let unknown = "cpn_0190c0de00007000800000000000000a";
        assert_code(&try_apply(&staff, unknown, &acme, None).await, "NOT_FOUND");
        assert_code(
            &try_apply(&staff, &archived, &globex, Some(&sub)).await,
            "NOT_FOUND",
        );

        // The refusals wrote nothing: Acme has the two coupons applied above, Globex one, and
        // the limited coupon counts one redemption.
        let acme_billing = app.as_billing_admin("Acme Telecom").await;
        let codes: Vec<Value> = applied(&acme_billing)
            .await
            .into_iter()
            .map(|c| c["code"].clone())
            .collect();
        assert_eq!(codes, vec![json!("ONLYONE"), json!("TENEUROS")]);
        assert_eq!(
            applied(&app.as_billing_admin("Globex").await).await.len(),
            1
        );
        let list: Value = staff
            .data(
                "coupons",
                "{ coupons(first: 10) { nodes { code redemptions } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            list["coupons"]["nodes"],
            json!([
                { "code": "APRIL", "redemptions": 1 }, { "code": "ONLYONE", "redemptions": 1 },
                { "code": "TENEUROS", "redemptions": 1 }, { "code": "OLD", "redemptions": 0 },
            ])
        );
        assert_eq!(acme_billing.audit_count("coupon.apply").await, 2);
    }
);

e2e_test!(a_removed_coupon_stops_discounting, |app| {
    let fx = acme_seats(&app).await;
    let staff = app.as_staff().await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let coupon = create_coupon(
        &staff,
        json!({ "code": "LOYAL", "name": "Loyal", "percentOff": "10", "duration": "FOREVER" }),
    )
    .await;
    let applied_id = apply(&staff, &coupon, &fx.customer, Some(&fx.subscription)).await;
    assert_eq!(
        discounts(&upcoming(&billing, &fx.subscription).await).len(),
        1
    );
    let remove = "mutation R($input: RemoveCouponInput!) { removeCoupon(input: $input) { removedAppliedCouponId } }";
    // A customer cannot remove it.
    let body = billing
        .graphql(
            remove,
            json!({ "input": { "appliedCouponId": applied_id } }),
        )
        .await;
    assert_code(&body, "FORBIDDEN");
    let body = staff
        .graphql(
            remove,
            json!({ "input": { "appliedCouponId": applied_id } }),
        )
        .await;
    assert_eq!(
        body["data"]["removeCoupon"]["removedAppliedCouponId"], applied_id,
        "{body}"
    );
    assert_eq!(
        discounts(&upcoming(&billing, &fx.subscription).await),
        Vec::new()
    );
    assert_eq!(applied(&billing).await, Vec::<Value>::new());
    assert_eq!(billing.audit_count("coupon.remove").await, 1);
    // Removing it again: not found.
    let body = staff
        .graphql(
            remove,
            json!({ "input": { "appliedCouponId": applied_id } }),
        )
        .await;
    assert_code(&body, "NOT_FOUND");
});

e2e_test!(bad_coupon_input_names_the_field_and_writes_nothing, |app| {
    app.app.services.clock.set(tests::instant(APRIL_2));
    let staff = app.as_staff().await;
    let valid = json!({ "code": "OK", "name": "Ok", "percentOff": "10", "duration": "ONCE" });
    let cases: Vec<(&str, Value)> = vec![
        ("input.code", json!({ "code": "  " })),
        ("input.code", json!({ "code": "TWO WORDS" })),
        ("input.name", json!({ "name": "" })),
        ("input.percentOff", json!({ "percentOff": "0" })),
        ("input.percentOff", json!({ "percentOff": "100.01" })),
        ("input.percentOff", json!({ "percentOff": null })),
        (
            "input.percentOff",
            json!({ "amountsOff": [{ "currency": "EUR", "amount": "1" }] }),
        ),
        (
            "input.amountsOff.0.currency",
            json!({ "percentOff": null, "amountsOff": [{ "currency": "EURO", "amount": "1" }] }),
        ),
        (
            "input.amountsOff.0.amount",
            json!({ "percentOff": null, "amountsOff": [{ "currency": "EUR", "amount": "1.005" }] }),
        ),
        (
            "input.amountsOff.0.amount",
            json!({ "percentOff": null, "amountsOff": [{ "currency": "JPY", "amount": "0" }] }),
        ),
        (
            "input.amountsOff.1.currency",
            json!({ "percentOff": null, "amountsOff": [
                { "currency": "EUR", "amount": "1" }, { "currency": "eur", "amount": "2" }] }),
        ),
        ("input.durationPeriods", json!({ "duration": "REPEATING" })),
        (
            "input.durationPeriods",
            json!({ "duration": "REPEATING", "durationPeriods": 0 }),
        ),
        ("input.durationPeriods", json!({ "durationPeriods": 3 })),
        ("input.maxRedemptions", json!({ "maxRedemptions": 0 })),
        ("input.expiresOn", json!({ "expiresOn": "2026-04-01" })),
        ("input.productIds.0", json!({ "productIds": ["prod_nope"] })),
    ];
    for (field, change) in cases {
        let mut input = valid.clone();
        for (k, v) in change.as_object().expect("object") {
            input[k] = v.clone();
        }
        let body = staff.graphql(CREATE, json!({ "input": input })).await;
        assert_bad_input(&body, field);
    }
    // A product that does not exist is not found; a code taken in another case is refused.
    let mut input = valid.clone();
    input["productIds"] = json!(["prod_0190c0de00007000800000000000000a"]);
    assert_code(
        &staff.graphql(CREATE, json!({ "input": input })).await,
        "NOT_FOUND",
    );
    let list = "{ coupons(first: 10) { nodes { code } } }";
    let data: Value = staff.data("coupons", list, json!({})).await;
    assert_eq!(data["coupons"]["nodes"], json!([]), "nothing written");
    create_coupon(&staff, valid.clone()).await;
    let mut again = valid.clone();
    again["code"] = json!("ok");
    assert_bad_input(
        &staff.graphql(CREATE, json!({ "input": again })).await,
        "input.code",
    );
    let data: Value = staff.data("coupons", list, json!({})).await;
    assert_eq!(data["coupons"]["nodes"], json!([{ "code": "OK" }]));
});

e2e_test!(customers_cannot_manage_coupons_but_read_their_own, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let coupon = create_coupon(
        &staff,
        json!({ "code": "READ", "name": "Read", "percentOff": "10", "duration": "FOREVER" }),
    )
    .await;
    for role in [
        tests::Role::Owner,
        tests::Role::BillingAdmin,
        tests::Role::Viewer,
    ] {
        let user = app.as_role("Acme Telecom", role).await;
        let body = user
            .graphql(
                CREATE,
                json!({ "input": { "code": "MINE", "name": "Mine", "percentOff": "100",
                                   "duration": "FOREVER" } }),
            )
            .await;
        assert_code(&body, "FORBIDDEN");
        assert_code(&try_apply(&user, &coupon, &acme, None).await, "FORBIDDEN");
        let body = user
            .graphql(
                "mutation A($input: ArchiveCouponInput!) { archiveCoupon(input: $input) { coupon { id } } }",
                json!({ "input": { "couponId": coupon } }),
            )
            .await;
        assert_code(&body, "FORBIDDEN");
        let body = user
            .graphql("{ coupons(first: 5) { nodes { id } } }", json!({}))
            .await;
        assert_code(&body, "FORBIDDEN");
    }
    apply(&staff, &coupon, &acme, None).await;
    let viewer = app.as_viewer("Acme Telecom").await;
    let coupons = applied(&viewer).await;
    assert_eq!(coupons.len(), 1);
    assert_eq!(coupons[0]["code"], "READ");
    // Globex sees none of Acme's.
    assert_eq!(
        applied(&app.as_viewer("Globex").await).await,
        Vec::<Value>::new()
    );
});
