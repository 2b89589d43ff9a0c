//! Concurrent changes on one item: every +1 at a per-seat price applies; of two removals of the
//! last free seat, exactly one does.

use futures_util::future::join_all;
use tests::e2e_test;

use super::*;

e2e_test!(fifty_concurrent_additions_all_apply, |app| {
    let fx = license_item(&app, "Acme Telecom", "EUR", "64", 10, APRIL_2).await;
    let billing = app.login("billing@acme.example").await;
    // Fifty quotes taken at the same state (10 seats), then applied all at once.
    let quotes = join_all((0..50).map(|_| quote(&app, &billing, &fx.item, 1))).await;
    let results = join_all(quotes.iter().enumerate().map(|(i, q)| {
        let id = q["id"].as_str().expect("id").to_owned();
        let billing = billing.clone();
        let app = &app;
        async move { apply(app, &billing, &id, &format!("add-{i}")).await }
    }))
    .await;
    for body in &results {
        assert!(body["errors"].is_null(), "every +1 applies: {body}");
    }
    assert_eq!(item(&app, &billing, &fx.item).await["quantity"], 60);
    assert_eq!(audit_count(&app, &billing, "license.add").await, 50);
    let invoice = upcoming(&app, &billing, &fx.subscription).await;
    let prorations = invoice["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["kind"] == "PRORATION")
        .count();
    assert_eq!(prorations, 50, "one proration per applied quote");
});

e2e_test!(
    two_concurrent_removals_of_the_last_free_seat_one_wins,
    |app| {
        let fx = license_item(&app, "Acme Telecom", "EUR", "64", 2, APRIL_2).await;
        let billing = app.login("billing@acme.example").await;
        let (_, body) = app
            .graphql(
                "{ viewer { organisation { members(first: 1) { nodes { id } } } } }",
                serde_json::json!({}),
                Some(&billing),
            )
            .await;
        let member = body["data"]["viewer"]["organisation"]["members"]["nodes"][0]["id"].clone();
        let seat = item(&app, &billing, &fx.item).await["seats"]["nodes"][0]["id"].clone();
        app.graphql(
        "mutation A($input: AssignLicenseInput!) { assignLicense(input: $input) { license { id } } }",
        serde_json::json!({ "input": { "seatId": seat, "memberId": member } }),
        Some(&billing),
    )
    .await;
        // One free seat; two quotes to remove it (the minimum is 1, so only one removal fits).
        let first = quote(&app, &billing, &fx.item, -1).await;
        let second = quote(&app, &billing, &fx.item, -1).await;
        let (a, b) = tokio::join!(
            apply(
                &app,
                &billing,
                first["id"].as_str().expect("id"),
                "remove-a"
            ),
            apply(
                &app,
                &billing,
                second["id"].as_str().expect("id"),
                "remove-b"
            ),
        );
        let succeeded = [&a, &b]
            .iter()
            .filter(|body| body["errors"].is_null())
            .count();
        assert_eq!(succeeded, 1, "{a} {b}");
        let loser = if a["errors"].is_null() { &b } else { &a };
        assert_error(loser, "QUOTE_STALE", None);
        let now = item(&app, &billing, &fx.item).await;
        assert_eq!(
            (now["quantity"].as_u64(), now["assigned"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(audit_count(&app, &billing, "license.remove").await, 1);
    }
);

e2e_test!(
    one_quote_applied_concurrently_changes_the_licenses_once,
    |app| {
        let fx = license_item(&app, "Acme Telecom", "EUR", "64", 4, APRIL_2).await;
        let billing = app.login("billing@acme.example").await;
        let q = quote(&app, &billing, &fx.item, 1).await;
        let id = q["id"].as_str().expect("id").to_owned();
        // Ten submissions of one confirmation, half with the same key, half with their own.
        let results = join_all((0..10).map(|i| {
            let key = if i % 2 == 0 {
                "same".to_owned()
            } else {
                format!("own-{i}")
            };
            let (app, billing, id) = (&app, billing.clone(), id.clone());
            async move { apply(app, &billing, &id, &key).await }
        }))
        .await;
        for body in &results {
            assert_eq!(
                body["data"]["applyLicenseChange"]["quantityAfter"], 5,
                "every answer is the first result: {body}"
            );
        }
        assert_eq!(
            item(&app, &billing, &fx.item).await["quantity"],
            5,
            "applied once"
        );
        assert_eq!(audit_count(&app, &billing, "license.add").await, 1);
        let invoice = upcoming(&app, &billing, &fx.subscription).await;
        let prorations = invoice["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["kind"] == "PRORATION")
            .count();
        assert_eq!(prorations, 1, "charged once");
    }
);

e2e_test!(
    a_removal_whose_seat_was_assigned_meanwhile_is_stale,
    |app| {
        let fx = license_item(&app, "Acme Telecom", "EUR", "64", 3, APRIL_2).await;
        let billing = app.login("billing@acme.example").await;
        let (_, body) = app
            .graphql(
                "{ viewer { organisation { members(first: 2) { nodes { id } } } } }",
                serde_json::json!({}),
                Some(&billing),
            )
            .await;
        let members = body["data"]["viewer"]["organisation"]["members"]["nodes"].clone();
        let seats = item(&app, &billing, &fx.item).await["seats"]["nodes"].clone();
        let assign = "mutation A($input: AssignLicenseInput!) { assignLicense(input: $input) { license { id } } }";
        app.graphql(assign, serde_json::json!({ "input": { "seatId": seats[0]["id"], "memberId": members[0]["id"] } }), Some(&billing)).await;
        // One free seat above the minimum... quote its removal, then assign it before applying.
        let q = quote(&app, &billing, &fx.item, -1).await;
        for seat in [&seats[1], &seats[2]] {
            let (_, body) = app.graphql(assign, serde_json::json!({ "input": { "seatId": seat["id"], "memberId": members[1]["id"] } }), Some(&billing)).await;
            if body["errors"].is_null() {
                break;
            }
        }
        let now = item(&app, &billing, &fx.item).await;
        assert_eq!(now["unassigned"], 1);
        // Assign the last free seat to someone else so nothing is free.
        let (_, body) = app
            .graphql(
                "{ viewer { organisation { members(first: 3) { nodes { id } } } } }",
                serde_json::json!({}),
                Some(&billing),
            )
            .await;
        let third = body["data"]["viewer"]["organisation"]["members"]["nodes"][2]["id"].clone();
        let free = now["seats"]["nodes"]
            .as_array()
            .expect("seats")
            .iter()
            .find(|s| s["member"].is_null())
            .expect("a free seat")["id"]
            .clone();
        app.graphql(
            assign,
            serde_json::json!({ "input": { "seatId": free, "memberId": third } }),
            Some(&billing),
        )
        .await;
        let body = apply(
            &app,
            &billing,
            q["id"].as_str().expect("id"),
            "late-removal",
        )
        .await;
        assert_error(&body, "QUOTE_STALE", None);
        assert_eq!(item(&app, &billing, &fx.item).await["quantity"], 3);
    }
);
