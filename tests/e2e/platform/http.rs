//! The GraphQL-over-HTTP rules of our handler, and the operations endpoints.

use api::config::{Mode, Secret};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TestApp, assert_code, e2e_test};

async fn post(
    app: &TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, String) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", content_type)
        .header("accept", "application/graphql-response+json")
        .body(body)
        .send()
        .await
        .expect("sent");
    (response.status(), response.text().await.expect("text"))
}

e2e_test!(a_mutation_over_get_is_405, |app| {
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[(
            "query",
            "mutation { login(input: {email: \"a@b.co\", password: \"x\"}) { token } }",
        )])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");

    // A query over GET works.
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ __typename }")])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["data"]["__typename"], "Query");
});

e2e_test!(non_json_content_types_are_415, |app| {
    let query = r#"{"query":"mutation { login(input: {email: \"billing@acme.example\", password: \"billfold-demo\"}) { token } }"}"#;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let (status, body) = post(&app, content_type, query).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}: {body}"
        );
    }
    let (status, _) = post(&app, "application/json; charset=utf-8", query).await;
    assert_eq!(status, StatusCode::OK);
});

/// A POST body of exactly `len` bytes: `{ __typename }` followed by a comment as padding.
fn body_of_length(len: usize) -> String {
    let empty = json!({ "query": "{ __typename } #" }).to_string();
    let body = json!({ "query": format!("{{ __typename }} #{}", "x".repeat(len - empty.len())) })
        .to_string();
    assert_eq!(body.len(), len);
    body
}

