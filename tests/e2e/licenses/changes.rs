//! Preview -> apply -> upcoming charges, with the reference amounts, and every refusal.

use chrono::Duration;
use serde_json::json;
use tests::e2e_test;

use super::*;

e2e_test!(
    the_reference_prorations_reach_the_upcoming_invoice_to_the_cent,
    |app| {
        let fx = license_item(&app, "Acme Telecom", "EUR", "64", 10, APRIL_2).await;
        let billing = app.login("billing@acme.example").await;

        // €64/month, 29 of 30 days left: 64 × 29 / 30 = 61.8666… -> €61.87.
        let q = quote(&app, &billing, &fx.item, 1).await;
        assert_eq!(q["proratedUnitAmount"]["amount"], "61.87", "{q}");
        assert_eq!(
            (q["daysRemaining"].as_u64(), q["periodDays"].as_u64()),
            (Some(29), Some(30))
        );
        assert_eq!(
            q["lineDescription"],
            "1 ADVANCED license at €61.87 for 29 days"
        );
        assert_eq!(q["unitPrice"]["amount"], "64.00");
        assert_eq!(
            (q["quantityBefore"].as_u64(), q["quantityAfter"].as_u64()),
            (Some(10), Some(11))
        );
        assert_eq!(q["newRecurringTotal"]["amount"], "704.00"); // 11 × 64
        assert_eq!(q["deltaRecurringTotal"]["amount"], "64.00");
        assert_eq!(q["tax"]["amount"], "12.37"); // 20 % of 61.87 = 12.374
        assert_eq!(q["amountNextInvoice"]["amount"], "74.24");
        assert_eq!(q["amountDueNow"]["amount"], "0.00");
        assert_eq!(q["firstPaymentDate"], "2026-05-01");
        assert_eq!(
            (
                q["prepaidPeriodStart"].as_str(),
                q["prepaidPeriodEnd"].as_str()
            ),
            (Some("2026-04-02"), Some("2026-05-01"))
        );
        let applied = apply(&app, &billing, q["id"].as_str().expect("id"), "first").await;
        assert_eq!(
            applied["data"]["applyLicenseChange"]["quantityAfter"], 11,
            "{applied}"
        );

        // A week later: 2 licenses, 22 of 30 days: 64 × 22 / 30 = 46.9333… -> €46.93 each, €93.86.
        app.app.services.clock.set(at(APRIL_9));
        let q = quote(&app, &billing, &fx.item, 2).await;
        assert_eq!(q["proratedUnitAmount"]["amount"], "46.93");
        assert_eq!(q["lineAmount"]["amount"], "93.86");
        assert_eq!(
            q["lineDescription"],
            "2 ADVANCED licenses at €46.93 each for 22 days"
        );
        apply(&app, &billing, q["id"].as_str().expect("id"), "second").await;

        let invoice = upcoming(&app, &billing, &fx.subscription).await;
        assert_eq!(invoice["invoiceDate"], "2026-05-01");
        let lines: Vec<(String, String)> = invoice["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["description"].as_str().unwrap_or_default().to_owned(),
                    l["amount"]["amount"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                (
                    "13 ADVANCED licenses at €64.00 each".to_owned(),
                    "832.00".to_owned()
                ),
                (
                    "1 ADVANCED license at €61.87 for 29 days".to_owned(),
                    "61.87".to_owned()
                ),
                (
                    "2 ADVANCED licenses at €46.93 each for 22 days".to_owned(),
                    "93.86".to_owned()
                ),
            ],
            "{invoice}"
        );
        // 832.00 + 61.87 + 93.86 = 987.73; tax per line 166.40 + 12.37 + 18.77 = 197.54.
        assert_eq!(invoice["subtotal"]["amount"], "987.73");
        assert_eq!(invoice["tax"]["amount"], "197.54");
        assert_eq!(invoice["total"]["amount"], "1185.27");
        assert_eq!(invoice["amountDue"]["amount"], "1185.27");
        assert_eq!(audit_count(&app, &billing, "license.add").await, 2);
    }
);

