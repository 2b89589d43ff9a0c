//! Preview -> apply -> upcoming charges, with the reference amounts, and every refusal.

use chrono::Duration;
use serde_json::json;
use tests::{LicenseItemFixture, assert_bad_input, assert_code, e2e_test, instant};

use super::{APRIL_2, APRIL_9};

e2e_test!(
    the_reference_prorations_reach_the_upcoming_invoice_to_the_cent,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(10)
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;

        // €64/month, 29 of 30 days left: 64 × 29 / 30 = 61.8666… -> €61.87.
        let q = billing.preview_license_change(&fx.item, 1).await;
        assert_eq!(q.prorated_unit_amount.amount, "61.87", "{q:?}");
        assert_eq!((q.days_remaining, q.period_days), (29, 30));
        assert_eq!(
            q.line_description.as_deref(),
            Some("1 ADVANCED license at €61.87 for 29 days")
        );
        assert_eq!(q.unit_price.amount, "64.00");
        assert_eq!((q.quantity_before, q.quantity_after), (10, 11));
        assert_eq!(q.new_recurring_total.amount, "704.00"); // 11 × 64
        assert_eq!(q.delta_recurring_total.amount, "64.00");
        assert_eq!(q.tax.amount, "12.37"); // 20 % of 61.87 = 12.374
        assert_eq!(q.amount_next_invoice.amount, "74.24");
        assert_eq!(q.amount_due_now.amount, "0.00");
        assert_eq!(q.first_payment_date, "2026-05-01");
        assert_eq!(
            (
                q.prepaid_period_start.as_str(),
                q.prepaid_period_end.as_str()
            ),
            ("2026-04-02", "2026-05-01")
        );
        let applied = billing.apply_license_change(&q, "first").await;
        assert_eq!(applied.quantity_after, 11, "{applied:?}");

        // A week later: 2 licenses, 22 of 30 days: 64 × 22 / 30 = 46.9333… -> €46.93 each, €93.86.
        app.app.services.clock.set(instant(APRIL_9));
        let q = billing.preview_license_change(&fx.item, 2).await;
        assert_eq!(q.prorated_unit_amount.amount, "46.93");
        assert_eq!(
            q.line_amount.as_ref().map(|m| m.amount.as_str()),
            Some("93.86")
        );
        assert_eq!(
            q.line_description.as_deref(),
            Some("2 ADVANCED licenses at €46.93 each for 22 days")
        );
        billing.apply_license_change(&q, "second").await;

        let invoice = billing.upcoming_charges(&fx.subscription).await;
        assert_eq!(invoice.invoice_date, "2026-05-01");
        let lines: Vec<(&str, &str)> = invoice
            .lines
            .iter()
            .map(|l| (l.description.as_str(), l.amount.amount.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                ("13 ADVANCED licenses at €64.00 each", "832.00"),
                ("1 ADVANCED license at €61.87 for 29 days", "61.87"),
                ("2 ADVANCED licenses at €46.93 each for 22 days", "93.86"),
            ],
            "{invoice:?}"
        );
        // 832.00 + 61.87 + 93.86 = 987.73; tax per line 166.40 + 12.37 + 18.77 = 197.54.
        assert_eq!(invoice.subtotal.amount, "987.73");
        assert_eq!(invoice.tax.amount, "197.54");
        assert_eq!(invoice.total.amount, "1185.27");
        assert_eq!(invoice.amount_due.amount, "1185.27");
        assert_eq!(billing.audit_count("license.add").await, 2);
    }
);

e2e_test!(an_expired_quote_is_refused_and_changes_nothing, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(3)
        .at(APRIL_2)
        .create(&app)
        .await;
    let owner = app.as_owner("Acme Telecom").await;
    let q = owner.preview_license_change(&fx.item, 1).await;
    app.app.services.clock.advance(Duration::minutes(16));
    let body = owner.try_apply_license_change(&q.id, "late").await;
    assert_code(&body, "QUOTE_EXPIRED");
    assert_eq!(owner.license_item(&fx.item).await.quantity, 3);
});

