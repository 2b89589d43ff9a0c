//! A customer created with everything the telecom platform's "Add New Customer" asks for: its
//! billing cycle, payment terms, tags and first billing address, written at once or not at
//! all; tags found by the search, changed by staff and never shown to the customer; the cycle
//! changed with the billing settings.

use serde_json::{Value, json};
use tests::{Session, assert_bad_input, assert_code, e2e_test};

const CREATE: &str = "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id country paymentTermsDays tags billingCycle { interval intervalCount } billingAddresses { line1 postalCode country isDefault } } } }";
const SET_TAGS: &str = "mutation T($input: SetCustomerTagsInput!) { setCustomerTags(input: $input) { customer { tags } } }";
const SEARCH: &str =
    "query S($q: String!) { searchCustomers(query: $q, first: 10) { nodes { name } } }";

/// A valid input for a customer called `name`.
fn initech(name: &str) -> Value {
    json!({
        "name": name, "email": "billing@initech.example", "currency": "EUR",
        "timeZone": "Europe/Paris", "paymentTermsDays": 30,
        "billingCycle": { "interval": "QUARTER", "intervalCount": 1 },
        "tags": [" vip ", "Wholesale", "VIP", ""],
        "billingAddress": { "line1": "12 rue de la Paix", "city": "Paris",
            "postalCode": "75002", "country": "FR" }
    })
}

/// How many customers staff see.
async fn customer_count(staff: &Session<'_>) -> usize {
    let body = staff
        .graphql("{ customers(first: 100) { nodes { id } } }", json!({}))
        .await;
    body["data"]["customers"]["nodes"]
        .as_array()
        .map_or(0, Vec::len)
}

/// The names `query` finds.
async fn found(staff: &Session<'_>, query: &str) -> Vec<String> {
    let body = staff.graphql(SEARCH, json!({ "q": query })).await;
    body["data"]["searchCustomers"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

e2e_test!(
    a_customer_is_created_with_its_cycle_terms_tags_and_address,
    |app| {
        let staff = app.as_staff().await;
        let body = staff
            .graphql(CREATE, json!({ "input": initech("Initech") }))
            .await;
        let customer = &body["data"]["createCustomer"]["customer"];
        assert_eq!(customer["paymentTermsDays"], 30, "{body}");
        assert_eq!(
            customer["billingCycle"],
            json!({ "interval": "QUARTER", "intervalCount": 1 })
        );
        assert_eq!(
            customer["tags"],
            json!(["vip", "Wholesale"]),
            "trimmed, once"
        );
        assert_eq!(
            customer["billingAddresses"],
            json!([{ "line1": "12 rue de la Paix", "postalCode": "75002", "country": "FR",
                 "isDefault": true }])
        );
        assert_eq!(
            customer["country"], "FR",
            "the address's country picks the tax rate"
        );
        let id = customer["id"].clone();

        // A piece of a tag finds it, in any case; a tag nobody has finds nobody.
        assert_eq!(found(&staff, "WHOLESALE").await, ["Initech"]);
        assert_eq!(found(&staff, "reseller").await, Vec::<String>::new());

        // Left out, the cycle is monthly and the terms due on receipt.
        let body = staff
            .graphql(
                CREATE,
                json!({ "input": { "name": "Plain", "email": "p@plain.example", "currency": "EUR",
                "timeZone": "Europe/Paris" } }),
            )
            .await;
        let plain = &body["data"]["createCustomer"]["customer"];
        assert_eq!(
            plain["billingCycle"],
            json!({ "interval": "MONTH", "intervalCount": 1 }),
            "{body}"
        );
        assert_eq!(plain["paymentTermsDays"], 0);
        assert_eq!(plain["tags"], json!([]));
        assert_eq!(plain["billingAddresses"], json!([]));
        assert_eq!(plain["country"], Value::Null);

        // Staff replace the tags; support may not; the search follows.
        let body = staff
            .graphql(
                SET_TAGS,
                json!({ "input": { "customerId": id, "tags": ["reseller"] } }),
            )
            .await;
        assert_eq!(
            body["data"]["setCustomerTags"]["customer"]["tags"],
            json!(["reseller"]),
            "{body}"
        );
        assert_eq!(found(&staff, "reseller").await, ["Initech"]);
        assert_eq!(found(&staff, "wholesale").await, Vec::<String>::new());
        let support = app.as_support().await;
        let body = support
            .graphql(
                SET_TAGS,
                json!({ "input": { "customerId": id, "tags": [] } }),
            )
            .await;
        assert_code(&body, "FORBIDDEN");
        let body = staff
            .graphql(
                SET_TAGS,
                json!({ "input": { "customerId": id, "tags": ["a,b"] } }),
            )
            .await;
        assert_bad_input(&body, "input.tags");
        assert_eq!(found(&staff, "reseller").await, ["Initech"], "kept");

        // The billing settings change the cycle.
        let body = staff
        .graphql(
            "mutation U($input: UpdateCustomerBillingSettingsInput!) { updateCustomerBillingSettings(input: $input) { customer { billingCycle { interval intervalCount } } } }",
            json!({ "input": { "customerId": id,
                "billingCycle": { "interval": "MONTH", "intervalCount": 2 } } }),
        )
        .await;
        assert_eq!(
            body["data"]["updateCustomerBillingSettings"]["customer"]["billingCycle"],
            json!({ "interval": "MONTH", "intervalCount": 2 }),
            "{body}"
        );
    }
);

e2e_test!(a_refused_part_writes_no_customer_at_all, |app| {
    let staff = app.as_staff().await;
    let before = customer_count(&staff).await;
    for (field, path, value) in [
        (
            "input.billingAddress.postalCode",
            "/billingAddress/postalCode",
            json!("7500"),
        ),
        (
            "input.billingAddress.country",
            "/billingAddress/country",
            json!("XX"),
        ),
        ("input.tags", "/tags", json!(["say \"hi\""])),
        ("input.paymentTermsDays", "/paymentTermsDays", json!(400)),
        (
            "input.billingCycle.intervalCount",
            "/billingCycle/intervalCount",
            json!(0),
        ),
    ] {
        let mut input = initech("Initech");
        *input.pointer_mut(path).expect(path) = value;
        let body = staff.graphql(CREATE, json!({ "input": input })).await;
        assert_bad_input(&body, field);
    }
    assert_eq!(customer_count(&staff).await, before, "nothing written");
    assert_eq!(found(&staff, "Initech").await, Vec::<String>::new());
});

e2e_test!(customers_never_see_their_tags, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let acme = owner.organisation_id();
    let body = owner
        .graphql(
            "query C($id: ID!) { customer(id: $id) { billingCycle { interval } } }",
            json!({ "id": acme }),
        )
        .await;
    assert_eq!(
        body["data"]["customer"]["billingCycle"]["interval"], "MONTH",
        "{body}"
    );
    let body = owner
        .graphql(
            "query C($id: ID!) { customer(id: $id) { tags } }",
            json!({ "id": acme }),
        )
        .await;
    assert_code(&body, "FORBIDDEN");
});
