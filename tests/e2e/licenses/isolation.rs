//! Every id the license slice accepts, tried from the other tenant, answers `NOT_FOUND`.

use serde_json::json;
use tests::e2e_test;

use super::*;

e2e_test!(another_tenants_license_ids_are_not_found, |app| {
    let acme = license_item(&app, "Acme Telecom", "EUR", "64", 2, APRIL_2).await;
    let globex = license_item(&app, "Globex", "GBP", "25", 2, APRIL_2).await;
    let acme_billing = app.login("billing@acme.example").await;
    let globex_billing = app.login("billing@globex.example").await;

    // A Globex item, quote, seat and member, and an Acme seat and member.
    let globex_quote = quote(&app, &globex_billing, &globex.item, 1).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let globex_seat =
        item(&app, &globex_billing, &globex.item).await["seats"]["nodes"][0]["id"].clone();
    let acme_seat = item(&app, &acme_billing, &acme.item).await["seats"]["nodes"][0]["id"].clone();
    let members = |token: String| {
        let app = &app;
        async move {
            let (_, body) = app
                .graphql(
                    "{ viewer { organisation { members(first: 1) { nodes { id } } } } }",
                    json!({}),
                    Some(&token),
                )
                .await;
            body["data"]["viewer"]["organisation"]["members"]["nodes"][0]["id"].clone()
        }
    };
    let globex_member = members(globex_billing.clone()).await;
    let acme_member = members(acme_billing.clone()).await;

    // previewLicenseChange(itemId)
    assert_error(
        &preview(&app, &acme_billing, &globex.item, 1).await,
        "NOT_FOUND",
        None,
    );
    // applyLicenseChange(quoteId)
    assert_error(
        &apply(&app, &acme_billing, &globex_quote, "steal").await,
        "NOT_FOUND",
        None,
    );
    // assignLicense(seatId) and assignLicense(memberId)
    let assign = "mutation A($input: AssignLicenseInput!) { assignLicense(input: $input) { license { id } } }";
    let (_, body) = app
        .graphql(
            assign,
            json!({ "input": { "seatId": globex_seat, "memberId": acme_member } }),
            Some(&acme_billing),
        )
        .await;
    assert_error(&body, "NOT_FOUND", None);
    let (_, body) = app
        .graphql(
            assign,
            json!({ "input": { "seatId": acme_seat, "memberId": globex_member } }),
            Some(&acme_billing),
        )
        .await;
    assert_error(&body, "NOT_FOUND", None);
    // unassignLicense(seatId)
    let (_, body) = app
        .graphql("mutation U($input: UnassignLicenseInput!) { unassignLicense(input: $input) { license { id } } }", json!({ "input": { "seatId": globex_seat } }), Some(&acme_billing))
        .await;
    assert_error(&body, "NOT_FOUND", None);
    // customer(id).subscriptions / licenses / upcomingCharges / auditLog of the other tenant.
    let (_, body) = app
        .graphql("query C($id: ID!) { customer(id: $id) { licenses { id } upcomingCharges { total { amount } } auditLog { nodes { id } } } }", json!({ "id": globex.customer }), Some(&acme_billing))
        .await;
    assert_error(&body, "NOT_FOUND", None);
    assert!(body["data"].is_null(), "{body}");

    // organisation.licenseItem(id): another tenant's item is as unknown as no item at all, for
    // its users and for staff asking through the other customer.
    let one_item = "query I($id: ID!) { viewer { organisation { licenseItem(id: $id) { id } } } }";
    let (_, body) = app
        .graphql(one_item, json!({ "id": globex.item }), Some(&acme_billing))
        .await;
    assert_error(&body, "NOT_FOUND", None);
    let (_, body) = app
        .graphql(one_item, json!({ "id": acme.item }), Some(&acme_billing))
        .await;
    assert_eq!(
        body["data"]["viewer"]["organisation"]["licenseItem"]["id"],
        acme.item.as_str(),
        "{body}"
    );
    let (_, body) = app
        .graphql(
            "query C($customer: ID!, $id: ID!) { customer(id: $customer) { licenseItem(id: $id) { id } } }",
            json!({ "customer": acme.customer, "id": globex.item }),
            Some(&acme.admin),
        )
        .await;
    assert_error(&body, "NOT_FOUND", None);
    let (_, body) = app
        .graphql(
            one_item,
            json!({ "id": "si_not-an-id" }),
            Some(&acme_billing),
        )
        .await;
    assert_error(&body, "BAD_USER_INPUT", Some("id"));

    // Staff may preview any customer's item (they have no organisation of their own to look in).
    let staff_quote = quote(&app, &acme.admin, &globex.item, 1).await;
    assert_eq!(staff_quote["quantityAfter"], 3, "{staff_quote}");

    // Nothing moved on the Globex side.
    let globex_item = item(&app, &globex_billing, &globex.item).await;
    assert_eq!(globex_item["quantity"], 2);
    assert_eq!(globex_item["assigned"], 0);
    // And the staff-made fixture is visible to its own tenant only.
    let acme_items = item(&app, &acme_billing, &acme.item).await;
    assert_eq!(acme_items["quantity"], 2);
});
