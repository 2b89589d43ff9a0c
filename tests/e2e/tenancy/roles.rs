//! Operator roles: support reads every organisation and reviews documents but changes nothing
//! else (every staff mutation of the sweep's probes, and the id-less ones, answer `FORBIDDEN`
//! and write nothing); billing staff change money but cannot manage API keys, which only an
//! admin creates, lists and revokes.

use serde_json::{Value, json};
use tests::{assert_code, assert_ok, e2e_test, error_code};

use super::probes::{World, probes};

/// The mutations support may call: the document review.
const SUPPORT_MAY: [&str; 1] = ["Mutation.reviewDocument(input.documentId)"];

/// Staff mutations that take no id (the probes cover the others), with valid input.
fn id_less_mutations() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "createProduct",
            "mutation M($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
            json!({ "input": { "name": "Support's product", "code": "support-product", "kind": "SERVICE" } }),
        ),
        (
            "createCustomer",
            "mutation M($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
            json!({ "input": { "name": "Initech", "email": "ap@initech.example", "currency": "EUR",
                "timeZone": "Europe/Paris" } }),
        ),
        (
            "createTaxRate",
            "mutation M($input: CreateTaxRateInput!) { createTaxRate(input: $input) { taxRate { id } } }",
            json!({ "input": { "country": "DE", "name": "USt", "rate": "19" } }),
        ),
        (
            "createTariff",
            "mutation M($input: CreateTariffInput!) { createTariff(input: $input) { tariff { id } } }",
            json!({ "input": crate::numbers::tariff_input("Support's tariff", "EUR") }),
        ),
        (
            "startBillingRun",
            "mutation M($input: StartBillingRunInput!) { startBillingRun(input: $input) { run { id } } }",
            json!({ "input": {} }),
        ),
        (
            "createApiKey",
            "mutation M($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }",
            json!({ "input": { "name": "support", "scopes": ["READ"] } }),
        ),
    ]
}

e2e_test!(support_reads_and_reviews_but_changes_nothing_else, |app| {
    let world = World::set_up(&app).await;
    let support = app.as_support().await;
    let before = world.snapshot(&app).await;
    for probe in probes(&world)
        .iter()
        .filter(|p| p.query.trim_start().starts_with("mutation"))
        .filter(|p| !SUPPORT_MAY.contains(&p.place))
    {
        // A probe mixes Acme's id at its place with Globex's elsewhere, so a place that looks
        // the id up before the role answers `NOT_FOUND`: refused either way, and the snapshot
        // below shows nothing was written.
        let body = support
            .graphql(probe.query, probe.variables(&probe.foreign))
            .await;
        assert!(
            matches!(error_code(&body), Some("FORBIDDEN" | "NOT_FOUND")),
            "{} as support: {body}",
            probe.place
        );
    }
    // With consistent ids (all Acme's), the organisation's own changes are refused by role.
    let acme = support.customer_id("Acme Telecom").await;
    for (name, query, variables) in [
        (
            "createTeam",
            "mutation M($input: CreateTeamInput!) { createTeam(input: $input) { team { id } } }",
            json!({ "input": { "customerId": acme, "name": "Support's team" } }),
        ),
        (
            "addContact",
            "mutation M($input: AddContactInput!) { addContact(input: $input) { contact { id } } }",
            json!({ "input": { "customerId": acme, "role": "ACCOUNTING", "name": "Someone",
                "email": "someone@acme.example", "receivesInvoices": false } }),
        ),
    ] {
        let body = support.graphql(query, variables).await;
        assert_eq!(
            error_code(&body),
            Some("FORBIDDEN"),
            "{name} as support: {body}"
        );
    }
    for (name, query, variables) in id_less_mutations() {
        let body = support.graphql(query, variables).await;
        assert_eq!(
            error_code(&body),
            Some("FORBIDDEN"),
            "{name} as support: {body}"
        );
    }
    assert_eq!(
        world.snapshot(&app).await,
        before,
        "support changed something"
    );

    // It reads every organisation, the dunning queue and what waits for review …
    let read: Value = support
        .data(
            "support's reads",
            "query Q($id: ID!) { customer(id: $id) { name } dunningQueue(first: 5) { nodes { invoiceId } }
                documentsToReview(first: 5) { nodes { id } } }",
            json!({ "id": acme }),
        )
        .await;
    assert_eq!(read["customer"]["name"], "Acme Telecom", "{read}");
    let waiting = read["documentsToReview"]["nodes"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a document waits for review: {read}"))
        .to_owned();
    // … and reviews a document.
    assert_ok(
        &support
            .graphql(
                "mutation M($input: ReviewDocumentInput!) { reviewDocument(input: $input) {
                    document { status } } }",
                json!({ "input": { "documentId": waiting, "decision": "ACCEPT" } }),
            )
            .await,
    );
});

e2e_test!(only_an_admin_manages_api_keys, |app| {
    let billing = app.as_billing_staff().await;
    let create = "mutation M($input: CreateApiKeyInput!) { createApiKey(input: $input) {
        apiKey { id } secret } }";
    let input = json!({ "input": { "name": "platform", "scopes": ["USAGE_WRITE"] } });
    assert_code(&billing.graphql(create, input.clone()).await, "FORBIDDEN");
    assert_code(
        &billing
            .graphql("{ apiKeys { nodes { id } } }", json!({}))
            .await,
        "FORBIDDEN",
    );
    let admin = app.as_staff().await;
    let created = admin.graphql(create, input).await;
    assert_ok(&created);
    let id = created["data"]["createApiKey"]["apiKey"]["id"].clone();
    assert_code(
        &billing
            .graphql(
                "mutation M($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { id } } }",
                json!({ "input": { "apiKeyId": id } }),
            )
            .await,
        "FORBIDDEN",
    );
    // Billing staff do change money: a product and its price.
    assert_ok(
        &billing
            .graphql(
                "mutation M($input: CreateProductInput!) { createProduct(input: $input) { product { id } } }",
                json!({ "input": { "name": "Billing's product", "code": "billing-product",
                    "kind": "SERVICE" } }),
            )
            .await,
    );
});
