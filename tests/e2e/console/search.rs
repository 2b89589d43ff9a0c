//! `searchCustomers`: staff find a customer by a piece of its name, company, external
//! reference or e-mail in any case, by a contact's e-mail, or by a telephone number however it
//! is written; customers are refused; a query too long is refused on `query`. And the external
//! reference `createCustomer` takes: bounded, and unique.

use serde_json::{Value, json};
use tests::{Role, Session, assert_bad_input, assert_code, e2e_test};

use crate::numbers::{add_number, telecom};

const SEARCH: &str = "query S($query: String!, $first: Int, $after: String) {
    searchCustomers(query: $query, first: $first, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { name } } }";

/// The names `query` finds, as `session`.
async fn names(session: &Session<'_>, query: &str) -> Vec<String> {
    let data: Value = session
        .data(query, SEARCH, json!({ "query": query, "first": 50 }))
        .await;
    data["searchCustomers"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{query}: {data}"))
        .iter()
        .map(|n| n["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

e2e_test!(
    staff_find_a_customer_by_name_email_contact_or_number,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let fx = telecom(&app, &acme, 1).await;
        add_number(&staff, &fx, "+33142685300").await;
        let acme_only = vec!["Acme Telecom".to_owned()];
        for query in [
            "acme",
            "ACME TEL",
            "  Acme Telecom ",
            // A contact's e-mail (the demo's accounting contact).
            "claire.dubois@acme",
            // The number, however it is written.
            "+33142685300",
            "+33 1 42 68 53 00",
            "01 42 68 53 00",
            "42 68 53",
        ] {
            assert_eq!(names(&staff, query).await, acme_only, "{query:?}");
        }
        // Every customer for an empty query; nothing for a miss; wildcards are literal.
        let every = names(&staff, "").await;
        assert!(every.len() >= 2, "{every:?}");
        assert!(names(&staff, "no such customer").await.is_empty());
        assert!(names(&staff, "%").await.is_empty());
        assert!(names(&staff, "_").await.is_empty());
        // Three digits are not a number: they would match almost every one.
        assert!(names(&staff, "426").await.is_empty());

        // Support reads too; a page at a time.
        let support = app.as_support().await;
        assert_eq!(names(&support, "acme").await, acme_only);
        let first: Value = staff
            .data("page", SEARCH, json!({ "query": "", "first": 1 }))
            .await;
        assert_eq!(first["searchCustomers"]["pageInfo"]["hasNextPage"], true);
        let after = first["searchCustomers"]["pageInfo"]["endCursor"].clone();
        let second: Value = staff
            .data(
                "page 2",
                SEARCH,
                json!({ "query": "", "first": 1, "after": after }),
            )
            .await;
        assert_ne!(
            first["searchCustomers"]["nodes"][0],
            second["searchCustomers"]["nodes"][0]
        );

        // At the limit and one past it.
        assert_eq!(
            staff
                .graphql(SEARCH, json!({ "query": "a".repeat(200) }))
                .await["errors"],
            Value::Null
        );
        assert_bad_input(
            &staff
                .graphql(SEARCH, json!({ "query": "a".repeat(201) }))
                .await,
            "query",
        );
        assert_bad_input(
            &staff
                .graphql(SEARCH, json!({ "query": "", "first": 101 }))
                .await,
            "first",
        );

        // Customers are refused, whatever their role, even for their own name.
        for role in [Role::Owner, Role::BillingAdmin, Role::Viewer] {
            let customer = app.as_role("Acme Telecom", role).await;
            assert_code(
                &customer.graphql(SEARCH, json!({ "query": "acme" })).await,
                "FORBIDDEN",
            );
        }
    }
);

const CREATE: &str = "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id externalReference } } }";

/// `createCustomer`'s input for a customer named `name` with `reference`.
fn customer(name: &str, reference: &str) -> Value {
    json!({ "input": { "name": name, "email": "ap@initech.example", "currency": "EUR",
        "timeZone": "Europe/Berlin", "externalReference": reference } })
}

e2e_test!(
    a_customer_is_found_by_its_external_reference_which_is_unique,
    |app| {
        let staff = app.as_staff().await;
        let created = staff
            .graphql(CREATE, customer("Initech", "  TEL-000123 "))
            .await;
        assert_eq!(
            created["data"]["createCustomer"]["customer"]["externalReference"], "TEL-000123",
            "{created}"
        );
        assert_eq!(
            names(&staff, "tel-000123").await,
            vec!["Initech".to_owned()]
        );
        // Another customer with the same reference: refused on the field, nothing created.
        assert_bad_input(
            &staff
                .graphql(CREATE, customer("Initrode", "TEL-000123"))
                .await,
            "input.externalReference",
        );
        assert!(names(&staff, "Initrode").await.is_empty());
        // At the limit and one past it.
        let longest = "R".repeat(100);
        assert_eq!(
            staff.graphql(CREATE, customer("Longest", &longest)).await["errors"],
            Value::Null
        );
        assert_bad_input(
            &staff
                .graphql(CREATE, customer("Too long", &"R".repeat(101)))
                .await,
            "input.externalReference",
        );
        // Without one, as before; several customers may have none.
        for name in ["Plain one", "Plain two"] {
            let body = staff
                .graphql(
                    CREATE,
                    json!({ "input": { "name": name, "email": "a@b.example", "currency": "EUR",
                    "timeZone": "Europe/Paris" } }),
                )
                .await;
            assert_eq!(
                body["data"]["createCustomer"]["customer"]["externalReference"],
                Value::Null,
                "{body}"
            );
        }
    }
);
