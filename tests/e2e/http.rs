//! The GraphQL-over-HTTP rules of our handler, and the operations endpoints.

use api::config::{Mode, Secret};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::{TestApp, e2e_test, error_code};

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

e2e_test!(a_2_mib_body_is_413, |app| {
    let padding = "#".repeat(2 * 1024 * 1024);
    let body = json!({ "query": format!("{{ __typename }} {padding}") }).to_string();
    let (status, _) = post(&app, "application/json", body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
});

e2e_test!(batches_are_refused, |app| {
    let (status, body) = post(
        &app,
        "application/json",
        r#"[{"query":"{ __typename }"},{"query":"{ __typename }"}]"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
});

e2e_test!(queries_deeper_than_the_limit_are_rejected, |app| {
    let token = app.login(api::seed::DEMO_ADMIN_EMAIL).await;
    // Within the limit (depth 12): fine.
    let (status, body) = app
        .graphql(
            "{ customers { edges { node { members { nodes { team { name } } } } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Nest __type/ofType introspection past the limit.
    let deep = format!(
        "{{ __schema {{ types {{ {}name{} }} }} }}",
        "ofType { ".repeat(14),
        " }".repeat(14)
    );
    let (status, body) = app.graphql(&deep, json!({}), Some(&token)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nested too deep"),
        "{body}"
    );
});

e2e_test!(complexity_over_the_limit_is_rejected, |app| {
    let token = app.login(api::seed::DEMO_ADMIN_EMAIL).await;
    // 100 customers x 100 members x 2 fields is far over 2,000.
    let (status, body) = app
        .graphql(
            "{ customers(first: 100) { nodes { members(first: 100) { nodes { name email } } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("complex"),
        "{body}"
    );
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
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
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
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
        assert!(!body.to_string().contains("Did you mean"), "{body}");
        let (_, body) = app
            .graphql("{ __schema { types { name } } }", json!({}), None)
            .await;
        assert!(
            body["data"]["__schema"].is_null(),
            "introspection must be off: {body}"
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
