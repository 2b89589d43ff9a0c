//! A one-time coupon on charges invoiced now: `billing`'s coupon logic makes a discount line per
//! tax rate, the preview is the invoice field by field, each invoice counts one redemption, and
//! every reason a coupon cannot be used answers on the coupon's field with nothing written.

use entity::coupon;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::{Session, TestApp, assert_bad_input, assert_code, e2e_test, instant};

use super::{CREATE, PREVIEW, addon, call, ok, written};
use crate::invoices::coupons::create_coupon;

/// The redemptions counted on coupon `id`, read from the database.
async fn redemptions(app: &TestApp, id: &str) -> i32 {
    coupon::Entity::find_by_id(id.parse::<ids::CouponId>().expect("coupon id"))
        .one(app.app.db.reads())
        .await
        .expect("coupon")
        .expect("the coupon exists")
        .redemptions
}

/// (kind, description, amount, tax) of each line.
fn lines(invoice: &Value) -> Vec<(String, String, String, String)> {
    invoice["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            let text = |v: &Value| v.as_str().expect("text").to_owned();
            (
                text(&l["kind"]),
                text(&l["description"]),
                text(&l["amount"]["amount"]),
                text(&l["tax"]["amount"]),
            )
        })
        .collect()
}

fn line(
    kind: &str,
    description: &str,
    amount: &str,
    tax: &str,
) -> (String, String, String, String) {
    (kind.into(), description.into(), amount.into(), tax.into())
}

async fn invoice_now(staff: &Session<'_>, mut details: Value) -> Value {
    details["timing"] = json!("INVOICE_NOW");
    ok(staff, CREATE, details).await["createCharges"]["invoice"].clone()
}

e2e_test!(
    a_coupon_discounts_the_invoice_made_now_exactly_as_previewed,
    |app| {
        app.app.services.clock.set(instant("2026-06-15T10:00:00Z"));
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let setup = addon(&staff, "Setup", "EUR", "99").await;
        // Repeating 3 periods on a subscription; on charges it discounts their one invoice.
        // Its last day is today: still usable. Two redemptions in all.
        let coupon = create_coupon(
            &staff,
            json!({ "code": "Welcome10", "name": "Welcome", "percentOff": "10",
                "duration": "REPEATING", "durationPeriods": 3, "maxRedemptions": 2,
                "expiresOn": "2026-06-15" }),
        )
        .await;
        let details = json!({
            "customerId": acme,
            // Any case finds the code.
            "couponCode": "welcome10",
            "charges": [
                // 2 × €99 = €198.00, taxed 20 % (the price is taxable): €39.60.
                { "productId": setup, "quantity": "2" },
                // €20.00, untaxed.
                { "description": "Deposit", "amount": "20" },
            ]
        });
        let preview = ok(&staff, PREVIEW, details.clone()).await["previewCharges"].clone();
        assert_eq!(
            redemptions(&app, &coupon).await,
            0,
            "a preview counts nothing"
        );
        // One discount line per tax rate, untaxed group first: 10 % of €20.00 = €2.00, and
        // 10 % of €198.00 = €19.80 with its 20 % tax (−€3.96).
        assert_eq!(
            lines(&preview),
            [
                line("ONE_OFF", "Setup", "198.00", "39.60"),
                line("ONE_OFF", "Deposit", "20.00", "0.00"),
                line("DISCOUNT", "Coupon Welcome10 (10%)", "-2.00", "0.00"),
                line("DISCOUNT", "Coupon Welcome10 (10%)", "-19.80", "-3.96"),
            ]
        );
        // 218.00 − 21.80 + (39.60 − 3.96) = 231.84.
        assert_eq!(preview["subtotal"]["amount"], "218.00");
        assert_eq!(preview["discount"]["amount"], "21.80");
        assert_eq!(preview["tax"]["amount"], "35.64");
        assert_eq!(preview["total"]["amount"], "231.84");
        assert_eq!(preview["amountDue"]["amount"], "231.84");

        let invoice = invoice_now(&staff, details.clone()).await;
        for field in [
            "issueDate",
            "dueDate",
            "periodStart",
            "periodEnd",
            "lines",
            "subtotal",
            "discount",
            "tax",
            "total",
            "creditsApplied",
            "amountDue",
        ] {
            assert_eq!(invoice[field], preview[field], "{field}");
        }
        assert_eq!(redemptions(&app, &coupon).await, 1);

        // The same coupon by its id on another invoice: a second redemption, its limit.
        let mut by_id = details.clone();
        by_id["couponCode"] = Value::Null;
        by_id["couponId"] = json!(coupon);
        by_id["confirmUnpaidInvoices"] = json!(true);
        let second = invoice_now(&staff, by_id.clone()).await;
        assert_eq!(second["discount"]["amount"], "21.80");
        assert_eq!(redemptions(&app, &coupon).await, 2);

        // A third: the limit is reached; refused on the field, in the preview too, and nothing
        // is written.
        let before = written(&app).await;
        by_id["timing"] = json!("INVOICE_NOW");
        assert_bad_input(&call(&staff, CREATE, by_id.clone()).await, "input.couponId");
        assert_bad_input(
            &call(&staff, PREVIEW, details.clone()).await,
            "input.couponCode",
        );
        assert_eq!(written(&app).await, before);
        assert_eq!(redemptions(&app, &coupon).await, 2);

        // The customer reads the discount line on its invoice.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let read: Value = billing
            .data(
                "the invoice",
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) {
                    lines { kind description amount { amount } tax { amount } } } } } }",
                json!({ "id": invoice["id"] }),
            )
            .await;
        assert_eq!(
            lines(&read["viewer"]["organisation"]["invoice"]),
            lines(&preview)
        );
    }
);

