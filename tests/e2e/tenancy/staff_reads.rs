//! The reads the sweep cannot reach: root queries that take no id (lists, searches). Each is
//! found in the schema and must be listed here, either as one every user may call (its answer
//! is scoped to the caller) or as staff-only, which every customer role is then refused
//! (`FORBIDDEN`). A new id-less query without a line here fails by name, so a staff-only list
//! (the console's search among them) cannot be left open to customers.

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use serde_json::json;
use tests::{Role, e2e_test, error_code};

use super::sweep::id_places;

/// Id-less root queries every user may call: their answers are the caller's own (`viewer`,
/// `customers`), public (`countries`), or behind a token of their own (`invitation`).
const ANYONE: [&str; 4] = ["viewer", "countries", "customers", "invitation"];

/// Id-less root queries for operator staff only, each with a call of it.
const STAFF_ONLY: [(&str, &str); 11] = [
    (
        "searchCustomers",
        "{ searchCustomers(query: \"acme\") { nodes { id } } }",
    ),
    ("products", "{ products { nodes { id } } }"),
    ("coupons", "{ coupons { nodes { id } } }"),
    ("taxRates", "{ taxRates { nodes { id } } }"),
    ("billingRuns", "{ billingRuns { nodes { id } } }"),
    ("emails", "{ emails { nodes { id } } }"),
    (
        "dunningQueue",
        "{ dunningQueue { pageInfo { hasNextPage } } }",
    ),
    ("apiKeys", "{ apiKeys { nodes { id } } }"),
    ("tariffs", "{ tariffs { nodes { id } } }"),
    ("staffUsers", "{ staffUsers { nodes { id } } }"),
    ("auditLog", "{ auditLog { nodes { id } } }"),
];

/// The root queries of `sdl` that take no id (the sweep covers the others).
fn id_less_queries(sdl: &str) -> Vec<String> {
    let document = parse_schema(sdl).expect("the schema parses");
    let with_ids: Vec<String> = id_places(sdl)
        .into_iter()
        .filter_map(|place| {
            place
                .strip_prefix("Query.")
                .and_then(|rest| rest.split('(').next())
                .map(str::to_owned)
        })
        .collect();
    let mut found = Vec::new();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let TypeKind::Object(object) = &ty.node.kind else {
            continue;
        };
        if ty.node.name.node != "Query" {
            continue;
        }
        for field in &object.fields {
            let name = field.node.name.node.to_string();
            if !with_ids.contains(&name) {
                found.push(name);
            }
        }
    }
    found
}

/// The id-less queries listed neither as open nor as staff-only.
fn unlisted(sdl: &str) -> Vec<String> {
    id_less_queries(sdl)
        .into_iter()
        .filter(|name| {
            !ANYONE.contains(&name.as_str()) && !STAFF_ONLY.iter().any(|(n, _)| n == name)
        })
        .collect()
}

#[test]
fn every_id_less_query_is_listed_as_open_or_staff_only() {
    assert_eq!(unlisted(&api::graphql::sdl()), Vec::<String>::new());
    let extended = format!(
        "{}\nextend type Query {{ everyInvoice(first: Int): Boolean! }}\n",
        api::graphql::sdl()
    );
    assert_eq!(unlisted(&extended), vec!["everyInvoice".to_owned()]);
    // And every listed one exists.
    let queries = id_less_queries(&api::graphql::sdl());
    for name in ANYONE.iter().chain(STAFF_ONLY.iter().map(|(n, _)| n)) {
        assert!(
            queries.iter().any(|q| q == name),
            "{name} is no id-less query"
        );
    }
}

e2e_test!(customers_are_refused_every_staff_only_list, |app| {
    for role in [Role::Owner, Role::BillingAdmin, Role::Viewer] {
        let customer = app.as_role("Globex", role).await;
        for (name, query) in STAFF_ONLY {
            let body = customer.graphql(query, json!({})).await;
            assert_eq!(
                error_code(&body),
                Some("FORBIDDEN"),
                "{name} as {role:?}: {body}"
            );
        }
    }
    // Staff read them all (the calls are well formed); the administrator's own lists are
    // the administrator's only.
    let admin_only = ["apiKeys", "staffUsers"];
    let support = app.as_support().await;
    let admin = app.as_staff().await;
    for (name, query) in STAFF_ONLY {
        let reader = if admin_only.contains(&name) {
            &admin
        } else {
            &support
        };
        let body = reader.graphql(query, json!({})).await;
        assert_eq!(error_code(&body), None, "{name} as staff: {body}");
    }
});
