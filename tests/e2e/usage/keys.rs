//! API keys: shown once, scoped (`usage:write` records usage only, `read` runs queries only),
//! revocable, last use recorded; customers cannot create them.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use tests::{assert_code, e2e_test, error_code};

use super::{api_key, minutes, post_usage, record, record_usage, voip};

e2e_test!(
    api_key_scopes_are_enforced_and_revocation_is_immediate,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        let (writer_id, writer) = api_key(&staff, &["USAGE_WRITE"]).await;
        let (_, reader) = api_key(&staff, &["READ"]).await;
        let at = "2026-04-03T10:00:00Z";
        let query = "{ customers(first: 5) { nodes { id } } }";

        // usage:write records usage, and nothing else.
        let body = record_usage(&app, &writer, json!([record(&fx.minutes, "1", at, "a")])).await;
        assert_eq!(body["data"]["recordUsage"]["inserted"], 1, "{body}");
        let (status, body) = app.graphql(query, json!({}), Some(&writer)).await;
        assert_eq!(
            (status.as_u16(), error_code(&body)),
            (403, Some("FORBIDDEN")),
            "{body}"
        );
        let (status, body) = app
            .graphql(
                "mutation { createApiKey(input: {name: \"more\", scopes: [READ]}) { secret } }",
                json!({}),
                Some(&writer),
            )
            .await;
        assert_eq!(
            (status.as_u16(), error_code(&body)),
            (403, Some("FORBIDDEN")),
            "{body}"
        );
        // Not through a fragment either.
        let (status, _) = app
        .graphql(
            "mutation { ...F } fragment F on Mutation { createApiKey(input: {name: \"x\", scopes: [READ]}) { secret } }",
            json!({}),
            Some(&writer),
        )
        .await;
        assert_eq!(status.as_u16(), 403);

        // read runs queries, and records nothing.
        let (status, body) = app.graphql(query, json!({}), Some(&reader)).await;
        assert_eq!(status.as_u16(), 200, "{body}");
        assert!(body["data"]["customers"]["nodes"].is_array(), "{body}");
        let body = record_usage(&app, &reader, json!([record(&fx.minutes, "1", at, "b")])).await;
        assert_code(&body, "FORBIDDEN");
        let usage = minutes(&fx.minutes, json!(3), "2026-04-04");
        let (status, body) = post_usage(&app, Some(&reader), &usage, None).await;
        assert_eq!(status.as_u16(), 403, "{body}");
        assert_eq!(body["status"], "Error");

        // The last use is recorded.
        let listed: serde_json::Value = staff
            .data(
                "apiKeys",
                "{ apiKeys { nodes { id lastUsedAt revokedAt scopes } } }",
                json!({}),
            )
            .await;
        let writer_row = listed["apiKeys"]["nodes"]
            .as_array()
            .and_then(|keys| keys.iter().find(|k| k["id"] == writer_id.as_str()))
            .cloned()
            .expect("the key is listed");
        assert!(writer_row["lastUsedAt"].is_string(), "{listed}");
        assert_eq!(writer_row["scopes"], json!(["USAGE_WRITE"]));

        // Revoked: refused at once, on every route.
        let body = staff
        .graphql(
            "mutation R($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { revokedAt } } }",
            json!({ "input": { "apiKeyId": writer_id } }),
        )
        .await;
        assert!(
            body["data"]["revokeApiKey"]["apiKey"]["revokedAt"].is_string(),
            "{body}"
        );
        let (status, _) = app
            .graphql(
                "mutation R($input: RecordUsageInput!) { recordUsage(input: $input) { inserted } }",
                json!({ "input": { "records": [record(&fx.minutes, "1", at, "c")] } }),
                Some(&writer),
            )
            .await;
        assert_eq!(status.as_u16(), 401);
        let (status, body) = post_usage(&app, Some(&writer), &usage, None).await;
        assert_eq!(status.as_u16(), 401, "{body}");
        let audited = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq("api_key.revoke"))
            .count(app.app.db.reads())
            .await
            .expect("audit");
        assert_eq!(audited, 1);
    }
);

e2e_test!(customers_cannot_create_or_revoke_api_keys, |app| {
    let owner = app.as_owner("Acme Telecom").await;
    let body = owner
        .graphql(
            "mutation { createApiKey(input: {name: \"mine\", scopes: [USAGE_WRITE]}) { secret } }",
            json!({}),
        )
        .await;
    assert_code(&body, "FORBIDDEN");
    let body = owner
        .graphql("{ apiKeys { nodes { id } } }", json!({}))
        .await;
    assert_code(&body, "FORBIDDEN");
    let staff = app.as_staff().await;
    let body = staff
        .graphql(
            "mutation { createApiKey(input: {name: \"none\", scopes: []}) { secret } }",
            json!({}),
        )
        .await;
    assert_code(&body, "BAD_USER_INPUT");
});
