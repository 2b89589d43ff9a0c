//! Billing addresses: validated per country (postal code families, the US and Canadian region,
//! none in the UK), written the canonical way; exactly one default, changed in one step, never
//! removed without a successor while others remain; abroad means unverified until staff verify
//! it, and a changed address is unverified again; viewers and other tenants change nothing.

use serde_json::{Value, json};
use tests::{Session, TestApp, assert_bad_input, assert_code, e2e_test};

use super::ops::{
    ADD_ADDRESS, REMOVE_ADDRESS, SET_DEFAULT, UPDATE_ADDRESS, VERIFY_ADDRESS, addresses, audit_of,
    call, ok, paris, reason,
};

/// An address for `customer` in `country`.
fn address(customer: &str, country: &str, postal: Option<&str>, region: Option<&str>) -> Value {
    json!({ "customerId": customer, "line1": "1 Main Street", "city": "Springfield",
            "postalCode": postal, "region": region, "country": country })
}

/// A new organisation in France with no address yet, created by staff; its id.
async fn fresh_organisation(app: &TestApp) -> String {
    let staff = app.as_staff().await;
    let body = staff
        .graphql(
            "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
            json!({ "input": { "name": "Initech", "email": "billing@initech.example",
                               "currency": "EUR", "timeZone": "Europe/Paris" } }),
        )
        .await;
    let id = body["data"]["createCustomer"]["customer"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    ok(
        &staff,
        "mutation S($input: UpdateCustomerBillingSettingsInput!) {
            updateCustomerBillingSettings(input: $input) { customer { id } } }",
        json!({ "customerId": id, "country": "FR" }),
    )
    .await;
    id
}

/// Adds an address that must be accepted; the address.
async fn add(session: &Session<'_>, input: Value) -> Value {
    ok(session, ADD_ADDRESS, input).await["addBillingAddress"]["address"].clone()
}

e2e_test!(postal_codes_follow_each_country_family, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    // (country, region, good as typed, stored as, bad): digits, a fixed separator, a prefix,
    // letters and digits, ZIP codes.
    for (country, region, good, stored, bad) in [
        ("FR", None, "75 002", "75002", "7500"),
        ("DE", None, "10115", "10115", "101150"),
        ("NL", None, "1012ab", "1012 AB", "1012 A1"),
        ("PL", None, "00950", "00-950", "0095"),
        ("LV", None, "1050", "LV-1050", "LV-10500"),
        ("IE", None, "d02x285", "D02 X285", "B02 X285"),
        ("GB", None, "sw1a1aa", "SW1A 1AA", "SW1A 1A"),
        ("CH", None, "8001", "8001", "800"),
        ("NO", None, "0150", "0150", "01500"),
        ("US", Some("NY"), "10001-1234", "10001-1234", "1000"),
        ("CA", Some("QC"), "h2y1c6", "H2Y 1C6", "H2Y 1C"),
    ] {
        let body = call(
            &staff,
            ADD_ADDRESS,
            address(&acme, country, Some(bad), region),
        )
        .await;
        assert_bad_input(&body, "input.postalCode");
        assert_eq!(reason(&body), "POSTAL_CODE_FORMAT", "{country} {bad}");
        let added = add(&staff, address(&acme, country, Some(good), region)).await;
        assert_eq!(added["postalCode"], stored, "{country}: {added}");
        // Only the first address of an organisation is its default.
        assert_eq!(added["isDefault"], false);
    }
    // Where the country has postal codes, one is required (not in Ireland).
    let body = call(&staff, ADD_ADDRESS, address(&acme, "FR", None, None)).await;
    assert_bad_input(&body, "input.postalCode");
    assert_eq!(reason(&body), "POSTAL_CODE_REQUIRED");
    add(&staff, address(&acme, "IE", None, None)).await;
});

