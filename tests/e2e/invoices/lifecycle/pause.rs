//! Pausing and resuming: a paused subscription is not billed and shows no upcoming invoice;
//! resumed, it bills the period containing the resume date (no catch-up invoices for the
//! paused ones), exactly as upcoming charges show it; resumed within the period it was paused
//! in, nothing else changes.

use serde_json::json;
use tests::{LicenseItemFixture, assert_bad_input, assert_code, e2e_test, instant};

use super::cancel_now::CANCEL;
use super::{assert_same_invoice, invoice, ok, run_for, subscription, upcoming};
use crate::licenses::APRIL_2;

const PAUSE: &str = "mutation P($input: SubscriptionIdInput!) { pauseSubscription(input: $input) {
    subscription { id status } } }";
const RESUME: &str =
    "mutation R($input: SubscriptionIdInput!) { resumeSubscription(input: $input) {
    subscription { id status currentPeriodStart currentPeriodEnd nextInvoiceDate } } }";

e2e_test!(
    a_paused_subscription_bills_nothing_until_resumed_then_the_resume_period,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let input = json!({ "input": { "subscriptionId": fx.subscription } });
        assert_code(&billing.graphql(PAUSE, input.clone()).await, "FORBIDDEN");
        assert_code(&staff.graphql(RESUME, input.clone()).await, "CONFLICT");
        assert_bad_input(
            &staff
                .graphql(PAUSE, json!({ "input": { "subscriptionId": "sub_x" } }))
                .await,
            "input.subscriptionId",
        );
        let paused = ok(&staff, PAUSE, input.clone()).await;
        assert_eq!(
            paused["pauseSubscription"]["subscription"]["status"],
            "PAUSED"
        );
        assert_code(&staff.graphql(PAUSE, input.clone()).await, "CONFLICT");
        assert!(upcoming(&billing, &fx.subscription).await.is_none());
        // May and June pass unbilled.
        assert!(
            run_for(&app, "2026-07-01", &fx.subscription)
                .await
                .is_empty()
        );

        // Resumed on July 10: July is billed, at once; May and June never are.
        app.app.services.clock.set(instant("2026-07-10T08:00:00Z"));
        assert_code(&billing.graphql(RESUME, input.clone()).await, "FORBIDDEN");
        let resumed = ok(&staff, RESUME, input.clone()).await;
        let resumed = &resumed["resumeSubscription"]["subscription"];
        assert_eq!(resumed["status"], "ACTIVE");
        assert_eq!(resumed["currentPeriodStart"], "2026-06-01");
        assert_eq!(resumed["nextInvoiceDate"], "2026-07-01");
        let before = upcoming(&billing, &fx.subscription)
            .await
            .expect("July's invoice");
        assert_eq!(before["invoiceDate"], "2026-07-01");
        assert_eq!(before["periodStart"], "2026-07-01");
        assert_eq!(before["periodEnd"], "2026-08-01");
        let billed = run_for(&app, "2026-07-10", &fx.subscription).await;
        assert_eq!(billed.len(), 1, "one invoice, no catch-up");
        assert_same_invoice(&before, &invoice(&billing, &billed[0]).await);
        assert_code(&staff.graphql(RESUME, input).await, "CONFLICT");
    }
);

e2e_test!(
    resumed_within_its_period_a_subscription_keeps_its_schedule,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let input = json!({ "input": { "subscriptionId": fx.subscription } });
        // A scheduled cancellation would never happen while paused: refused.
        ok(&staff, CANCEL, input.clone()).await;
        assert_code(&staff.graphql(PAUSE, input.clone()).await, "CONFLICT");
        assert_eq!(subscription(&staff, &fx).await["status"], "ACTIVE");
        ok(
            &staff,
            "mutation U($input: SubscriptionIdInput!) { undoCancellation(input: $input) { subscription { id } } }",
            input.clone(),
        )
        .await;

        ok(&staff, PAUSE, input.clone()).await;
        app.app.services.clock.set(instant("2026-04-20T08:00:00Z"));
        let resumed = ok(&staff, RESUME, input).await;
        let resumed = &resumed["resumeSubscription"]["subscription"];
        assert_eq!(resumed["currentPeriodStart"], "2026-04-01");
        assert_eq!(resumed["nextInvoiceDate"], "2026-05-01");
        let before = upcoming(&billing, &fx.subscription)
            .await
            .expect("May's invoice");
        let billed = run_for(&app, "2026-05-01", &fx.subscription).await;
        assert_eq!(billed.len(), 1);
        assert_same_invoice(&before, &invoice(&billing, &billed[0]).await);
    }
);
