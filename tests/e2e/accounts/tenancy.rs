//! A customer user never sees another tenant's data: every id the API accepts, tried from the
//! other tenant, answers `NOT_FOUND`, exactly like an id that does not exist.

use api::seed::DEMO_ADMIN_EMAIL;
use ids::CustomerId;
use serde_json::{Value, json};
use tests::{TestApp, e2e_test, error_code};

const CUSTOMER: &str = "query C($id: ID!) { customer(id: $id) { id name teams { nodes { name } } members { nodes { name team { name } } } } }";

async fn customer(app: &TestApp, token: &str, id: &str) -> Value {
    app.graphql(CUSTOMER, json!({ "id": id }), Some(token))
        .await
        .1
}

e2e_test!(a_customer_user_reads_its_own_organisation, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    for email in [
        "owner@acme.example",
        "billing@acme.example",
        "viewer@acme.example",
    ] {
        let token = app.login(email).await;
        let body = customer(&app, &token, &acme).await;
        assert_eq!(
            body["data"]["customer"]["name"], "Acme Telecom",
            "{email}: {body}"
        );
        let members = body["data"]["customer"]["members"]["nodes"]
            .as_array()
            .expect("members");
        assert_eq!(members.len(), 7, "{body}");
    }
});

e2e_test!(another_tenants_customer_id_is_not_found, |app| {
    let globex = app.customer_id("Globex").await;
    let acme = app.customer_id("Acme Telecom").await;
    let acme_token = app.login("billing@acme.example").await;
    let globex_token = app.login("viewer@globex.example").await;

    let foreign = customer(&app, &acme_token, &globex).await;
    let missing = customer(&app, &acme_token, &CustomerId::new().to_string()).await;
    assert_eq!(error_code(&foreign), "NOT_FOUND", "{foreign}");
    assert_eq!(
        foreign["errors"], missing["errors"],
        "foreign and missing ids must look alike"
    );
    assert!(foreign["data"].is_null(), "no data leaks: {foreign}");

    let foreign = customer(&app, &globex_token, &acme).await;
    assert_eq!(error_code(&foreign), "NOT_FOUND", "{foreign}");
});

e2e_test!(customer_users_list_only_their_own_organisation, |app| {
    let token = app.login("owner@globex.example").await;
    let (_, body) = app
        .graphql(
            "{ customers { nodes { name } pageInfo { hasNextPage } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(
        body["data"]["customers"]["nodes"],
        json!([{ "name": "Globex" }]),
        "{body}"
    );
});

e2e_test!(staff_see_every_organisation, |app| {
    let token = app.login(DEMO_ADMIN_EMAIL).await;
    let globex = app.customer_id("Globex").await;
    let body = customer(&app, &token, &globex).await;
    assert_eq!(body["data"]["customer"]["name"], "Globex", "{body}");
    let (_, body) = app
        .graphql("{ customers { nodes { name } } }", json!({}), Some(&token))
        .await;
    assert_eq!(
        body["data"]["customers"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
});

e2e_test!(a_malformed_id_is_a_bad_input_on_id, |app| {
    let token = app.login("billing@acme.example").await;
    for id in [
        "",
        "cus_123",
        "usr_0190f0e0a0b0c0d0e0f0a0b0c0d0e0f0",
        "CUS_0190F0E0A0B0C0D0E0F0A0B0C0D0E0F0",
    ] {
        let body = customer(&app, &token, id).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{id}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "id", "{body}");
    }
});

e2e_test!(anonymous_callers_see_no_customer, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    let (_, body) = app.graphql(CUSTOMER, json!({ "id": acme }), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let (_, body) = app
        .graphql("{ customers { nodes { name } } }", json!({}), None)
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
});

e2e_test!(pages_are_bounded_and_cursors_continue, |app| {
    let token = app.login(DEMO_ADMIN_EMAIL).await;
    let acme = app.customer_id("Acme Telecom").await;
    let page = "query P($id: ID!, $after: String) { customer(id: $id) { members(first: 4, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } } }";
    let (_, first) = app.graphql(page, json!({ "id": acme }), Some(&token)).await;
    let members = &first["data"]["customer"]["members"];
    assert_eq!(
        members["nodes"].as_array().map(Vec::len),
        Some(4),
        "{first}"
    );
    assert_eq!(members["pageInfo"]["hasNextPage"], true);
    let cursor = members["pageInfo"]["endCursor"].clone();
    let (_, second) = app
        .graphql(page, json!({ "id": acme, "after": cursor }), Some(&token))
        .await;
    let members = &second["data"]["customer"]["members"];
    assert_eq!(
        members["nodes"].as_array().map(Vec::len),
        Some(3),
        "{second}"
    );
    assert_eq!(members["pageInfo"]["hasNextPage"], false);

    let (_, too_many) = app
        .graphql(
            "{ customers(first: 101) { nodes { id } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(error_code(&too_many), "BAD_USER_INPUT");
    assert_eq!(too_many["errors"][0]["extensions"]["field"], "first");
});
