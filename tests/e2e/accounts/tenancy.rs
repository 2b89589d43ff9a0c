//! A customer user never sees another tenant's data: every id the API accepts, tried from the
//! other tenant, answers `NOT_FOUND`, exactly like an id that does not exist.

use ids::CustomerId;
use serde_json::{Value, json};
use tests::{Role, Session, assert_bad_input, assert_code, e2e_test};

const CUSTOMER: &str = "query C($id: ID!) { customer(id: $id) { id name teams { nodes { name } } members { nodes { name team { name } } } } }";

/// `customer(id)` as `session`; the raw body.
async fn customer(session: &Session<'_>, id: &str) -> Value {
    session.graphql(CUSTOMER, json!({ "id": id })).await
}

e2e_test!(a_customer_user_reads_its_own_organisation, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    for role in [Role::Owner, Role::BillingAdmin, Role::Viewer] {
        let session = app.as_role("Acme Telecom", role).await;
        let body = customer(&session, &acme).await;
        assert_eq!(
            body["data"]["customer"]["name"], "Acme Telecom",
            "{role:?}: {body}"
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
    let acme_billing = app.as_billing_admin("Acme Telecom").await;
    let globex_viewer = app.as_viewer("Globex").await;

    let foreign = customer(&acme_billing, &globex).await;
    let missing = customer(&acme_billing, &CustomerId::new().to_string()).await;
    assert_code(&foreign, "NOT_FOUND");
    assert_eq!(
        foreign["errors"], missing["errors"],
        "foreign and missing ids must look alike"
    );
    assert!(foreign["data"].is_null(), "no data leaks: {foreign}");

    let foreign = customer(&globex_viewer, &acme).await;
    assert_code(&foreign, "NOT_FOUND");
});

e2e_test!(customer_users_list_only_their_own_organisation, |app| {
    let owner = app.as_owner("Globex").await;
    let body = owner
        .graphql(
            "{ customers { nodes { name } pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["customers"]["nodes"],
        json!([{ "name": "Globex" }]),
        "{body}"
    );
});

e2e_test!(staff_see_every_organisation, |app| {
    let staff = app.as_staff().await;
    let globex = staff.customer_id("Globex").await;
    let body = customer(&staff, &globex).await;
    assert_eq!(body["data"]["customer"]["name"], "Globex", "{body}");
    let body = staff
        .graphql("{ customers { nodes { name } } }", json!({}))
        .await;
    assert_eq!(
        body["data"]["customers"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
});

e2e_test!(a_malformed_id_is_a_bad_input_on_id, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    for id in [
        "",
        "cus_123",
        "usr_0190f0e0a0b0c0d0e0f0a0b0c0d0e0f0",
        "CUS_0190F0E0A0B0C0D0E0F0A0B0C0D0E0F0",
    ] {
        assert_bad_input(&customer(&billing, id).await, "id");
    }
});

e2e_test!(anonymous_callers_see_no_customer, |app| {
    let acme = app.customer_id("Acme Telecom").await;
    let (_, body) = app.graphql(CUSTOMER, json!({ "id": acme }), None).await;
    assert_code(&body, "UNAUTHENTICATED");
    let (_, body) = app
        .graphql("{ customers { nodes { name } } }", json!({}), None)
        .await;
    assert_code(&body, "UNAUTHENTICATED");
});

e2e_test!(pages_are_bounded_and_cursors_continue, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let page = "query P($id: ID!, $after: String) { customer(id: $id) { members(first: 4, after: $after) { nodes { name } pageInfo { hasPreviousPage hasNextPage endCursor } } } }";
    let first = staff.graphql(page, json!({ "id": acme })).await;
    let members = &first["data"]["customer"]["members"];
    assert_eq!(
        members["nodes"].as_array().map(Vec::len),
        Some(4),
        "{first}"
    );
    assert_eq!(members["pageInfo"]["hasNextPage"], true);
    assert_eq!(members["pageInfo"]["hasPreviousPage"], false);
    let cursor = members["pageInfo"]["endCursor"].clone();
    let second = staff
        .graphql(page, json!({ "id": acme, "after": cursor }))
        .await;
    let members = &second["data"]["customer"]["members"];
    assert_eq!(
        members["nodes"].as_array().map(Vec::len),
        Some(3),
        "{second}"
    );
    assert_eq!(members["pageInfo"]["hasNextPage"], false);
    assert_eq!(members["pageInfo"]["hasPreviousPage"], true);

    let too_many = staff
        .graphql("{ customers(first: 101) { nodes { id } } }", json!({}))
        .await;
    assert_bad_input(&too_many, "first");
});