e2e_test!(an_expired_quote_is_refused_and_changes_nothing, |app| {
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 3, APRIL_2).await;
    let billing = app.login("owner@acme.example").await;
    let q = quote(&app, &billing, &fx.item, 1).await;
    app.app.services.clock.advance(Duration::minutes(16));
    let body = apply(&app, &billing, q["id"].as_str().expect("id"), "late").await;
    assert_error(&body, "QUOTE_EXPIRED", None);
    assert_eq!(item(&app, &billing, &fx.item).await["quantity"], 3);
});

e2e_test!(a_quote_that_would_now_cost_something_else_is_stale, |app| {
    // 23:55 in Paris on 2 April: 29 days left; ten minutes later it is 3 April: 28 days.
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 3, "2026-04-02T21:55:00Z").await;
    let billing = app.login("billing@acme.example").await;
    let q = quote(&app, &billing, &fx.item, 1).await;
    assert_eq!(q["daysRemaining"], 29);
    app.app.services.clock.advance(Duration::minutes(10));
    let body = apply(&app, &billing, q["id"].as_str().expect("id"), "midnight").await;
    assert_error(&body, "QUOTE_STALE", None);
    assert_eq!(item(&app, &billing, &fx.item).await["quantity"], 3);
    assert_eq!(audit_count(&app, &billing, "license.add").await, 0);
});

e2e_test!(applying_twice_returns_the_first_result, |app| {
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 5, APRIL_2).await;
    let billing = app.login("billing@acme.example").await;
    let q = quote(&app, &billing, &fx.item, 1).await;
    let id = q["id"].as_str().expect("id");
    let first = apply(&app, &billing, id, "once").await;
    let again = apply(&app, &billing, id, "once").await;
    let other_key = apply(&app, &billing, id, "another-key").await;
    for body in [&first, &again, &other_key] {
        let payload = &body["data"]["applyLicenseChange"];
        assert_eq!(
            (
                payload["quantityBefore"].as_u64(),
                payload["quantityAfter"].as_u64()
            ),
            (Some(5), Some(6)),
            "{body}"
        );
    }
    assert_eq!(
        item(&app, &billing, &fx.item).await["quantity"],
        6,
        "one change only"
    );
    assert_eq!(audit_count(&app, &billing, "license.add").await, 1);

    // The same key for another quote is a conflict, and changes nothing.
    let q2 = quote(&app, &billing, &fx.item, 1).await;
    let body = apply(&app, &billing, q2["id"].as_str().expect("id"), "once").await;
    assert_error(&body, "CONFLICT", None);
    assert_eq!(item(&app, &billing, &fx.item).await["quantity"], 6);
});

