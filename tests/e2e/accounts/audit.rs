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
                "{ viewer { organisation { subscriptions { id status }
                    auditLog(first: 100) { nodes { action actorRole } } } } }",
                json!({}),
            )
            .await;
        assert_ok(&body);
        let organisation = &body["data"]["viewer"]["organisation"];
        let subscription = organisation["subscriptions"]
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
