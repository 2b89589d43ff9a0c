//! Operator staff create organisations, teams and members; customers cannot create
//! organisations, and their viewers no teams or members.

use serde_json::{Value, json};
use tests::{Session, assert_bad_input, assert_code, e2e_test};

const CREATE_CUSTOMER: &str = "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id name currency timeZone } } }";
const CREATE_TEAM: &str =
    "mutation T($input: CreateTeamInput!) { createTeam(input: $input) { team { id name } } }";
const CREATE_MEMBER: &str = "mutation M($input: CreateMemberInput!) { createMember(input: $input) { member { id name team { name } } } }";
const CREATE_USER: &str =
    "mutation U($input: CreateUserInput!) { createUser(input: $input) { user { id email role } } }";

/// Sends a mutation whose only variable is `input`; returns the raw body.
async fn run(session: &Session<'_>, mutation: &str, input: Value) -> Value {
    session.graphql(mutation, json!({ "input": input })).await
}

e2e_test!(staff_create_an_organisation_with_teams_and_members, |app| {
    let staff = app.as_staff().await;
    let body = run(
        &staff,
        CREATE_CUSTOMER,
        json!({
            "name": "Initech", "email": "Billing@Initech.Example", "currency": "USD",
            "timeZone": "America/New_York", "taxRate": "8.875"
        }),
    )
    .await;
    let customer = &body["data"]["createCustomer"]["customer"];
    assert_eq!(customer["timeZone"], "America/New_York", "{body}");
    let id = customer["id"].clone();
    let body = run(
        &staff,
        CREATE_TEAM,
        json!({ "customerId": id, "name": "Support" }),
    )
    .await;
    let team = body["data"]["createTeam"]["team"]["id"].clone();
    let body = run(
        &staff,
        CREATE_MEMBER,
        json!({ "customerId": id, "name": "Peter Gibbons", "teamId": team }),
    )
    .await;
    assert_eq!(
        body["data"]["createMember"]["member"]["team"]["name"], "Support",
        "{body}"
    );

    // Same team name twice, and a team of another organisation, are refused.
    let body = run(
        &staff,
        CREATE_TEAM,
        json!({ "customerId": id, "name": "Support" }),
    )
    .await;
    assert_bad_input(&body, "input.name");
    let acme = staff.customer_id("Acme Telecom").await;
    let body = run(
        &staff,
        CREATE_MEMBER,
        json!({ "customerId": acme, "name": "Spy", "teamId": team }),
    )
    .await;
    assert_code(&body, "NOT_FOUND");
});

e2e_test!(bad_organisation_input_names_the_field, |app| {
    let staff = app.as_staff().await;
    let valid =
        json!({ "name": "X", "email": "a@b.co", "currency": "EUR", "timeZone": "Europe/Paris" });
    for (field, value) in [
        ("currency", json!("EURO")),
        ("timeZone", json!("Mars/Olympus")),
        ("taxRate", json!("120")),
        ("email", json!("nope")),
        ("name", json!("  ")),
    ] {
        let mut input = valid.clone();
        input[field] = value;
        let body = run(&staff, CREATE_CUSTOMER, input).await;
        assert_bad_input(&body, &format!("input.{field}"));
    }
    let body = staff
        .graphql("{ customers(first: 100) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(
        body["data"]["customers"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "nothing written"
    );
});

e2e_test!(
    customers_cannot_create_organisations_and_viewers_no_teams_or_members,
    |app| {
        let owner = app.as_owner("Acme Telecom").await;
        let body = run(&owner, CREATE_CUSTOMER, json!({ "name": "X", "email": "a@b.co", "currency": "EUR", "timeZone": "Europe/Paris" })).await;
        assert_code(&body, "FORBIDDEN");
        // Teams and members are the organisation's owners' and billing admins' to change too
        // (`people.rs`), not its viewers'.
        let viewer = app.as_viewer("Acme Telecom").await;
        let acme = viewer.organisation_id();
        let body = run(
            &viewer,
            CREATE_TEAM,
            json!({ "customerId": acme, "name": "Shadow" }),
        )
        .await;
        assert_code(&body, "FORBIDDEN");
        let body = run(
            &viewer,
            CREATE_MEMBER,
            json!({ "customerId": acme, "name": "Ghost" }),
        )
        .await;
        assert_code(&body, "FORBIDDEN");
    }
);

e2e_test!(staff_create_portal_logins_that_can_sign_in, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let input = json!({ "customerId": acme, "email": "New.Admin@Acme.Example", "name": "New Admin", "role": "BILLING_ADMIN", "password": "correct horse battery" });
    let body = run(&staff, CREATE_USER, input.clone()).await;
    assert_eq!(
        body["data"]["createUser"]["user"]["email"], "new.admin@acme.example",
        "{body}"
    );

    let (_, body) = app
        .graphql(
            "mutation L($input: LoginInput!) { login(input: $input) { user { role } } }",
            json!({ "input": { "email": "new.admin@acme.example", "password": "correct horse battery" } }),
            None,
        )
        .await;
    assert_eq!(
        body["data"]["login"]["user"]["role"], "BILLING_ADMIN",
        "{body}"
    );

    // The same e-mail twice, a staff role, a short password: refused on their field.
    for (field, change) in [
        ("email", json!({})),
        (
            "role",
            json!({ "email": "other@acme.example", "role": "ADMIN" }),
        ),
        (
            "password",
            json!({ "email": "other@acme.example", "password": "short" }),
        ),
    ] {
        let mut attempt = input.clone();
        for (k, v) in change.as_object().expect("object") {
            attempt[k] = v.clone();
        }
        let body = run(&staff, CREATE_USER, attempt).await;
        assert_bad_input(&body, &format!("input.{field}"));
    }

    // The organisation's users are visible to its own users, not to another tenant's.
    let viewer = app.as_viewer("Acme Telecom").await;
    let query = "query C($id: ID!) { customer(id: $id) { users { nodes { email } } } }";
    let body = viewer.graphql(query, json!({ "id": acme })).await;
    assert_eq!(
        body["data"]["customer"]["users"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(4),
        "{body}"
    );
    let globex = app.as_owner("Globex").await;
    let body = globex.graphql(query, json!({ "id": acme })).await;
    assert_code(&body, "NOT_FOUND");
    let owner = app.as_owner("Acme Telecom").await;
    let body = run(&owner, CREATE_USER, json!({ "customerId": acme, "email": "x@acme.example", "name": "X", "role": "VIEWER", "password": "correct horse battery" })).await;
    assert_code(&body, "FORBIDDEN");
});

e2e_test!(concurrent_duplicates_are_bad_input_not_internal, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let user = json!({ "customerId": acme, "email": "twin@acme.example", "name": "Twin", "role": "VIEWER", "password": "correct horse battery" });
    let team = json!({ "customerId": acme, "name": "Twins" });
    let (a, b, c, d) = tokio::join!(
        run(&staff, CREATE_USER, user.clone()),
        run(&staff, CREATE_USER, user.clone()),
        run(&staff, CREATE_TEAM, team.clone()),
        run(&staff, CREATE_TEAM, team.clone()),
    );
    for (first, second, field) in [(&a, &b, "input.email"), (&c, &d, "input.name")] {
        let ok = [first, second]
            .iter()
            .filter(|body| body["errors"].is_null())
            .count();
        assert_eq!(ok, 1, "{first} {second}");
        let loser = if first["errors"].is_null() {
            second
        } else {
            first
        };
        assert_bad_input(loser, field);
    }
});
