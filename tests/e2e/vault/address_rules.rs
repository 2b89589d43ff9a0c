//! What documents prove: an accepted proof of address verifies the address abroad it names (a
//! rejected one, or one for an address changed since, does not); a new default billing address
//! asks for a company registration certificate until one uploaded since is accepted.

use serde_json::{Value, json};
use tests::{Session, e2e_test};

use super::review::review;
use super::{pdf, uploaded};

/// The organisation's addresses as `session` reads them.
async fn addresses(session: &Session<'_>) -> Vec<Value> {
    let data: Value = session
        .data(
            "addresses",
            "{ viewer { organisation { billingAddresses { id country isDefault verification } } } }",
            json!({}),
        )
        .await;
    data["viewer"]["organisation"]["billingAddresses"]
        .as_array()
        .expect("addresses")
        .clone()
}

/// Acme's address in Madrid (abroad: Acme is French).
async fn madrid(session: &Session<'_>) -> Value {
    addresses(session)
        .await
        .into_iter()
        .find(|a| a["country"] == "ES")
        .expect("the demo's Madrid address")
}

/// The documents the organisation is asked for, as (type, reason).
async fn required(session: &Session<'_>) -> Vec<(String, String)> {
    let data: Value = session
        .data(
            "required documents",
            "{ viewer { organisation { requiredDocuments { type reason requiredSince } } } }",
            json!({}),
        )
        .await;
    data["viewer"]["organisation"]["requiredDocuments"]
        .as_array()
        .expect("required documents")
        .iter()
        .map(|r| {
            (
                r["type"].as_str().expect("type").to_owned(),
                r["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect()
}

e2e_test!(an_accepted_proof_of_address_verifies_the_address, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let staff = app.as_staff().await;
    let address = madrid(&billing).await;
    assert_eq!(address["verification"], "UNVERIFIED");
    let id = address["id"].as_str().expect("id");
    let query = [
        ("type", "proof_of_address"),
        ("name", "bill.pdf"),
        ("addressId", id),
    ];

    let first = uploaded(&app, billing.token(), &query, pdf(400)).await;
    assert_eq!(first["addressId"], id);
    assert_eq!(
        madrid(&billing).await["verification"],
        "UNVERIFIED",
        "pending proves nothing"
    );
    let body = review(
        &staff,
        first["id"].as_str().expect("id"),
        "REJECT",
        Some("Too old"),
    )
    .await;
    assert_eq!(
        body["data"]["reviewDocument"]["document"]["status"], "REJECTED",
        "{body}"
    );
    assert_eq!(
        madrid(&billing).await["verification"],
        "UNVERIFIED",
        "rejected proves nothing"
    );

    let second = uploaded(&app, billing.token(), &query, pdf(401)).await;
    let body = review(&staff, second["id"].as_str().expect("id"), "ACCEPT", None).await;
    assert_eq!(
        body["data"]["reviewDocument"]["document"]["status"], "ACCEPTED",
        "{body}"
    );
    assert_eq!(madrid(&billing).await["verification"], "VERIFIED");
    assert_eq!(billing.audit_count("address.verify").await, 1);
});

e2e_test!(a_proof_for_an_address_changed_since_proves_nothing, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let address = madrid(&billing).await;
    let id = address["id"].as_str().expect("id").to_owned();
    let proof = uploaded(
        &app,
        billing.token(),
        &[
            ("type", "proof_of_address"),
            ("name", "bill.pdf"),
            ("addressId", id.as_str()),
        ],
        pdf(400),
    )
    .await;
    // The address moves before the proof is reviewed: the proof no longer names it.
    let body = billing
        .graphql(
            "mutation U($input: UpdateBillingAddressInput!) { updateBillingAddress(input: $input) {
                address { id } } }",
            json!({ "input": { "addressId": id, "line1": "Calle de Alcalá 1", "city": "Madrid",
                               "postalCode": "28014", "country": "ES" } }),
        )
        .await;
    tests::assert_ok(&body);
    let staff = app.as_staff().await;
    let body = review(&staff, proof["id"].as_str().expect("id"), "ACCEPT", None).await;
    let accepted = &body["data"]["reviewDocument"]["document"];
    assert_eq!(accepted["status"], "ACCEPTED", "{body}");
    assert_eq!(madrid(&billing).await["verification"], "UNVERIFIED");
    assert!(crate::vault::documents(&billing).await[0]["addressId"].is_null());
});

e2e_test!(
    a_new_default_address_asks_for_a_registration_certificate,
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let staff = app.as_staff().await;
        assert!(required(&billing).await.is_empty());
        let certificate = [("type", "company_registration"), ("name", "kbis.pdf")];
        let before = uploaded(&app, billing.token(), &certificate, pdf(500)).await;

        let madrid = madrid(&billing).await;
        let body = billing
            .graphql(
                "mutation D($input: SetDefaultBillingAddressInput!) {
                setDefaultBillingAddress(input: $input) { address { id isDefault } } }",
                json!({ "input": { "addressId": madrid["id"] } }),
            )
            .await;
        tests::assert_ok(&body);
        let asked = vec![(
            "COMPANY_REGISTRATION".to_owned(),
            "DEFAULT_ADDRESS_CHANGED".to_owned(),
        )];
        assert_eq!(required(&billing).await, asked);
        assert_eq!(
            required(&app.as_viewer("Acme Telecom").await).await,
            asked,
            "everyone sees it"
        );
        assert!(required(&app.as_owner("Globex").await).await.is_empty());

        // A certificate sent before the change does not answer it, nor does a rejected one.
        review(&staff, before["id"].as_str().expect("id"), "ACCEPT", None).await;
        assert_eq!(required(&billing).await, asked);
        let rejected = uploaded(&app, billing.token(), &certificate, pdf(501)).await;
        review(
            &staff,
            rejected["id"].as_str().expect("id"),
            "REJECT",
            Some("Expired"),
        )
        .await;
        assert_eq!(required(&billing).await, asked);

        // One sent since and accepted does.
        let after = uploaded(&app, billing.token(), &certificate, pdf(502)).await;
        assert_eq!(required(&billing).await, asked, "pending: still asked");
        let body = review(&staff, after["id"].as_str().expect("id"), "ACCEPT", None).await;
        tests::assert_ok(&body);
        assert!(required(&billing).await.is_empty());
        assert_eq!(billing.audit_count("document.require").await, 1);
        assert_eq!(billing.audit_count("document.requirement_met").await, 1);
    }
);