e2e_test!(regions_and_countries_are_checked_per_country, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id().to_owned();
    for (input, field, why) in [
        (
            address(&acme, "US", Some("94105"), None),
            "region",
            "REGION_REQUIRED",
        ),
        (
            address(&acme, "CA", Some("K1A 0B1"), Some(" ")),
            "region",
            "REGION_REQUIRED",
        ),
        (
            address(&acme, "US", Some("94105"), Some("ZZ")),
            "region",
            "UNKNOWN_REGION",
        ),
        (
            address(&acme, "CA", Some("K1A 0B1"), Some("NY")),
            "region",
            "UNKNOWN_REGION",
        ),
        (
            address(&acme, "GB", Some("SW1A 1AA"), Some("Greater London")),
            "region",
            "REGION_NOT_USED",
        ),
        (
            address(&acme, "UK", Some("SW1A 1AA"), None),
            "country",
            "UNKNOWN_COUNTRY",
        ),
        (
            address(&acme, "FRA", Some("75002"), None),
            "country",
            "UNKNOWN_COUNTRY",
        ),
    ] {
        let body = call(&owner, ADD_ADDRESS, input).await;
        assert_bad_input(&body, &format!("input.{field}"));
        assert_eq!(reason(&body), why, "{body}");
    }
    let mut blank = paris(&acme);
    blank["line1"] = json!(" ");
    assert_bad_input(&call(&owner, ADD_ADDRESS, blank).await, "input.line1");
    let mut blank = paris(&acme);
    blank["city"] = json!("");
    assert_bad_input(&call(&owner, ADD_ADDRESS, blank).await, "input.city");
    assert_eq!(addresses(&owner, &acme).await.len(), 2, "nothing written");

    // A state by name is stored as its code; it prints the US way.
    let added = add(
        &owner,
        address(&acme, "us", Some("94105"), Some("california")),
    )
    .await;
    assert_eq!(
        (&added["country"], &added["region"]),
        (&json!("US"), &json!("CA"))
    );
    assert_eq!(
        added["lines"],
        json!(["1 Main Street", "Springfield, CA 94105", "United States"])
    );
});