e2e_test!(
    a_fixed_coupon_is_spread_over_tax_rates_and_capped_at_the_charges,
    |app| {
        app.app.services.clock.set(instant("2026-06-15T10:00:00Z"));
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        create_coupon(
            &staff,
            json!({ "code": "FIVE", "name": "Five off", "duration": "ONCE",
                "amountsOff": [{ "currency": "EUR", "amount": "5" }] }),
        )
        .await;
        let details = json!({
            "customerId": acme,
            "couponCode": "FIVE",
            "charges": [
                { "description": "Cabling", "amount": "30", "taxable": true },
                { "description": "Deposit", "amount": "10" },
            ]
        });
        let preview = ok(&staff, PREVIEW, details.clone()).await["previewCharges"].clone();
        // €5 over €40: untaxed €10 gets round(5 × 10 / 40) = €1.25, the taxed €30 the rest,
        // €3.75 (tax −€0.75).
        assert_eq!(
            lines(&preview)[2..],
            [
                line("DISCOUNT", "Coupon FIVE (€5)", "-1.25", "0.00"),
                line("DISCOUNT", "Coupon FIVE (€5)", "-3.75", "-0.75"),
            ]
        );
        assert_eq!(preview["total"]["amount"], "40.25");
        let invoice = invoice_now(&staff, details).await;
        assert_eq!(lines(&invoice), lines(&preview));
        assert_eq!(invoice["total"], preview["total"]);

        // Worth more than the charges: it takes them to zero, no further.
        create_coupon(
            &staff,
            json!({ "code": "BIG", "name": "Big", "duration": "FOREVER",
                "amountsOff": [{ "currency": "EUR", "amount": "1000" }] }),
        )
        .await;
        let big = ok(
            &staff,
            PREVIEW,
            json!({ "customerId": acme, "couponCode": "BIG",
                "charges": [{ "description": "Deposit", "amount": "10" }] }),
        )
        .await["previewCharges"]
            .clone();
        assert_eq!(big["discount"]["amount"], "10.00");
        assert_eq!(big["total"]["amount"], "0.00");
    }
);

