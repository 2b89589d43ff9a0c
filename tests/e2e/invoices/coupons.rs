//! Coupons end to end: staff create them and apply them to an organisation or a subscription;
//! the upcoming invoice shows the discount, the billing run's invoice has exactly it, and the
//! run counts the invoices each coupon discounted (once: one invoice; repeating 2: two).
//! Amounts are checked against arithmetic done here, to the cent.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, Session, TestApp, assert_bad_input, assert_code, e2e_test};

use crate::licenses::APRIL_2;

const CREATE: &str = "mutation C($input: CreateCouponInput!) { createCoupon(input: $input) {
    coupon { id code percentOff amountsOff { amount currency } duration durationPeriods
    productIds maxRedemptions redemptions expiresOn archived } } }";

const APPLY: &str = "mutation A($input: ApplyCouponInput!) { applyCoupon(input: $input) {
    appliedCoupon { id code periodsApplied active subscriptionId } } }";

const UPCOMING: &str = "{ viewer { organisation { upcomingCharges { subscriptionId invoiceDate
    lines { kind description amount { amount } tax { amount } }
    subtotal { amount } discount { amount } tax { amount } total { amount } amountDue { amount }
    taxes { rate name taxable { amount } amount { amount } } } } } }";

const INVOICES: &str = "query I($id: ID!) { customer(id: $id) { invoices(first: 50) { nodes {
    subscriptionId periodStart issueDate dueDate
    lines { kind description amount { amount } tax { amount } }
    subtotal { amount } discount { amount } tax { amount } total { amount } amountDue { amount }
    taxes { rate name taxable { amount } amount { amount } } } } } }";

const APPLIED: &str = "{ viewer { organisation { coupons {
    id code periodsApplied active subscriptionId } } } }";

/// Creates a coupon as staff, which must succeed; returns its id (`cpn_…`).
pub async fn create_coupon(staff: &Session<'_>, input: Value) -> String {
    let body = staff.graphql(CREATE, json!({ "input": input })).await;
    body["data"]["createCoupon"]["coupon"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("createCoupon failed: {body}"))
        .to_owned()
}

/// Sends `applyCoupon`; returns the raw body.
pub async fn try_apply(
    staff: &Session<'_>,
    coupon: &str,
    customer: &str,
    subscription: Option<&str>,
) -> Value {
    staff
        .graphql(
            APPLY,
            json!({ "input": {
                "couponId": coupon, "customerId": customer, "subscriptionId": subscription
            } }),
        )
        .await
}

/// Applies a coupon, which must succeed; returns the applied coupon's id (`red_…`).
pub async fn apply(
    staff: &Session<'_>,
    coupon: &str,
    customer: &str,
    subscription: Option<&str>,
) -> String {
    let body = try_apply(staff, coupon, customer, subscription).await;
    body["data"]["applyCoupon"]["appliedCoupon"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("applyCoupon failed: {body}"))
        .to_owned()
}

/// The upcoming invoice of `subscription`, as the organisation's user reads it.
pub async fn upcoming(user: &Session<'_>, subscription: &str) -> Value {
    let data: Value = user.data("upcomingCharges", UPCOMING, json!({})).await;
    data["viewer"]["organisation"]["upcomingCharges"]
        .as_array()
        .and_then(|all| all.iter().find(|u| u["subscriptionId"] == subscription))
        .cloned()
        .unwrap_or_else(|| panic!("no upcoming invoice for {subscription}: {data}"))
}

/// The finalised invoices of `subscription`, oldest period first, as staff read them.
pub async fn invoices(staff: &Session<'_>, customer: &str, subscription: &str) -> Vec<Value> {
    let data: Value = staff
        .data("invoices", INVOICES, json!({ "id": customer }))
        .await;
    let mut found: Vec<Value> = data["customer"]["invoices"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i["subscriptionId"] == subscription)
        .collect();
    found.sort_by(|a, b| a["periodStart"].as_str().cmp(&b["periodStart"].as_str()));
    found
}

/// Runs billing for every period due by `date`.
pub async fn run(app: &TestApp, date: &str) {
    let report = app
        .app
        .services
        .billing_runs
        .run(date.parse().expect("date"))
        .await
        .expect("run");
    assert!(report.failed.is_empty(), "{report:?}");
}

