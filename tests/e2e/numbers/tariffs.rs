//! Tariffs and numbers through the API: problems named by field with nothing written, staff
//! only; numbers in E.164, unique, one per unit of their recurring item; a customer reads its
//! own numbers and another tenant's number is `NOT_FOUND`.

use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, assert_ok, e2e_test};

use super::{add_number, create_tariff, tariff_input, telecom, try_add_number};

e2e_test!(a_bad_tariff_names_its_field_and_writes_nothing, |app| {
    let staff = app.as_staff().await;
    let count = |body: Value| {
        body["data"]["tariffs"]["nodes"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = count(
        staff
            .graphql("{ tariffs { nodes { id } } }", json!({}))
            .await,
    );
    let send = |input: Value| {
        let staff = &staff;
        async move {
            staff
                .graphql(
                    "mutation T($input: CreateTariffInput!) { createTariff(input: $input) { tariff { id } } }",
                    json!({ "input": input }),
                )
                .await
        }
    };
    let mut dup = tariff_input("Dup", "EUR");
    dup["rates"][1]["prefix"] = json!("33");
    assert_bad_input(&send(dup).await, "input.rates.1.prefix");
    let mut plus = tariff_input("Plus", "EUR");
    plus["rates"][0]["prefix"] = json!("+33");
    assert_bad_input(&send(plus).await, "input.rates.0.prefix");
    let mut negative = tariff_input("Neg", "EUR");
    negative["rates"][1]["ratePerMinute"] = json!("-0.10");
    assert_bad_input(&send(negative).await, "input.rates.1.ratePerMinute");
    let mut zero = tariff_input("Zero", "EUR");
    zero["incrementNextSeconds"] = json!(0);
    assert_bad_input(&send(zero).await, "input.incrementNextSeconds");
    assert_bad_input(&send(tariff_input("Cur", "EURO")).await, "input.currency");
    assert_eq!(
        count(
            staff
                .graphql("{ tariffs { nodes { id } } }", json!({}))
                .await
        ),
        before
    );
    // Customers neither create nor read tariffs.
    let owner = app.as_owner("Acme Telecom").await;
    let body = owner
        .graphql(
            "mutation T($input: CreateTariffInput!) { createTariff(input: $input) { tariff { id } } }",
            json!({ "input": tariff_input("Mine", "EUR") }),
        )
        .await;
    assert_code(&body, "FORBIDDEN");
    assert_code(
        &owner
            .graphql("{ tariffs { nodes { id } } }", json!({}))
            .await,
        "FORBIDDEN",
    );
});

e2e_test!(a_new_version_keeps_the_old_one_and_becomes_current, |app| {
    let staff = app.as_staff().await;
    let (tariff, v1) = create_tariff(&staff, tariff_input("Versioned", "EUR")).await;
    let mut next = tariff_input("ignored", "EUR");
    next["rates"][0]["ratePerMinute"] = json!("0.03");
    let body = staff
        .graphql(
            "mutation V($input: CreateTariffVersionInput!) { createTariffVersion(input: $input) {
                tariffVersion { id version } tariff { currentVersion { id version rates { prefix ratePerMinute } }
                versions { id version rates { prefix ratePerMinute } } } } }",
            json!({ "input": {
                "tariffId": tariff, "rates": next["rates"],
                "incrementFirstSeconds": 60, "incrementNextSeconds": 60,
                "minimumCharge": "0", "connectionFee": "0"
            } }),
        )
        .await;
    assert_ok(&body);
    let t = &body["data"]["createTariffVersion"];
    assert_eq!(t["tariffVersion"]["version"], 2);
    assert_eq!(t["tariff"]["currentVersion"]["version"], 2);
    let versions = t["tariff"]["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["id"], json!(v1));
    assert_eq!(versions[0]["rates"][0]["ratePerMinute"], "0.02");
    assert_eq!(versions[1]["rates"][0]["ratePerMinute"], "0.03");
});

e2e_test!(numbers_are_e164_unique_and_one_per_unit, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 2).await;
    assert_bad_input(
        &try_add_number(&staff, &fx, "0123456789").await,
        "input.number",
    );
    let first = add_number(&staff, &fx, "+33123456789").await;
    assert_code(
        &try_add_number(&staff, &fx, "+33123456789").await,
        "CONFLICT",
    );
    add_number(&staff, &fx, "+33123456790").await;
    // Two units, two numbers: a third needs the item's quantity raised first.
    assert_bad_input(
        &try_add_number(&staff, &fx, "+33123456791").await,
        "input.subscriptionItemId",
    );
    let changed = staff
        .graphql(
            "mutation Q($input: SetSubscriptionItemQuantityInput!) {
                setSubscriptionItemQuantity(input: $input) { subscription { id } } }",
            json!({ "input": { "itemId": fx.item, "quantity": 3 } }),
        )
        .await;
    assert_ok(&changed);
    add_number(&staff, &fx, "+33123456791").await;

    // The customer's users read their own numbers; another organisation's number is unknown.
    let viewer = app.as_viewer("Acme Telecom").await;
    let listed: Value = viewer
        .data(
            "Acme's numbers",
            "{ viewer { organisation { phoneNumbers(first: 10) { nodes { id number numberType tariffName } } } } }",
            json!({}),
        )
        .await;
    let numbers = listed["viewer"]["organisation"]["phoneNumbers"]["nodes"]
        .as_array()
        .expect("numbers");
    assert_eq!(
        numbers
            .iter()
            .map(|n| n["number"].clone())
            .collect::<Vec<_>>(),
        vec![
            json!("+33123456789"),
            json!("+33123456790"),
            json!("+33123456791")
        ]
    );
    let own = viewer
        .graphql(
            "query N($id: ID!) { phoneNumber(id: $id) { number } }",
            json!({ "id": first }),
        )
        .await;
    assert_eq!(
        own["data"]["phoneNumber"]["number"], "+33123456789",
        "{own}"
    );
    let globex = app.as_owner("Globex").await;
    assert_code(
        &globex
            .graphql(
                "query N($id: ID!) { phoneNumber(id: $id) { number } }",
                json!({ "id": first }),
            )
            .await,
        "NOT_FOUND",
    );
});

e2e_test!(
    a_number_needs_a_recurring_item_in_the_tariffs_currency,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let fx = telecom(&app, &acme, 1).await;
        let (usd, _) = create_tariff(&staff, tariff_input("Dollars", "USD")).await;
        let body = staff
        .graphql(
            "mutation N($input: AddPhoneNumberInput!) { addPhoneNumber(input: $input) { phoneNumber { id } } }",
            json!({ "input": { "number": "+33199999999", "numberType": "MOBILE",
                "subscriptionItemId": fx.item, "tariffId": usd, "soldOn": "2026-11-15" } }),
        )
        .await;
        assert_bad_input(&body, "input.tariffId");
        // Acme's license item is not a number's rental.
        let license: Value = staff
            .data(
                "Acme's license item",
                "query A($id: ID!) { customer(id: $id) { licenses { id } } }",
                json!({ "id": acme }),
            )
            .await;
        let body = staff
        .graphql(
            "mutation N($input: AddPhoneNumberInput!) { addPhoneNumber(input: $input) { phoneNumber { id } } }",
            json!({ "input": { "number": "+33199999999", "numberType": "MOBILE",
                "subscriptionItemId": license["customer"]["licenses"][0]["id"],
                "tariffId": fx.tariff, "soldOn": "2026-11-15" } }),
        )
        .await;
        assert_bad_input(&body, "input.subscriptionItemId");
    }
);
