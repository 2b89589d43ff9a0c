//! Discounts to the cent: percent and fixed, once and repeating, on the organisation, on a
//! subscription and on one product; the upcoming invoice and the run's invoice agree.

use serde_json::{Value, json};
use tests::e2e_test;

use super::{
    UPCOMING, acme_seats, applied, apply, create_coupon, discounts, invoices, money_of, run,
    upcoming,
};
use crate::licenses::APRIL_2;

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

e2e_test!(
    an_organisation_wide_once_coupon_discounts_one_of_two_invoices_due_together,
    |app| {
        // Two subscriptions of Acme, both due on 1 May, billed in one run.
        let first = acme_seats(&app).await;
        let second = acme_seats(&app).await;
        let staff = app.as_staff().await;
        let coupon = create_coupon(
            &staff,
            json!({ "code": "FIRSTONLY", "name": "First only", "percentOff": "10",
                    "duration": "ONCE" }),
        )
        .await;
        apply(&staff, &coupon, &first.customer, None).await;
        run(&app, "2026-05-01").await;
        let mut discounted = Vec::new();
        for fx in [&first, &second] {
            let billed = invoices(&staff, &fx.customer, &fx.subscription).await;
            assert_eq!(billed.len(), 1);
            discounted.extend(discounts(&billed[0]));
        }
        // 10 % of 10 × €64 = −€64.00, on exactly one of the two invoices.
        assert_eq!(
            discounted,
            vec![("Coupon FIRSTONLY (10%)".to_owned(), "-64.00".to_owned())]
        );
        let billing = app.as_billing_admin("Acme Telecom").await;
        assert_eq!(applied(&billing).await[0]["periodsApplied"], 1);
    }
);
