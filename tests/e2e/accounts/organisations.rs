//! Operator staff create organisations, teams and members; customers cannot.

use api::seed::DEMO_ADMIN_EMAIL;
use serde_json::{Value, json};
use tests::{TestApp, e2e_test, error_code};

const CREATE_CUSTOMER: &str = "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id name currency timeZone } } }";
const CREATE_TEAM: &str =
    "mutation T($input: CreateTeamInput!) { createTeam(input: $input) { team { id name } } }";
const CREATE_MEMBER: &str = "mutation M($input: CreateMemberInput!) { createMember(input: $input) { member { id name team { name } } } }";

async fn run(app: &TestApp, token: &str, query: &str, input: Value) -> Value {
    app.graphql(query, json!({ "input": input }), Some(token))
        .await
        .1
}

e2e_test!(staff_create_an_organisation_with_teams_and_members, |app| {
    let admin = app.login(DEMO_ADMIN_EMAIL).await;
    let body = run(
        &app,
        &admin,
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
        &app,
        &admin,
        CREATE_TEAM,
        json!({ "customerId": id, "name": "Support" }),
    )
    .await;
    let team = body["data"]["createTeam"]["team"]["id"].clone();
    let body = run(
        &app,
        &admin,
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
        &app,
        &admin,
        CREATE_TEAM,
        json!({ "customerId": id, "name": "Support" }),
    )
    .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.name");
    let acme = app.customer_id("Acme Telecom").await;
    let body = run(
        &app,
        &admin,
        CREATE_MEMBER,
        json!({ "customerId": acme, "name": "Spy", "teamId": team }),
    )
    .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
});

e2e_test!(bad_organisation_input_names_the_field, |app| {
    let admin = app.login(DEMO_ADMIN_EMAIL).await;
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
        let body = run(&app, &admin, CREATE_CUSTOMER, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{field}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"],
            format!("input.{field}"),
            "{body}"
        );
    }
    let (_, body) = app
        .graphql(
            "{ customers(first: 100) { nodes { id } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        body["data"]["customers"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "nothing written"
    );
});

e2e_test!(
    customers_cannot_create_organisations_teams_or_members,
    |app| {
        let owner = app.login("owner@acme.example").await;
        let acme = app.customer_id("Acme Telecom").await;
        let body = run(&app, &owner, CREATE_CUSTOMER, json!({ "name": "X", "email": "a@b.co", "currency": "EUR", "timeZone": "Europe/Paris" })).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
        let body = run(
            &app,
            &owner,
            CREATE_TEAM,
            json!({ "customerId": acme, "name": "Shadow" }),
        )
        .await;
        assert_eq!(error_code(&body), "FORBIDDEN");
        let body = run(
            &app,
            &owner,
            CREATE_MEMBER,
            json!({ "customerId": acme, "name": "Ghost" }),
        )
        .await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
);

const CREATE_USER: &str =
    "mutation U($input: CreateUserInput!) { createUser(input: $input) { user { id email role } } }";

e2e_test!(staff_create_portal_logins_that_can_sign_in, |app| {
    let admin = app.login(DEMO_ADMIN_EMAIL).await;
    let acme = app.customer_id("Acme Telecom").await;
    let input = json!({ "customerId": acme, "email": "New.Admin@Acme.Example", "name": "New Admin", "role": "BILLING_ADMIN", "password": "correct horse battery" });
    let body = run(&app, &admin, CREATE_USER, input.clone()).await;
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
        let body = run(&app, &admin, CREATE_USER, attempt).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{field}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"],
            format!("input.{field}"),
            "{body}"
        );
    }

    // The organisation's users are visible to its own users, not to another tenant's.
    let viewer = app.login("viewer@acme.example").await;
    let query = "query C($id: ID!) { customer(id: $id) { users { nodes { email } } } }";
    let (_, body) = app
        .graphql(query, json!({ "id": acme }), Some(&viewer))
        .await;
    assert_eq!(
        body["data"]["customer"]["users"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(4),
        "{body}"
    );
    let globex = app.login("owner@globex.example").await;
    let (_, body) = app
        .graphql(query, json!({ "id": acme }), Some(&globex))
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let owner = app.login("owner@acme.example").await;
    let body = run(&app, &owner, CREATE_USER, json!({ "customerId": acme, "email": "x@acme.example", "name": "X", "role": "VIEWER", "password": "correct horse battery" })).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
});

e2e_test!(concurrent_duplicates_are_bad_input_not_internal, |app| {
    let admin = app.login(DEMO_ADMIN_EMAIL).await;
    let acme = app.customer_id("Acme Telecom").await;
    let user = json!({ "customerId": acme, "email": "twin@acme.example", "name": "Twin", "role": "VIEWER", "password": "correct horse battery" });
    let team = json!({ "customerId": acme, "name": "Twins" });
    let (a, b, c, d) = tokio::join!(
        run(&app, &admin, CREATE_USER, user.clone()),
        run(&app, &admin, CREATE_USER, user.clone()),
        run(&app, &admin, CREATE_TEAM, team.clone()),
        run(&app, &admin, CREATE_TEAM, team.clone()),
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
        assert_eq!(error_code(loser), "BAD_USER_INPUT", "{loser}");
        assert_eq!(loser["errors"][0]["extensions"]["field"], field);
    }
});