e2e_test!(only_unassigned_seats_can_be_removed_one_at_a_time, |app| {
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 3, APRIL_2).await;
    let billing = app.login("billing@acme.example").await;
    let (_, body) = app
        .graphql(
            "{ viewer { organisation { members(first: 3) { nodes { id } } } } }",
            json!({}),
            Some(&billing),
        )
        .await;
    let members: Vec<String> = body["data"]["viewer"]["organisation"]["members"]["nodes"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["id"].as_str().expect("id").to_owned())
        .collect();
    let seats: Vec<String> = item(&app, &billing, &fx.item).await["seats"]["nodes"]
        .as_array()
        .expect("seats")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect();
    let assign = "mutation A($input: AssignLicenseInput!) { assignLicense(input: $input) { license { id member { id } } } }";
    for (seat, member) in seats.iter().zip(&members) {
        let (_, body) = app
            .graphql(
                assign,
                json!({ "input": { "seatId": seat, "memberId": member } }),
                Some(&billing),
            )
            .await;
        assert_eq!(
            body["data"]["assignLicense"]["license"]["member"]["id"],
            member.as_str(),
            "{body}"
        );
    }
    // Every seat is assigned: nothing can be removed.
    assert_error(
        &preview(&app, &billing, &fx.item, -1).await,
        "BAD_USER_INPUT",
        Some("input.delta"),
    );
    // A member holds one seat of an item.
    let (_, body) = app
        .graphql(
            assign,
            json!({ "input": { "seatId": seats[0], "memberId": members[1] } }),
            Some(&billing),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("input.seatId"));

    let unassign = "mutation U($input: UnassignLicenseInput!) { unassignLicense(input: $input) { license { member { id } } } }";
    for seat in &seats[..2] {
        let (_, body) = app
            .graphql(
                unassign,
                json!({ "input": { "seatId": seat } }),
                Some(&billing),
            )
            .await;
        assert!(
            body["data"]["unassignLicense"]["license"]["member"].is_null(),
            "{body}"
        );
    }
    // Two free seats, but removals go one at a time.
    assert_error(
        &preview(&app, &billing, &fx.item, -2).await,
        "BAD_USER_INPUT",
        Some("input.delta"),
    );
    let q = quote(&app, &billing, &fx.item, -1).await;
    assert_eq!(
        q["amountNextInvoice"]["amount"], "0.00",
        "a removal adds no charge"
    );
    let body = apply(&app, &billing, q["id"].as_str().expect("id"), "remove").await;
    assert_eq!(
        body["data"]["applyLicenseChange"]["item"]["unassigned"], 1,
        "{body}"
    );
    assert_eq!(
        body["data"]["applyLicenseChange"]["item"]["assigned"], 1,
        "the assigned seat stays"
    );
    // Down to the minimum of one... the last free seat can go: 2 -> 1; below 1 is refused.
    let q = quote(&app, &billing, &fx.item, -1).await;
    apply(&app, &billing, q["id"].as_str().expect("id"), "remove-2").await;
    let body = preview(&app, &billing, &fx.item, -1).await;
    assert_error(&body, "BAD_USER_INPUT", Some("input.delta"));
});

e2e_test!(viewers_may_read_but_not_change, |app| {
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 2, APRIL_2).await;
    let viewer = app.login("viewer@acme.example").await;
    assert_eq!(item(&app, &viewer, &fx.item).await["quantity"], 2);
    assert_error(
        &preview(&app, &viewer, &fx.item, 1).await,
        "FORBIDDEN",
        None,
    );
    let billing = app.login("billing@acme.example").await;
    let q = quote(&app, &billing, &fx.item, 1).await;
    assert_error(
        &apply(&app, &viewer, q["id"].as_str().expect("id"), "viewer").await,
        "FORBIDDEN",
        None,
    );
    let seat = item(&app, &viewer, &fx.item).await["seats"]["nodes"][0]["id"].clone();
    let (_, body) = app
        .graphql("mutation U($input: UnassignLicenseInput!) { unassignLicense(input: $input) { license { id } } }", json!({ "input": { "seatId": seat } }), Some(&viewer))
        .await;
    assert_error(&body, "FORBIDDEN", None);
    assert_eq!(item(&app, &billing, &fx.item).await["quantity"], 2);
});

e2e_test!(bad_input_is_refused_and_nothing_is_written, |app| {
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 2, APRIL_2).await;
    let billing = app.login("billing@acme.example").await;
    let before = audit_count(&app, &billing, "license.add").await;
    assert_error(
        &preview(&app, &billing, &fx.item, 0).await,
        "BAD_USER_INPUT",
        Some("input.delta"),
    );
    assert_error(
        &preview(&app, &billing, &fx.item, -2).await,
        "BAD_USER_INPUT",
        Some("input.delta"),
    );
    assert_error(
        &preview(&app, &billing, &fx.item, i64::from(i32::MAX)).await,
        "BAD_USER_INPUT",
        Some("input.delta"),
    );
    // Not an Int at all: refused before execution.
    assert_error(
        &preview(&app, &billing, &fx.item, i64::MAX).await,
        "BAD_USER_INPUT",
        None,
    );
    assert_error(
        &preview(&app, &billing, "si_123", 1).await,
        "BAD_USER_INPUT",
        Some("input.itemId"),
    );
    let unknown = ids::SubscriptionItemId::new().to_string();
    assert_error(
        &preview(&app, &billing, &unknown, 1).await,
        "NOT_FOUND",
        None,
    );
    let unknown_quote = ids::QuoteId::new().to_string();
    assert_error(
        &apply(&app, &billing, &unknown_quote, "k").await,
        "NOT_FOUND",
        None,
    );
    let q = quote(&app, &billing, &fx.item, 1).await;
    assert_error(
        &apply(&app, &billing, q["id"].as_str().expect("id"), "").await,
        "BAD_USER_INPUT",
        Some("input.idempotencyKey"),
    );
    assert_error(
        &apply(
            &app,
            &billing,
            q["id"].as_str().expect("id"),
            &"k".repeat(101),
        )
        .await,
        "BAD_USER_INPUT",
        Some("input.idempotencyKey"),
    );
    assert_eq!(item(&app, &billing, &fx.item).await["quantity"], 2);
    assert_eq!(audit_count(&app, &billing, "license.add").await, before);
});