e2e_test!(
    a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_413,
    |app| {
        let limit = app.app.config.graphql.max_body_bytes;
        assert_eq!(limit, 4 * 1024 * 1024, "the documented default");
        let (status, body) = post(&app, "application/json", body_of_length(limit)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains(r#""__typename":"Query""#), "{body}");
        let (status, body) = post(&app, "application/json", body_of_length(limit + 1)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    }
);

e2e_test!(batches_are_refused, |app| {
    let (status, body) = post(
        &app,
        "application/json",
        r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
});

/// An ordinary query of exactly `depth` levels: `viewer` keeps it ordinary (it gets the
/// ordinary limits), and `__schema { types { ofType { … name } } }` reaches the depth.
fn query_of_depth(depth: usize) -> String {
    let of_types = depth - 3; // __schema, types, and the innermost name
    format!(
        "{{ viewer {{ user {{ id }} }} __schema {{ types {{ {}name{} }} }} }}",
        "ofType { ".repeat(of_types),
        " }".repeat(of_types)
    )
}

/// Sends `at_limit` as staff and expects data at `present`, then `over` and expects a 400
/// `BAD_USER_INPUT` with `message`: a limit tested at its boundary.
async fn accepted_then_refused(
    app: &TestApp,
    at_limit: &str,
    present: &str,
    over: &str,
    message: &str,
) {
    let token = app.login(api::seed::DEMO_ADMIN_EMAIL).await;
    let (status, body) = app.graphql(at_limit, json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["data"][present].is_object(), "{body}");
    let (status, body) = app.graphql(over, json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_code(&body, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["message"], message, "{body}");
}

e2e_test!(depth_at_the_limit_is_accepted_and_one_more_refused, |app| {
    let max = app.app.config.graphql.max_depth;
    assert_eq!(max, 12, "the documented default");
    let (at, over) = (query_of_depth(max), query_of_depth(max + 1));
    accepted_then_refused(&app, &at, "__schema", &over, "Query is nested too deep.").await;
});

/// Nine connections of 100 rows at 2 each (1 + 100 × 2 = 201 apiece: 1,809) and `viewers`
/// fields of complexity 1: 191 of them make exactly 2,000.
fn query_of_complexity(viewers: usize) -> String {
    let connections: String = (1..=9)
        .map(|i| format!("c{i}: customers(first: 100) {{ nodes {{ id }} }} "))
        .collect();
    let viewers: String = (1..=viewers)
        .map(|i| format!("v{i}: viewer {{ __typename }} "))
        .collect();
    format!("{{ {connections}{viewers}}}")
}

e2e_test!(
    complexity_at_the_limit_is_accepted_and_one_more_refused,
    |app| {
        assert_eq!(
            app.app.config.graphql.max_complexity, 2_000,
            "the documented default"
        );
        let (at, over) = (query_of_complexity(191), query_of_complexity(192));
        accepted_then_refused(&app, &at, "c9", &over, "Query is too complex.").await;
    }
);

/// graphql-js's standard introspection query, as GraphiQL, graphql-codegen, Postman and
/// schemathesis send it (nine nested `ofType` levels, past the ordinary depth limit).
const STANDARD_INTROSPECTION: &str = include_str!("introspection_query.graphql");

e2e_test!(
    the_standard_introspection_query_works_in_development,
    |app| {
        let (status, body) = app.graphql(STANDARD_INTROSPECTION, json!({}), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        let types = body["data"]["__schema"]["types"].as_array().expect("types");
        let customer = types
            .iter()
            .find(|t| t["name"] == "Customer")
            .expect("Customer");
        assert!(customer["fields"].as_array().is_some_and(|f| !f.is_empty()));
        assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");

        // The exemption is for introspection alone: the same depth with an ordinary field is refused.
        let mixed =
            STANDARD_INTROSPECTION.replacen("__schema {", "viewer { __typename } __schema {", 1);
        let (status, body) = app.graphql(&mixed, json!({}), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            body["errors"][0]["message"], "Query is nested too deep.",
            "{body}"
        );
    }
);

e2e_test!(request_errors_carry_no_data_entry, |app| {
    // graphql-http: under application/graphql-response+json a parse or validation failure has
    // no `data` entry at all (not even null).
    for query in ["{ viewer {", "{ nope }"] {
        let (status, body) = post(
            &app,
            "application/json",
            json!({ "query": query }).to_string(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        let body: Value = serde_json::from_str(&body).expect("json");
        assert!(body.get("data").is_none(), "{query}: {body}");
        assert_code(&body, "BAD_USER_INPUT");
    }
    // An error while executing keeps `data` (null where the field failed).
    let (_, body) = app
        .graphql("{ customers { nodes { id } } }", json!({}), None)
        .await;
    assert_code(&body, "UNAUTHENTICATED");
    assert!(body.get("data").is_some(), "{body}");
});

e2e_test!(accept_negotiation_follows_the_spec, |app| {
    let send = |accept: &'static str| {
        app.client
            .post(format!("{}/graphql", app.address))
            .header("accept", accept)
            .json(&json!({ "query": "{ nope }" }))
            .send()
    };
    // A validation error: 400 under graphql-response+json, 200 under application/json.
    let response = send("application/graphql-response+json")
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/graphql-response+json")
    );
    let response = send("application/json").await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/json")
    );
    let body: Value = response.json().await.expect("json");
    assert_code(&body, "BAD_USER_INPUT");
    let response = send("text/csv").await.expect("sent");
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
});

e2e_test!(suggestions_and_introspection_work_in_development, |app| {
    // The control for the production test below: the same requests succeed here.
    let (_, body) = app
        .graphql("{ viewr { user { id } } }", json!({}), None)
        .await;
    assert!(body.to_string().contains("Did you mean"), "{body}");
    let (_, body) = app
        .graphql("{ __schema { types { name } } }", json!({}), None)
        .await;
    let types = &body["data"]["__schema"]["types"];
    assert!(types.as_array().is_some_and(|t| !t.is_empty()), "{body}");
});

e2e_test!(
    production_gives_no_suggestions_and_no_introspection,
    config = |config: &mut api::config::Config| {
        config.mode = Mode::Production;
        config.seed_demo = Some(false);
        config.jwt.secret = Some(Secret::new(tests::TEST_JWT_SECRET));
    },
    |app| {
        let (_, body) = app
            .graphql("{ viewr { user { id } } }", json!({}), None)
            .await;
        assert_code(&body, "BAD_USER_INPUT");
        assert!(!body.to_string().contains("Did you mean"), "{body}");
        for query in ["{ __schema { types { name } } }", STANDARD_INTROSPECTION] {
            let (status, body) = app.graphql(query, json!({}), None).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_code(&body, "BAD_USER_INPUT");
            assert!(
                body.get("data").is_none(),
                "introspection must be off: {body}"
            );
            assert_eq!(
                body["errors"][0]["message"],
                "introspection (__schema, __type) is disabled in production",
                "{body}"
            );
        }
        // Introspection beside an ordinary field is refused the same way, not answered null.
        let (status, body) = app
            .graphql(
                "{ viewer { __typename } __type(name: \"Customer\") { name } }",
                json!({}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_code(&body, "BAD_USER_INPUT");
        // An ordinary query still runs.
        let (status, body) = app.graphql("{ __typename }", json!({}), None).await;
        assert_eq!(
            (status, &body["data"]["__typename"]),
            (StatusCode::OK, &json!("Query")),
            "{body}"
        );
        let response = app
            .client
            .get(format!("{}/graphql", app.address))
            .header("accept", "text/html")
            .send()
            .await
            .expect("sent");
        assert_eq!(
            response.status(),
            StatusCode::NOT_ACCEPTABLE,
            "no GraphiQL in production"
        );
    }
);

e2e_test!(graphiql_is_served_to_browsers_in_development, |app| {
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap_or_default()
            .contains("GraphiQL")
    );
});

e2e_test!(health_readiness_and_metrics_answer, |app| {
    let get = |path: &'static str| app.client.get(format!("{}{path}", app.address)).send();
    assert_eq!(
        get("/healthz").await.expect("sent").status(),
        StatusCode::OK
    );
    assert_eq!(get("/readyz").await.expect("sent").status(), StatusCode::OK);
    app.graphql("query Probe { __typename }", json!({}), None)
        .await;
    let response = get("/metrics").await.expect("sent");
    let request_id = response.headers().get("x-request-id").cloned();
    let text = response.text().await.expect("text");
    assert!(
        text.contains(r#"billfold_http_requests_total{operation="Probe",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains("billfold_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(request_id.is_some(), "every response carries a request id");
});