/// The parts of an invoice (upcoming or finalised) that must agree to the cent.
fn money_of(invoice: &Value) -> Value {
    json!({
        "lines": invoice["lines"], "subtotal": invoice["subtotal"],
        "discount": invoice["discount"], "tax": invoice["tax"], "total": invoice["total"],
        "amountDue": invoice["amountDue"], "taxes": invoice["taxes"],
    })
}

/// The discount lines' (description, amount).
fn discounts(invoice: &Value) -> Vec<(String, String)> {
    invoice["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["kind"] == "DISCOUNT")
        .map(|l| {
            (
                l["description"].as_str().unwrap_or_default().to_owned(),
                l["amount"]["amount"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

/// The organisation's applied coupons as its user reads them.
async fn applied(user: &Session<'_>) -> Vec<Value> {
    let data: Value = user.data("coupons", APPLIED, json!({})).await;
    data["viewer"]["organisation"]["coupons"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Acme with 10 ADVANCED seats at €64 from 1 April 2026 (the clock on 2 April).
async fn acme_seats(app: &TestApp) -> tests::LicenseItemIds {
    LicenseItemFixture::for_organisation("Acme Telecom")
        .seats(10)
        .at(APRIL_2)
        .create(app)
        .await
}

e2e_test!(
    a_repeating_percent_coupon_discounts_two_invoices_as_previewed,
    |app| {
        let fx = acme_seats(&app).await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let coupon = create_coupon(
            &staff,
            json!({ "code": "Spring15", "name": "Spring", "percentOff": "15",
                    "duration": "REPEATING", "durationPeriods": 2 }),
        )
        .await;
        apply(&staff, &coupon, &fx.customer, Some(&fx.subscription)).await;

        // 10 × €64 = €640.00; 15 % off = −€96.00; tax 20 % of 640 = 128.00 and of −96 =
        // −19.20, so 108.80; total 544.00 + 108.80 = €652.80.
        let before = upcoming(&billing, &fx.subscription).await;
        assert_eq!(
            discounts(&before),
            vec![("Coupon Spring15 (15%)".to_owned(), "-96.00".to_owned())],
            "{before}"
        );
        assert_eq!(before["subtotal"]["amount"], "640.00");
        assert_eq!(before["discount"]["amount"], "96.00");
        assert_eq!(before["tax"]["amount"], "108.80");
        assert_eq!(before["total"]["amount"], "652.80");
        assert_eq!(
            before["taxes"],
            json!([{ "rate": "20", "name": "VAT FR", "taxable": { "amount": "544.00" },
                     "amount": { "amount": "108.80" } }])
        );

        run(&app, "2026-05-01").await;
        let billed = invoices(&staff, &fx.customer, &fx.subscription).await;
        assert_eq!(billed.len(), 1);
        assert_eq!(money_of(&billed[0]), money_of(&before), "to the cent");
        let coupons = applied(&billing).await;
        assert_eq!(coupons[0]["periodsApplied"], 1, "{coupons:?}");
        assert_eq!(coupons[0]["active"], true);

        // The second invoice is discounted too, and that is the last.
        let second = upcoming(&billing, &fx.subscription).await;
        assert_eq!(discounts(&second), discounts(&before));
        run(&app, "2026-06-01").await;
        let coupons = applied(&billing).await;
        assert_eq!(
            (&coupons[0]["periodsApplied"], &coupons[0]["active"]),
            (&json!(2), &json!(false))
        );
        let third = upcoming(&billing, &fx.subscription).await;
        assert_eq!(discounts(&third), Vec::new(), "{third}");
        assert_eq!(third["total"]["amount"], "768.00");
        run(&app, "2026-07-01").await;
        let billed = invoices(&staff, &fx.customer, &fx.subscription).await;
        let totals: Vec<&Value> = billed.iter().map(|i| &i["total"]["amount"]).collect();
        assert_eq!(totals, vec!["652.80", "652.80", "768.00"]);
    }
);

e2e_test!(
    a_once_fixed_coupon_on_the_organisation_discounts_one_invoice_only,
    |app| {
        let fx = acme_seats(&app).await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let coupon = create_coupon(
            &staff,
            json!({ "code": "WELCOME50", "name": "Welcome",
                    "amountsOff": [{ "currency": "EUR", "amount": "50" },
                                   { "currency": "GBP", "amount": "40" }],
                    "duration": "ONCE" }),
        )
        .await;
        // On the organisation: every subscription's next invoice shows it.
        apply(&staff, &coupon, &fx.customer, None).await;
        let before = upcoming(&billing, &fx.subscription).await;
        // €640.00 − €50.00 = €590.00; tax 128.00 − 10.00 = 118.00; total €708.00.
        assert_eq!(
            discounts(&before),
            vec![("Coupon WELCOME50 (€50)".to_owned(), "-50.00".to_owned())],
            "{before}"
        );
        assert_eq!(before["tax"]["amount"], "118.00");
        assert_eq!(before["total"]["amount"], "708.00");
        let coupons = applied(&billing).await;
        assert_eq!(coupons[0]["subscriptionId"], Value::Null);

        run(&app, "2026-05-01").await;
        let billed = invoices(&staff, &fx.customer, &fx.subscription).await;
        assert_eq!(money_of(&billed[0]), money_of(&before), "to the cent");
        // Used up: neither this subscription nor the demo one shows it any more.
        let data: Value = billing.data("upcomingCharges", UPCOMING, json!({})).await;
        for invoice in data["viewer"]["organisation"]["upcomingCharges"]
            .as_array()
            .expect("upcoming")
        {
            assert_eq!(discounts(invoice), Vec::new(), "{invoice}");
        }
        run(&app, "2026-06-01").await;
        let billed = invoices(&staff, &fx.customer, &fx.subscription).await;
        let totals: Vec<&Value> = billed.iter().map(|i| &i["total"]["amount"]).collect();
        assert_eq!(totals, vec!["708.00", "768.00"]);
        let coupons = applied(&billing).await;
        assert_eq!(
            (&coupons[0]["periodsApplied"], &coupons[0]["active"]),
            (&json!(1), &json!(false))
        );
    }
);

e2e_test!(a_product_scoped_coupon_discounts_only_that_product, |app| {
    app.app.services.clock.set(tests::instant(APRIL_2));
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let seats = staff
        .create_product(json!({ "name": "ADVANCED", "code": "adv-scope", "kind": "LICENSE" }))
        .await;
    let seat_price = staff
        .create_price(
            json!({ "productId": seats, "currency": "EUR", "interval": "MONTH",
                                  "model": "PER_UNIT", "unitAmount": "64",
                                  "license": { "additionsCharged": "NEXT_INVOICE" } }),
        )
        .await;
    let support = staff
        .create_product(json!({ "name": "Support", "code": "support-scope", "kind": "SERVICE" }))
        .await;
    let support_price = staff
        .create_price(
            json!({ "productId": support, "currency": "EUR", "interval": "MONTH",
                                  "model": "PER_UNIT", "unitAmount": "30" }),
        )
        .await;
    let subscription = staff
        .create_subscription(json!({
            "customerId": acme, "anchorDate": "2026-04-01", "interval": "MONTH",
            "items": [{ "priceId": seat_price, "quantity": 10 },
                      { "priceId": support_price, "quantity": 1 }]
        }))
        .await
        .id;
    let coupon = create_coupon(
        &staff,
        json!({ "code": "HALFSUPPORT", "name": "Half support", "percentOff": "50",
                    "duration": "FOREVER", "productIds": [support] }),
    )
    .await;
    apply(&staff, &coupon, &acme, Some(&subscription)).await;

    // Only Support's €30.00 is halved: −€15.00. Tax: 128.00 + 6.00 − 3.00 = 131.00;
    // total 640 + 30 − 15 + 131 = €786.00.
    let billing = app.as_billing_admin("Acme Telecom").await;
    let before = upcoming(&billing, &subscription).await;
    assert_eq!(
        discounts(&before),
        vec![("Coupon HALFSUPPORT (50%)".to_owned(), "-15.00".to_owned())]
    );
    assert_eq!(before["subtotal"]["amount"], "670.00");
    assert_eq!(before["tax"]["amount"], "131.00");
    assert_eq!(before["total"]["amount"], "786.00");
    run(&app, "2026-05-01").await;
    let billed = invoices(&staff, &acme, &subscription).await;
    assert_eq!(money_of(&billed[0]), money_of(&before), "to the cent");
});

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
                "query S($id: ID!) { customer(id: $id) { subscriptions { id } } }",
                json!({ "id": acme }),
            )
            .await;
        let sub = acme_subscription["customer"]["subscriptions"][0]["id"]
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
