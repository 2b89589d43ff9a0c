//! The audit log names each change's actor by role, and subscriptions carry their status: both
//! GraphQL enums read from the stored strings.

use serde_json::json;
use tests::{LicenseItemFixture, assert_ok, e2e_test};

use crate::licenses::APRIL_2;

e2e_test!(
    the_audit_log_names_the_actor_role_and_subscriptions_their_status,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let quote = billing.preview_license_change(&fx.item, 1).await;
        billing.apply_license_change(&quote, "audit-roles").await;

        let body = billing
            .graphql(
                "{ viewer { organisation { subscriptions { nodes { id status } }
                    auditLog(first: 100) { nodes { action actorRole } } } } }",
                json!({}),
            )
            .await;
        assert_ok(&body);
        let organisation = &body["data"]["viewer"]["organisation"];
        let subscription = organisation["subscriptions"]["nodes"]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["id"] == fx.subscription.as_str()))
            .unwrap_or_else(|| panic!("{body}"));
        assert_eq!(subscription["status"], "ACTIVE", "{body}");
        let role_of = |action: &str| {
            organisation["auditLog"]["nodes"]
                .as_array()
                .and_then(|all| all.iter().find(|e| e["action"] == action))
                .map(|e| e["actorRole"].clone())
                .unwrap_or_else(|| panic!("no {action} entry: {body}"))
        };
        // Newest first: the change by the billing admin, the subscription by operator staff.
        assert_eq!(role_of("license.add"), "BILLING_ADMIN", "{body}");
        assert_eq!(role_of("subscription.create"), "ADMIN", "{body}");
    }
);

e2e_test!(
    the_audit_log_filters_by_kind_and_by_the_organisations_days,
    |app| {
        let owner = app.as_owner("Acme Telecom").await;
        let query = "query A($kind: AuditKind, $from: NaiveDate, $to: NaiveDate) { viewer { organisation {
        auditLog(first: 100, kind: $kind, from: $from, to: $to) { nodes { action kind actorName } } } } }";
        let actions = |body: serde_json::Value| -> Vec<(String, String)> {
            body["data"]["viewer"]["organisation"]["auditLog"]["nodes"]
                .as_array()
                .unwrap_or_else(|| panic!("{body}"))
                .iter()
                .map(|e| {
                    (
                        e["action"].as_str().expect("action").to_owned(),
                        e["kind"].as_str().expect("kind").to_owned(),
                    )
                })
                .collect()
        };
        // The demo's addresses and contacts were added by the operator admin.
        let addresses = actions(owner.graphql(query, json!({ "kind": "ADDRESSES" })).await);
        assert_eq!(addresses.len(), 2, "{addresses:?}");
        assert!(
            addresses
                .iter()
                .all(|(a, k)| a.starts_with("address.") && k == "ADDRESSES")
        );
        let people = actions(owner.graphql(query, json!({ "kind": "PEOPLE" })).await);
        assert!(people.iter().all(|(a, _)| a.starts_with("contact.")) && !people.is_empty());
        let access = actions(owner.graphql(query, json!({ "kind": "ACCESS" })).await);
        assert!(
            access.iter().all(|(a, _)| a.starts_with("session.")),
            "{access:?}"
        );
        let body = owner
        .graphql("{ viewer { organisation { auditLog(first: 1, kind: ADDRESSES) { nodes { actorName } } } } }", json!({}))
        .await;
        assert_eq!(
            body["data"]["viewer"]["organisation"]["auditLog"]["nodes"][0]["actorName"],
            "Operator Admin",
            "{body}"
        );

        // Days are the organisation's (Europe/Paris): today holds everything, yesterday nothing.
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive();
        let yesterday = today.pred_opt().expect("a day before");
        let all = actions(owner.graphql(query, json!({})).await);
        let from_today = actions(
            owner
                .graphql(query, json!({ "from": today, "to": today }))
                .await,
        );
        assert_eq!(from_today, all);
        assert!(actions(owner.graphql(query, json!({ "to": yesterday })).await).is_empty());
        let reversed = owner
            .graphql(query, json!({ "from": today, "to": yesterday }))
            .await;
        tests::assert_bad_input(&reversed, "to");
    }
);