e2e_test!(only_staff_manage_the_catalog_and_subscriptions, |app| {
    let owner = app.login("owner@acme.example").await;
    let (_, body) = app
        .graphql(
            "mutation P($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
            json!({ "input": { "name": "X", "code": "x", "kind": "LICENSE" } }),
            Some(&owner),
        )
        .await;
    assert_error(&body, "FORBIDDEN", None);
    let (_, body) = app
        .graphql("{ products { nodes { id } } }", json!({}), Some(&owner))
        .await;
    assert_error(&body, "FORBIDDEN", None);

    // Staff get the field at fault for a broken tier table.
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 1, APRIL_2).await;
    let (_, body) = app
        .graphql(
            "mutation P($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
            json!({ "input": { "name": "Minutes", "code": "minutes-t", "kind": "METERED" } }),
            Some(&fx.admin),
        )
        .await;
    let product = body["data"]["createProduct"]["product"]["id"].clone();
    let (_, body) = app
        .graphql(
            "mutation P($input: CreatePriceInput!) { createPrice(input: $input) { price { id } } }",
            json!({ "input": { "productId": product, "currency": "EUR", "interval": "MONTH", "model": "GRADUATED",
                "tiers": [
                    { "from": 1, "to": 100, "unitAmount": "0.05", "flatFee": "0" },
                    { "from": 150, "unitAmount": "0.04", "flatFee": "0" }
                ] } }),
            Some(&fx.admin),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("input.tiers"));
    let (_, body) = app
        .graphql(
            "mutation P($input: CreatePriceInput!) { createPrice(input: $input) { price { id } } }",
            json!({ "input": { "productId": product, "currency": "XXX", "interval": "MONTH", "model": "FLAT", "unitAmount": "10" } }),
            Some(&fx.admin),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("input.currency"));
    let (_, body) = app
        .graphql(
            "mutation P($input: CreatePriceInput!) { createPrice(input: $input) { price { id } } }",
            json!({ "input": { "productId": product, "currency": "EUR", "interval": "MONTH", "model": "FLAT", "unitAmount": "0.0000000000001" } }),
            Some(&fx.admin),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("input.unitAmount"));

    // Rules apply cannot keep yet are refused rather than promised.
    let (_, body) = app
        .graphql(
            "mutation P($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
            json!({ "input": { "name": "PRO", "code": "pro-t", "kind": "LICENSE" } }),
            Some(&fx.admin),
        )
        .await;
    let license = body["data"]["createProduct"]["product"]["id"].clone();
    for (rule, value, field) in [
        (
            "additionsCharged",
            json!("IMMEDIATELY"),
            "input.license.additionsCharged",
        ),
        (
            "creditRemovals",
            json!(true),
            "input.license.creditRemovals",
        ),
    ] {
        let (_, body) = app
            .graphql(
                "mutation P($input: CreatePriceInput!) { createPrice(input: $input) { price { id } } }",
                json!({ "input": { "productId": license, "currency": "EUR", "interval": "MONTH", "model": "PER_UNIT",
                    "unitAmount": "64", "license": { rule: value } } }),
                Some(&fx.admin),
            )
            .await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
    }
});
