//! Concurrent changes on one item: every +1 at a per-seat price applies; of two removals of the
//! last free seat, exactly one does.

use futures_util::future::join_all;
use tests::{LicenseItemFixture, assert_code, e2e_test};

use super::APRIL_2;

e2e_test!(fifty_concurrent_additions_all_apply, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(10)
        .at(APRIL_2)
        .create(&app)
        .await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    // Fifty quotes taken at the same state (10 seats), then applied all at once; every +1
    // applies (the typed call fails the test on any error).
    let quotes = join_all((0..50).map(|_| billing.preview_license_change(&fx.item, 1))).await;
    let keys: Vec<String> = (0..quotes.len()).map(|i| format!("add-{i}")).collect();
    join_all(
        quotes
            .iter()
            .zip(&keys)
            .map(|(q, key)| billing.apply_license_change(q, key)),
    )
    .await;
    assert_eq!(billing.license_item(&fx.item).await.quantity, 60);
    assert_eq!(billing.audit_count("license.add").await, 50);
    let invoice = billing.upcoming_charges(&fx.subscription).await;
    assert_eq!(
        invoice.count_of("PRORATION"),
        50,
        "one proration per applied quote"
    );
});

e2e_test!(
    two_concurrent_removals_of_the_last_free_seat_one_wins,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let member = billing.member_ids().await[0].clone();
        let seat = billing.license_item(&fx.item).await.seats[0].id.clone();
        billing.assign_license(&seat, &member).await;
        // One free seat; two quotes to remove it (the minimum is 1, so only one removal fits).
        let first = billing.preview_license_change(&fx.item, -1).await;
        let second = billing.preview_license_change(&fx.item, -1).await;
        let (a, b) = tokio::join!(
            billing.try_apply_license_change(&first.id, "remove-a"),
            billing.try_apply_license_change(&second.id, "remove-b"),
        );
        let succeeded = [&a, &b]
            .iter()
            .filter(|body| body["errors"].is_null())
            .count();
        assert_eq!(succeeded, 1, "{a} {b}");
        let loser = if a["errors"].is_null() { &b } else { &a };
        assert_code(loser, "QUOTE_STALE");
        let now = billing.license_item(&fx.item).await;
        assert_eq!((now.quantity, now.assigned), (1, 1));
        assert_eq!(billing.audit_count("license.remove").await, 1);
    }
);

e2e_test!(
    one_quote_applied_concurrently_changes_the_licenses_once,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(4)
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let q = billing.preview_license_change(&fx.item, 1).await;
        // Ten submissions of one confirmation, half with the same key, half with their own.
        let keys: Vec<String> = (0..10)
            .map(|i| {
                if i % 2 == 0 {
                    "same".to_owned()
                } else {
                    format!("own-{i}")
                }
            })
            .collect();
        let results = join_all(keys.iter().map(|key| billing.apply_license_change(&q, key))).await;
        for applied in &results {
            assert_eq!(
                applied.quantity_after, 5,
                "every answer is the first result: {applied:?}"
            );
        }
        assert_eq!(
            billing.license_item(&fx.item).await.quantity,
            5,
            "applied once"
        );
        assert_eq!(billing.audit_count("license.add").await, 1);
        let invoice = billing.upcoming_charges(&fx.subscription).await;
        assert_eq!(invoice.count_of("PRORATION"), 1, "charged once");
    }
);

e2e_test!(
    a_removal_whose_seat_was_assigned_meanwhile_is_stale,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(3)
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let members = billing.member_ids().await;
        let seats = billing.license_item(&fx.item).await.seats;
        billing.try_assign_license(&seats[0].id, &members[0]).await;
        // One free seat above the minimum... quote its removal, then assign it before applying.
        let q = billing.preview_license_change(&fx.item, -1).await;
        for seat in [&seats[1], &seats[2]] {
            let body = billing.try_assign_license(&seat.id, &members[1]).await;
            if body["errors"].is_null() {
                break;
            }
        }
        let now = billing.license_item(&fx.item).await;
        assert_eq!(now.unassigned, 1);
        // Assign the last free seat to someone else so nothing is free.
        let free = now
            .seats
            .iter()
            .find(|s| s.member.is_none())
            .expect("a free seat");
        billing.try_assign_license(&free.id, &members[2]).await;
        let body = billing
            .try_apply_license_change(&q.id, "late-removal")
            .await;
        assert_code(&body, "QUOTE_STALE");
        assert_eq!(billing.license_item(&fx.item).await.quantity, 3);
    }
);
