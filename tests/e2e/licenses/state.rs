//! The tenant state kept in memory never outlives a write: whichever server makes the change,
//! the next read on any server sees it. Server `a` reads first (so it holds the state), server
//! `b` (another process on the same database) writes, and `a` must answer with the change.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, e2e_test, instant};

use super::APRIL_2;

e2e_test!(every_write_on_any_server_is_seen_by_the_next_read, |a| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(10)
        .at(APRIL_2)
        .create(&a)
        .await;
    let b = a.peer().await;
    b.app.services.clock.set(instant(APRIL_2));
    let billing_on_a = a.as_billing_admin("Acme Telecom").await;
    let billing_on_b = billing_on_a.on(&b);

    // `a` holds the state: ten seats, none assigned, no proration on the next invoice.
    let before = billing_on_a.license_item(&fx.item).await;
    assert_eq!((before.quantity, before.assigned), (10, 0));
    let upcoming = billing_on_a.upcoming_charges(&fx.subscription).await;
    assert_eq!(upcoming.lines.len(), 1, "{upcoming:?}");

    // A license change applied on `b`.
    let q = billing_on_b.preview_license_change(&fx.item, 2).await;
    billing_on_b.apply_license_change(&q, "on-b").await;
    assert_eq!(billing_on_a.license_item(&fx.item).await.quantity, 12);
    let invoice = billing_on_a.upcoming_charges(&fx.subscription).await;
    assert_eq!(
        invoice.descriptions(),
        [
            "12 ADVANCED licenses at €64.00 each",
            "2 ADVANCED licenses at €61.87 each for 29 days"
        ],
        "{invoice:?}"
    );

    // A seat assigned, then freed, on `b`.
    let member = billing_on_b.member_ids().await[0].clone();
    let seat = &before.seats[0].id;
    billing_on_b.assign_license(seat, &member).await;
    assert_eq!(billing_on_a.license_item(&fx.item).await.assigned, 1);
    billing_on_b.unassign_license(seat).await;
    assert_eq!(billing_on_a.license_item(&fx.item).await.assigned, 0);

    // A subscription created by staff on `b` appears on `a`.
    let staff_on_a = a.as_staff().await;
    let second = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("10")
        .seats(1)
        .at(APRIL_2)
        .create(&b)
        .await;
    let body = billing_on_a
        .graphql(
            "{ viewer { organisation { licenses { id } upcomingCharges { subscriptionId } } } }",
            json!({}),
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
    let body = staff_on_a
        .graphql(
            "query C($id: ID!) { customer(id: $id) { licenses { id quantity } } }",
            json!({ "id": fx.customer }),
        )
        .await;
    let licenses = body["data"]["customer"]["licenses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        licenses
            .iter()
            .any(|i: &Value| i["id"] == fx.item.as_str() && i["quantity"] == 12),
        "{body}"
    );
});
