//! A restart keeps the data, the demo data is seeded once, and tokens survive (the development
//! signing key is kept in the data directory).

use api::seed::DEMO_ADMIN_EMAIL;
use serde_json::json;
use tests::e2e_test;

e2e_test!(
    a_restart_keeps_data_and_sessions,
    config = |config: &mut api::config::Config| config.jwt.secret = None,
    |app| {
        let token = app.login(DEMO_ADMIN_EMAIL).await;
        let before = app.customer_id("Acme Telecom").await;
        assert!(
            app.data_dir().join("jwt-secret").exists(),
            "development key kept on disk"
        );

        let app = app.restart().await;
        let (_, body) = app
            .graphql(
                "{ customers { nodes { id name } } viewer { user { email } } }",
                json!({}),
                Some(&token),
            )
            .await;
        assert_eq!(
            body["data"]["viewer"]["user"]["email"], DEMO_ADMIN_EMAIL,
            "token still valid: {body}"
        );
        let customers = body["data"]["customers"]["nodes"]
            .as_array()
            .expect("customers");
        assert_eq!(
            customers.len(),
            2,
            "demo data seeded once, not twice: {body}"
        );
        assert!(
            customers.iter().any(|c| c["id"] == before.as_str()),
            "same rows: {body}"
        );
    }
);
