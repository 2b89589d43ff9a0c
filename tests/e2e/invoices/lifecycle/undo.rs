//! Undoing a scheduled cancellation: the subscription is billed on as if it had never been
//! scheduled (the run bills the next period exactly as upcoming charges showed it); there is
//! nothing to undo when none is scheduled or the subscription is already cancelled.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, assert_bad_input, assert_code, e2e_test};

use super::cancel_now::CANCEL;
use super::{assert_same_invoice, invoice, ok, run_for, upcoming};
use crate::licenses::APRIL_2;

const UNDO: &str = "mutation U($input: SubscriptionIdInput!) { undoCancellation(input: $input) {
    subscription { id status cancelAt } } }";

e2e_test!(
    an_undone_cancellation_bills_the_next_period_as_before,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(3)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let input = json!({ "input": { "subscriptionId": fx.subscription } });
        assert_code(&staff.graphql(UNDO, input.clone()).await, "CONFLICT");
        ok(&staff, CANCEL, input.clone()).await;
        assert!(
            upcoming(&billing, &fx.subscription).await.is_none(),
            "a cancellation with nothing pending shows no invoice"
        );

        assert_code(&billing.graphql(UNDO, input.clone()).await, "FORBIDDEN");
        assert_bad_input(
            &staff
                .graphql(UNDO, json!({ "input": { "subscriptionId": "sub_x" } }))
                .await,
            "input.subscriptionId",
        );
        let undone = ok(&staff, UNDO, input.clone()).await;
        let undone = &undone["undoCancellation"]["subscription"];
        assert_eq!(undone["status"], "ACTIVE");
        assert_eq!(undone["cancelAt"], Value::Null);
        assert_code(&staff.graphql(UNDO, input.clone()).await, "CONFLICT");

        // Billed on: May in advance, exactly as upcoming charges show it.
        let before = upcoming(&billing, &fx.subscription)
            .await
            .expect("May's invoice");
        assert_eq!(before["periodStart"], "2026-05-01");
        let billed = run_for(&app, "2026-05-01", &fx.subscription).await;
        assert_eq!(billed.len(), 1);
        assert_same_invoice(&before, &invoice(&billing, &billed[0]).await);

        // Once cancelled, there is nothing to undo.
        ok(
            &staff,
            CANCEL,
            json!({ "input": { "subscriptionId": fx.subscription, "when": "NOW" } }),
        )
        .await;
        assert_code(&staff.graphql(UNDO, input).await, "CONFLICT");
    }
);