e2e_test!(an_organisation_has_exactly_one_default_address, |app| {
    let staff = app.as_staff().await;
    let initech = fresh_organisation(&app).await;
    let first = add(&staff, paris(&initech)).await;
    assert_eq!(first["isDefault"], true, "the first address is the default");
    let second = add(&staff, address(&initech, "FR", Some("69002"), None)).await;
    assert_eq!(second["isDefault"], false);
    let (first, second) = (first["id"].clone(), second["id"].clone());

    // Changing the default: one step, one default after it.
    ok(&staff, SET_DEFAULT, json!({ "addressId": second })).await;
    let defaults = |list: Vec<Value>| {
        list.into_iter()
            .filter(|a| a["isDefault"] == true)
            .map(|a| a["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        defaults(addresses(&staff, &initech).await),
        std::slice::from_ref(&second)
    );
    // The default is listed first.
    assert_eq!(addresses(&staff, &initech).await[0]["id"], second);

    // The default cannot go while another remains, unless another is named.
    let body = call(&staff, REMOVE_ADDRESS, json!({ "addressId": second })).await;
    assert_code(&body, "CONFLICT");
    assert_eq!(reason(&body), "DEFAULT_ADDRESS");
    let body = call(
        &staff,
        REMOVE_ADDRESS,
        json!({ "addressId": second, "newDefaultAddressId": second }),
    )
    .await;
    assert_bad_input(&body, "input.newDefaultAddressId");
    let body = call(
        &staff,
        REMOVE_ADDRESS,
        json!({ "addressId": first, "newDefaultAddressId": second }),
    )
    .await;
    assert_bad_input(&body, "input.newDefaultAddressId");
    assert_eq!(
        addresses(&staff, &initech).await.len(),
        2,
        "nothing removed"
    );

    ok(
        &staff,
        REMOVE_ADDRESS,
        json!({ "addressId": second, "newDefaultAddressId": first }),
    )
    .await;
    assert_eq!(
        defaults(addresses(&staff, &initech).await),
        std::slice::from_ref(&first)
    );
    // The last one, default as it is, may go.
    ok(&staff, REMOVE_ADDRESS, json!({ "addressId": first })).await;
    assert!(addresses(&staff, &initech).await.is_empty());
    // The next first address is the default again.
    assert_eq!(add(&staff, paris(&initech)).await["isDefault"], true);
});

e2e_test!(an_organisation_has_at_most_twenty_addresses, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id().to_owned();
    // The demo has two: 18 more reach the limit.
    for _ in 0..18 {
        add(&owner, paris(&acme)).await;
    }
    let body = call(&owner, ADD_ADDRESS, paris(&acme)).await;
    assert_code(&body, "CONFLICT");
    assert_eq!(reason(&body), "TOO_MANY_ADDRESSES");
    assert_eq!(addresses(&owner, &acme).await.len(), 20);
});

e2e_test!(
    an_address_abroad_is_unverified_until_staff_verify_it,
    |app| {
        let owner = app.as_owner("Acme Telecom").await;
        let staff = app.as_staff().await;
        let acme = owner.organisation_id().to_owned();
        // The demo: Paris (Acme is French) needs nothing; Madrid is abroad.
        let list = addresses(&owner, &acme).await;
        let status: Vec<(&Value, &Value)> = list
            .iter()
            .map(|a| (&a["city"], &a["verification"]))
            .collect();
        assert_eq!(
            status,
            [
                (&json!("Paris"), &json!("NOT_REQUIRED")),
                (&json!("Madrid"), &json!("UNVERIFIED"))
            ]
        );
        let madrid = list[1]["id"].clone();

        // Only staff verify.
        for role in [
            tests::Role::Owner,
            tests::Role::BillingAdmin,
            tests::Role::Viewer,
        ] {
            let session = app.as_role("Acme Telecom", role).await;
            let body = call(&session, VERIFY_ADDRESS, json!({ "addressId": madrid })).await;
            assert_code(&body, "FORBIDDEN");
        }
        let verified = ok(&staff, VERIFY_ADDRESS, json!({ "addressId": madrid })).await;
        assert_eq!(
            verified["verifyAddress"]["address"]["verification"],
            "VERIFIED"
        );
        assert!(verified["verifyAddress"]["address"]["verifiedAt"].is_string());

        // The same parts again keep the verification; another street loses it.
        let same = json!({ "addressId": madrid, "line1": "Calle de Alcalá 45", "line2": "Planta 3",
            "city": "Madrid", "postalCode": "28014", "region": "Comunidad de Madrid", "country": "ES" });
        let kept = ok(&owner, UPDATE_ADDRESS, same.clone()).await;
        assert_eq!(
            kept["updateBillingAddress"]["address"]["verification"],
            "VERIFIED"
        );
        let mut moved = same;
        moved["line1"] = json!("Calle de Serrano 1");
        let moved = ok(&owner, UPDATE_ADDRESS, moved).await;
        assert_eq!(
            moved["updateBillingAddress"]["address"]["verification"],
            "UNVERIFIED"
        );

        let madrid = madrid.as_str().expect("id");
        let actions: Vec<String> = audit_of(&owner, madrid)
            .await
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                "address.update",
                "address.update",
                "address.verify",
                "address.add"
            ]
        );
        let entries = audit_of(&owner, madrid).await;
        assert_eq!(entries[0].before["line1"], "Calle de Alcalá 45");
        assert_eq!(entries[0].after["line1"], "Calle de Serrano 1");
        assert_eq!(entries[0].after["verified"], false);
    }
);

e2e_test!(viewers_and_other_tenants_change_no_address, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id().to_owned();
    let list = addresses(&owner, &acme).await;
    let (paris_id, madrid) = (list[0]["id"].clone(), list[1]["id"].clone());
    let update = json!({ "addressId": madrid, "line1": "1 Main Street", "city": "Madrid",
                             "postalCode": "28001", "country": "ES" });
    let attempts = [
        (ADD_ADDRESS, paris(&acme)),
        (UPDATE_ADDRESS, update),
        (SET_DEFAULT, json!({ "addressId": madrid })),
        (REMOVE_ADDRESS, json!({ "addressId": madrid })),
        (
            REMOVE_ADDRESS,
            json!({ "addressId": paris_id, "newDefaultAddressId": madrid }),
        ),
    ];
    let viewer = app.as_viewer("Acme Telecom").await;
    for (query, input) in &attempts {
        assert_code(&call(&viewer, query, input.clone()).await, "FORBIDDEN");
    }
    for role in [
        tests::Role::Owner,
        tests::Role::BillingAdmin,
        tests::Role::Viewer,
    ] {
        let intruder = app.as_role("Globex", role).await;
        for (query, input) in &attempts {
            assert_code(&call(&intruder, query, input.clone()).await, "NOT_FOUND");
        }
    }
    assert_eq!(addresses(&owner, &acme).await, list, "nothing changed");
});
