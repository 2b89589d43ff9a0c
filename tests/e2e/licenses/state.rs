//! The tenant state kept in memory never outlives a write: whichever server makes the change,
//! the next read on any server sees it. Server `a` reads first (so it holds the state), server
//! `b` (another process on the same database) writes, and `a` must answer with the change.

use serde_json::json;
use tests::e2e_test;

use super::{APRIL_2, DEMO_ADMIN_EMAIL, apply, at, item, license_item, quote, upcoming};

e2e_test!(every_write_on_any_server_is_seen_by_the_next_read, |a| {
    let fx = license_item(&a, "Acme Telecom", "EUR", "64", 10, APRIL_2).await;
    let b = a.peer().await;
    b.app.services.clock.set(at(APRIL_2));
    let billing = a.login("billing@acme.example").await;

    // `a` holds the state: ten seats, none assigned, no proration on the next invoice.
    let before = item(&a, &billing, &fx.item).await;
    assert_eq!(
        (before["quantity"].clone(), before["assigned"].clone()),
        (json!(10), json!(0))
    );
    let lines = upcoming(&a, &billing, &fx.subscription).await["lines"].clone();
    assert_eq!(lines.as_array().map(Vec::len), Some(1), "{lines}");

    // A license change applied on `b`.
    let q = quote(&b, &billing, &fx.item, 2).await;
    let body = apply(&b, &billing, q["id"].as_str().expect("id"), "on-b").await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(item(&a, &billing, &fx.item).await["quantity"], 12);
    let invoice = upcoming(&a, &billing, &fx.subscription).await;
    let descriptions: Vec<_> = invoice["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["description"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        descriptions,
        [
            "12 ADVANCED licenses at €64.00 each",
            "2 ADVANCED licenses at €61.87 each for 29 days"
        ],
        "{invoice}"
    );

    // A seat assigned, then freed, on `b`.
    let (_, body) = b
        .graphql(
            "{ viewer { organisation { members(first: 1) { nodes { id } } } } }",
            json!({}),
            Some(&billing),
        )
        .await;
    let member = body["data"]["viewer"]["organisation"]["members"]["nodes"][0]["id"].clone();
    let seat = before["seats"]["nodes"][0]["id"].clone();
    let (_, body) = b
        .graphql(
            "mutation A($input: AssignLicenseInput!) { assignLicense(input: $input) { license { id } } }",
            json!({ "input": { "seatId": seat, "memberId": member } }),
            Some(&billing),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(item(&a, &billing, &fx.item).await["assigned"], 1);
    let (_, body) = b
        .graphql(
            "mutation U($input: UnassignLicenseInput!) { unassignLicense(input: $input) { license { id } } }",
            json!({ "input": { "seatId": seat } }),
            Some(&billing),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(item(&a, &billing, &fx.item).await["assigned"], 0);

    // A subscription created by staff on `b` appears on `a`.
    let admin = b.login(DEMO_ADMIN_EMAIL).await;
    let second = license_item(&b, "Acme Telecom", "EUR", "10", 1, APRIL_2).await;
    let (_, body) = a
        .graphql(
            "{ viewer { organisation { licenses { id } upcomingCharges { subscriptionId } } } }",
            json!({}),
            Some(&billing),
        )
        .await;
    let organisation = &body["data"]["viewer"]["organisation"];
    assert!(
        organisation["licenses"]
            .as_array()
            .is_some_and(|l| l.iter().any(|i| i["id"] == second.item.as_str())),
        "{body}"
    );
    assert!(
        organisation["upcomingCharges"].as_array().is_some_and(|u| u
            .iter()
            .any(|s| s["subscriptionId"] == second.subscription.as_str())),
        "{body}"
    );
    // Staff read the same through `customer(id)`.
    let (_, body) = a
        .graphql(
            "query C($id: ID!) { customer(id: $id) { licenses { id quantity } } }",
            json!({ "id": fx.customer }),
            Some(&admin),
        )
        .await;
    let licenses = body["data"]["customer"]["licenses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        licenses
            .iter()
            .any(|i| i["id"] == fx.item.as_str() && i["quantity"] == 12),
        "{body}"
    );
});