e2e_test!(a_quote_that_would_now_cost_something_else_is_stale, |app| {
    // 23:55 in Paris on 2 April: 29 days left; ten minutes later it is 3 April: 28 days.
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(3)
        .at("2026-04-02T21:55:00Z")
        .create(&app)
        .await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let q = billing.preview_license_change(&fx.item, 1).await;
    assert_eq!(q.days_remaining, 29);
    app.app.services.clock.advance(Duration::minutes(10));
    let body = billing.try_apply_license_change(&q.id, "midnight").await;
    assert_code(&body, "QUOTE_STALE");
    assert_eq!(billing.license_item(&fx.item).await.quantity, 3);
    assert_eq!(billing.audit_count("license.add").await, 0);
});

e2e_test!(applying_twice_returns_the_first_result, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(5)
        .at(APRIL_2)
        .create(&app)
        .await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let q = billing.preview_license_change(&fx.item, 1).await;
    let first = billing.apply_license_change(&q, "once").await;
    let again = billing.apply_license_change(&q, "once").await;
    let other_key = billing.apply_license_change(&q, "another-key").await;
    for applied in [&first, &again, &other_key] {
        assert_eq!(
            (applied.quantity_before, applied.quantity_after),
            (5, 6),
            "{applied:?}"
        );
    }
    assert_eq!(
        billing.license_item(&fx.item).await.quantity,
        6,
        "one change only"
    );
    assert_eq!(billing.audit_count("license.add").await, 1);

    // The same key for another quote is a conflict, and changes nothing.
    let q2 = billing.preview_license_change(&fx.item, 1).await;
    let body = billing.try_apply_license_change(&q2.id, "once").await;
    assert_code(&body, "CONFLICT");
    assert_eq!(billing.license_item(&fx.item).await.quantity, 6);
});

e2e_test!(only_unassigned_seats_can_be_removed_one_at_a_time, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(3)
        .at(APRIL_2)
        .create(&app)
        .await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let members = billing.member_ids().await;
    let seats: Vec<String> = billing
        .license_item(&fx.item)
        .await
        .seats
        .into_iter()
        .map(|s| s.id)
        .collect();
    for (seat, member) in seats.iter().zip(&members) {
        let assigned = billing.assign_license(seat, member).await;
        assert_eq!(assigned.member.as_ref(), Some(member), "{assigned:?}");
    }
    // Every seat is assigned: nothing can be removed.
    assert_bad_input(
        &billing.try_preview_license_change(&fx.item, -1).await,
        "input.delta",
    );
    // A member holds one seat of an item.
    let body = billing.try_assign_license(&seats[0], &members[1]).await;
    assert_bad_input(&body, "input.seatId");

    for seat in &seats[..2] {
        let freed = billing.unassign_license(seat).await;
        assert!(freed.member.is_none(), "{freed:?}");
    }
    // Two free seats, but removals go one at a time.
    assert_bad_input(
        &billing.try_preview_license_change(&fx.item, -2).await,
        "input.delta",
    );
    let q = billing.preview_license_change(&fx.item, -1).await;
    assert_eq!(
        q.amount_next_invoice.amount, "0.00",
        "a removal adds no charge"
    );
    let applied = billing.apply_license_change(&q, "remove").await;
    assert_eq!(applied.item.unassigned, 1, "{applied:?}");
    assert_eq!(applied.item.assigned, 1, "the assigned seat stays");
    // Down to the minimum of one... the last free seat can go: 2 -> 1; below 1 is refused.
    let q = billing.preview_license_change(&fx.item, -1).await;
    billing.apply_license_change(&q, "remove-2").await;
    let body = billing.try_preview_license_change(&fx.item, -1).await;
    assert_bad_input(&body, "input.delta");
});

