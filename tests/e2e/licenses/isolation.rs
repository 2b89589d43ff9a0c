//! Every id the license slice accepts, tried from the other tenant, answers `NOT_FOUND`.

use serde_json::json;
use tests::{LicenseItemFixture, assert_bad_input, assert_code, e2e_test};

use super::APRIL_2;

e2e_test!(another_tenants_license_ids_are_not_found, |app| {
    let acme = LicenseItemFixture::for_organisation("Acme Telecom")
        .currency("EUR")
        .unit_price("64")
        .seats(2)
        .at(APRIL_2)
        .create(&app)
        .await;
    let globex = LicenseItemFixture::for_organisation("Globex")
        .currency("GBP")
        .unit_price("25")
        .seats(2)
        .at(APRIL_2)
        .create(&app)
        .await;
    let acme_billing = app.as_billing_admin("Acme Telecom").await;
    let globex_billing = app.as_billing_admin("Globex").await;
    let staff = app.as_staff().await;

    // A Globex item, quote, seat and member, and an Acme seat and member.
    let globex_quote = globex_billing
        .preview_license_change(&globex.item, 1)
        .await
        .id;
    let globex_seat = globex_billing.license_item(&globex.item).await.seats[0]
        .id
        .clone();
    let acme_seat = acme_billing.license_item(&acme.item).await.seats[0]
        .id
        .clone();
    let globex_member = globex_billing.member_ids().await[0].clone();
    let acme_member = acme_billing.member_ids().await[0].clone();

    // previewLicenseChange(itemId)
    assert_code(
        &acme_billing
            .try_preview_license_change(&globex.item, 1)
            .await,
        "NOT_FOUND",
    );
    // applyLicenseChange(quoteId)
    assert_code(
        &acme_billing
            .try_apply_license_change(&globex_quote, "steal")
            .await,
        "NOT_FOUND",
    );
    // assignLicense(seatId) and assignLicense(memberId)
    assert_code(
        &acme_billing
            .try_assign_license(&globex_seat, &acme_member)
            .await,
        "NOT_FOUND",
    );
    assert_code(
        &acme_billing
            .try_assign_license(&acme_seat, &globex_member)
            .await,
        "NOT_FOUND",
    );
    // unassignLicense(seatId)
    assert_code(
        &acme_billing.try_unassign_license(&globex_seat).await,
        "NOT_FOUND",
    );
    // customer(id).subscriptions / licenses / upcomingCharges / auditLog of the other tenant.
    let body = acme_billing
        .graphql("query C($id: ID!) { customer(id: $id) { licenses { id } upcomingCharges { total { amount } } auditLog { nodes { id } } } }", json!({ "id": globex.customer }))
        .await;
    assert_code(&body, "NOT_FOUND");
    assert!(body["data"].is_null(), "{body}");

    // organisation.licenseItem(id): another tenant's item is as unknown as no item at all, for
    // its users and for staff asking through the other customer.
    let one_item = "query I($id: ID!) { viewer { organisation { licenseItem(id: $id) { id } } } }";
    let body = acme_billing
        .graphql(one_item, json!({ "id": globex.item }))
        .await;
    assert_code(&body, "NOT_FOUND");
    let body = acme_billing
        .graphql(one_item, json!({ "id": acme.item }))
        .await;
    assert_eq!(
        body["data"]["viewer"]["organisation"]["licenseItem"]["id"],
        acme.item.as_str(),
        "{body}"
    );
    let body = staff
        .graphql(
            "query C($customer: ID!, $id: ID!) { customer(id: $customer) { licenseItem(id: $id) { id } } }",
            json!({ "customer": acme.customer, "id": globex.item }),
        )
        .await;
    assert_code(&body, "NOT_FOUND");
    let body = acme_billing
        .graphql(one_item, json!({ "id": "si_not-an-id" }))
        .await;
    assert_bad_input(&body, "id");

    // Staff may preview any customer's item (they have no organisation of their own to look in).
    let staff_quote = staff.preview_license_change(&globex.item, 1).await;
    assert_eq!(staff_quote.quantity_after, 3, "{staff_quote:?}");

    // Nothing moved on the Globex side.
    let globex_item = globex_billing.license_item(&globex.item).await;
    assert_eq!(globex_item.quantity, 2);
    assert_eq!(globex_item.assigned, 0);
    // And the staff-made fixture is visible to its own tenant only.
    let acme_items = acme_billing.license_item(&acme.item).await;
    assert_eq!(acme_items.quantity, 2);
});