e2e_test!(
    a_coupon_that_cannot_be_used_is_refused_on_its_field_and_nothing_is_written,
    |app| {
        app.app.services.clock.set(instant("2026-06-15T10:00:00Z"));
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let setup = addon(&staff, "Setup", "EUR", "99").await;
        let other = addon(&staff, "Other", "EUR", "5").await;
        let percent = |code: &str, extra: Value| {
            let mut input = json!({ "code": code, "name": code, "percentOff": "10",
                "duration": "ONCE" });
            input.as_object_mut().expect("object").extend(
                extra
                    .as_object()
                    .expect("object")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            input
        };
        // Its last day was yesterday: one past the boundary the first test accepts.
        app.app.services.clock.set(instant("2026-06-14T10:00:00Z"));
        create_coupon(
            &staff,
            percent("EXPIRED", json!({ "expiresOn": "2026-06-14" })),
        )
        .await;
        app.app.services.clock.set(instant("2026-06-15T10:00:00Z"));
        let archived = create_coupon(&staff, percent("ARCHIVED", json!({}))).await;
        assert!(
            staff
                .graphql(
                    "mutation A($input: ArchiveCouponInput!) { archiveCoupon(input: $input) { coupon { id } } }",
                    json!({ "input": { "couponId": archived } }),
                )
                .await["errors"]
                .is_null()
        );
        create_coupon(
            &staff,
            json!({ "code": "POUNDS", "name": "Pounds", "duration": "ONCE",
                "amountsOff": [{ "currency": "GBP", "amount": "5" }] }),
        )
        .await;
        create_coupon(
            &staff,
            percent("OTHERONLY", json!({ "productIds": [other] })),
        )
        .await;
        let used = create_coupon(&staff, percent("USED", json!({ "maxRedemptions": 1 }))).await;
        // Used up through applyCoupon: the same count.
        assert!(
            crate::invoices::coupons::try_apply(&staff, &used, &acme, None).await["errors"]
                .is_null()
        );
        let good = create_coupon(&staff, percent("GOOD", json!({}))).await;

        let with = |coupon: Value| {
            let mut input = json!({ "customerId": acme, "timing": "INVOICE_NOW",
                "charges": [{ "productId": setup }] });
            input.as_object_mut().expect("object").extend(
                coupon
                    .as_object()
                    .expect("object")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            input
        };
        let cases = [
            (with(json!({ "couponCode": "NOPE" })), "input.couponCode"),
            (with(json!({ "couponCode": "  " })), "input.couponCode"),
            (
                with(json!({ "couponCode": "x".repeat(41) })),
                "input.couponCode",
            ),
            (
                with(json!({ "couponCode": "GOOD", "couponId": good })),
                "input.couponId",
            ),
            (with(json!({ "couponId": "not-an-id" })), "input.couponId"),
            (with(json!({ "couponCode": "EXPIRED" })), "input.couponCode"),
            (with(json!({ "couponId": archived })), "input.couponId"),
            (with(json!({ "couponCode": "POUNDS" })), "input.couponCode"),
            (
                with(json!({ "couponCode": "OTHERONLY" })),
                "input.couponCode",
            ),
            (with(json!({ "couponCode": "USED" })), "input.couponCode"),
            (
                {
                    let mut unbilled = with(json!({ "couponCode": "GOOD" }));
                    unbilled["timing"] = json!("ADD_TO_UNBILLED");
                    unbilled
                },
                "input.couponCode",
            ),
        ];
        let before = written(&app).await;
        for (input, field) in cases {
            let body = call(&staff, CREATE, input.clone()).await;
            assert_bad_input(&body, field);
            if input["timing"] == "INVOICE_NOW" {
                let mut preview = input.clone();
                preview.as_object_mut().expect("object").remove("timing");
                assert_bad_input(&call(&staff, PREVIEW, preview).await, field);
            }
        }
        assert_eq!(written(&app).await, before, "nothing written");
        assert_eq!(redemptions(&app, &good).await, 0);
        assert_eq!(redemptions(&app, &used).await, 1);

        // An unknown id is not found, as every unknown id is.
        let unknown = ids::CouponId::new().to_string();
        assert_code(
            &call(&staff, CREATE, with(json!({ "couponId": unknown }))).await,
            "NOT_FOUND",
        );

        // Customers cannot charge, with or without a coupon.
        let billing = app.as_billing_admin("Acme Telecom").await;
        assert_code(
            &call(&billing, CREATE, with(json!({ "couponCode": "GOOD" }))).await,
            "FORBIDDEN",
        );
        assert_eq!(written(&app).await, before);
        assert_eq!(redemptions(&app, &good).await, 0);
    }
);