e2e_test!(viewers_may_read_but_not_change, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(2)
        .at(APRIL_2)
        .create(&app)
        .await;
    let viewer = app.as_viewer("Acme Telecom").await;
    assert_eq!(viewer.license_item(&fx.item).await.quantity, 2);
    assert_code(
        &viewer.try_preview_license_change(&fx.item, 1).await,
        "FORBIDDEN",
    );
    let billing = app.as_billing_admin("Acme Telecom").await;
    let q = billing.preview_license_change(&fx.item, 1).await;
    assert_code(
        &viewer.try_apply_license_change(&q.id, "viewer").await,
        "FORBIDDEN",
    );
    let seat = viewer.license_item(&fx.item).await.seats[0].id.clone();
    assert_code(&viewer.try_unassign_license(&seat).await, "FORBIDDEN");
    assert_eq!(billing.license_item(&fx.item).await.quantity, 2);
});

e2e_test!(bad_input_is_refused_and_nothing_is_written, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(2)
        .at(APRIL_2)
        .create(&app)
        .await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let before = billing.audit_count("license.add").await;
    assert_bad_input(
        &billing.try_preview_license_change(&fx.item, 0).await,
        "input.delta",
    );
    assert_bad_input(
        &billing.try_preview_license_change(&fx.item, -2).await,
        "input.delta",
    );
    assert_bad_input(
        &billing
            .try_preview_license_change(&fx.item, i64::from(i32::MAX))
            .await,
        "input.delta",
    );
    // Not an Int at all: refused before execution.
    assert_code(
        &billing.try_preview_license_change(&fx.item, i64::MAX).await,
        "BAD_USER_INPUT",
    );
    assert_bad_input(
        &billing.try_preview_license_change("si_123", 1).await,
        "input.itemId",
    );
    let unknown = ids::SubscriptionItemId::new().to_string();
    assert_code(
        &billing.try_preview_license_change(&unknown, 1).await,
        "NOT_FOUND",
    );
    let unknown_quote = ids::QuoteId::new().to_string();
    assert_code(
        &billing.try_apply_license_change(&unknown_quote, "k").await,
        "NOT_FOUND",
    );
    let q = billing.preview_license_change(&fx.item, 1).await;
    assert_bad_input(
        &billing.try_apply_license_change(&q.id, "").await,
        "input.idempotencyKey",
    );
    assert_bad_input(
        &billing
            .try_apply_license_change(&q.id, &"k".repeat(101))
            .await,
        "input.idempotencyKey",
    );
    assert_eq!(billing.license_item(&fx.item).await.quantity, 2);
    assert_eq!(billing.audit_count("license.add").await, before);
});

e2e_test!(only_staff_manage_the_catalog_and_subscriptions, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let body = owner
        .try_create_product(json!({ "name": "X", "code": "x", "kind": "LICENSE" }))
        .await;
    assert_code(&body, "FORBIDDEN");
    let body = owner
        .graphql("{ products { nodes { id } } }", json!({}))
        .await;
    assert_code(&body, "FORBIDDEN");

    // Staff get the field at fault for a broken tier table.
    let staff = app.as_staff().await;
    let product = staff
        .create_product(json!({ "name": "Minutes", "code": "minutes-t", "kind": "METERED" }))
        .await;
    let body = staff
        .try_create_price(json!({
            "productId": product, "currency": "EUR", "interval": "MONTH", "model": "GRADUATED",
            "tiers": [
                { "from": 1, "to": 100, "unitAmount": "0.05", "flatFee": "0" },
                { "from": 150, "unitAmount": "0.04", "flatFee": "0" }
            ]
        }))
        .await;
    assert_bad_input(&body, "input.tiers");
    let body = staff
        .try_create_price(json!({
            "productId": product, "currency": "XXX", "interval": "MONTH", "model": "FLAT",
            "unitAmount": "10"
        }))
        .await;
    assert_bad_input(&body, "input.currency");
    let body = staff
        .try_create_price(json!({
            "productId": product, "currency": "EUR", "interval": "MONTH", "model": "FLAT",
            "unitAmount": "0.0000000000001"
        }))
        .await;
    assert_bad_input(&body, "input.unitAmount");
});
