//! Cancelling now: the subscription ends today; what was pending is finalised at once on a last
//! invoice equal to the pending lines upcoming charges showed; the unused days of the period
//! already billed go to the credit balance when the price says so (first paying that last
//! invoice); the run never bills it again.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, assert_bad_input, assert_code, e2e_test, instant};

use super::{invoice, ok, run_for, subscription, upcoming};
use crate::licenses::APRIL_2;

pub(super) const CANCEL: &str =
    "mutation C($input: CancelSubscriptionInput!) { cancelSubscription(input: $input) {
    subscription { id status cancelAt } finalInvoiceId credited { amount currency } } }";

/// Acme's credit ledger, newest first: (kind, amount).
async fn ledger(session: &tests::Session<'_>) -> Vec<(String, String)> {
    let data: Value = session
        .data(
            "ledger",
            "{ viewer { organisation { creditLedger(first: 20) { nodes { kind amount { amount } } } } } }",
            json!({}),
        )
        .await;
    data["viewer"]["organisation"]["creditLedger"]["nodes"]
        .as_array()
        .expect("ledger")
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().expect("kind").to_owned(),
                e["amount"]["amount"].as_str().expect("amount").to_owned(),
            )
        })
        .collect()
}

e2e_test!(
    cancelling_now_invoices_what_is_pending_and_credits_the_unused_days,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .credit_removals()
            .at(APRIL_2)
            .create(&app)
            .await;
        // May is billed in advance on May 1.
        assert_eq!(run_for(&app, "2026-05-01", &fx.subscription).await.len(), 1);
        // May 21 (Paris): 11 of 31 days left. A seat added now waits for the next invoice:
        // round(64 × 11 / 31 = 22.709…) = €22.71.
        app.app.services.clock.set(instant("2026-05-21T08:00:00Z"));
        let billing = app.as_billing_admin("Acme Telecom").await;
        let quote = billing.preview_license_change(&fx.item, 1).await;
        billing
            .apply_license_change(&quote, "before-cancel-now")
            .await;
        let before = upcoming(&billing, &fx.subscription)
            .await
            .expect("an upcoming invoice");
        let pending: Vec<Value> = before["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["kind"] == "PRORATION")
            .cloned()
            .collect();
        assert_eq!(pending.len(), 1, "{before:#}");

        let staff = app.as_staff().await;
        let now = json!({ "input": { "subscriptionId": fx.subscription, "when": "NOW" } });
        assert_code(&billing.graphql(CANCEL, now.clone()).await, "FORBIDDEN");
        let done = ok(&staff, CANCEL, now.clone()).await;
        let done = &done["cancelSubscription"];
        assert_eq!(done["subscription"]["status"], "CANCELLED");
        assert_eq!(done["subscription"]["cancelAt"], "2026-05-21");
        // 3 seats × 22.71 = 68.13, VAT 20 % 13.626 -> 13.63: €81.76 back.
        assert_eq!(done["credited"]["amount"], "81.76");
        assert_eq!(
            ledger(&billing).await[..2],
            [
                ("INVOICE".to_owned(), "-27.25".to_owned()),
                ("UNUSED_TIME".to_owned(), "81.76".to_owned())
            ],
            "the credit first, then the last invoice takes from it"
        );

        // The last invoice: exactly the pending lines upcoming charges showed, for May.
        let last = invoice(
            &billing,
            done["finalInvoiceId"].as_str().expect("a last invoice"),
        )
        .await;
        assert_eq!(last["status"], "OPEN");
        assert_eq!(last["periodStart"], "2026-05-01");
        assert_eq!(last["periodEnd"], "2026-06-01");
        let charged: Vec<Value> = last["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter(|l| l["kind"] != "CREDIT")
            .cloned()
            .collect();
        assert_eq!(charged, pending, "{last:#}");
        // 22.71 + VAT 4.54 = 27.25, paid from the credit.
        assert_eq!(last["total"]["amount"], "27.25");
        assert_eq!(last["creditsApplied"]["amount"], "27.25");
        assert_eq!(last["amountDue"]["amount"], "0.00");

        // Nothing more: no upcoming invoice, no later period, no second cancellation.
        assert!(upcoming(&billing, &fx.subscription).await.is_none());
        assert!(
            run_for(&app, "2026-12-01", &fx.subscription)
                .await
                .is_empty()
        );
        assert_code(&staff.graphql(CANCEL, now).await, "CONFLICT");
        assert_code(
            &staff
                .graphql(
                    CANCEL,
                    json!({ "input": { "subscriptionId": fx.subscription } }),
                )
                .await,
            "CONFLICT",
        );
        assert_eq!(
            subscription(&staff, &fx).await["status"],
            "CANCELLED",
            "still cancelled"
        );
    }
);

e2e_test!(
    cancelling_now_under_a_price_that_keeps_unused_time_credits_nothing,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        assert_eq!(run_for(&app, "2026-05-01", &fx.subscription).await.len(), 1);
        app.app.services.clock.set(instant("2026-05-21T08:00:00Z"));
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let ledger_before = ledger(&billing).await;

        // Refusals first: nothing is written.
        assert_bad_input(
            &staff
                .graphql(
                    CANCEL,
                    json!({ "input": { "subscriptionId": "sub_x", "when": "NOW" } }),
                )
                .await,
            "input.subscriptionId",
        );
        let unknown = format!("sub_{}", uuid::Uuid::now_v7().simple());
        assert_code(
            &staff
                .graphql(
                    CANCEL,
                    json!({ "input": { "subscriptionId": unknown, "when": "NOW" } }),
                )
                .await,
            "NOT_FOUND",
        );
        assert_eq!(subscription(&staff, &fx).await["status"], "ACTIVE");

        let done = ok(
            &staff,
            CANCEL,
            json!({ "input": { "subscriptionId": fx.subscription, "when": "NOW" } }),
        )
        .await;
        let done = &done["cancelSubscription"];
        assert_eq!(done["subscription"]["status"], "CANCELLED");
        assert_eq!(done["credited"]["amount"], "0.00");
        assert_eq!(done["finalInvoiceId"], Value::Null, "nothing was pending");
        assert_eq!(ledger(&billing).await, ledger_before);
        assert!(upcoming(&billing, &fx.subscription).await.is_none());
        assert!(
            run_for(&app, "2026-12-01", &fx.subscription)
                .await
                .is_empty()
        );
    }
);

e2e_test!(
    cancelling_now_in_the_first_period_credits_nothing_it_never_billed,
    |app| {
        // Created on April 2 in April's period, which no invoice billed: nothing to credit.
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .credit_removals()
            .at(APRIL_2)
            .create(&app)
            .await;
        let staff = app.as_staff().await;
        let done = ok(
            &staff,
            CANCEL,
            json!({ "input": { "subscriptionId": fx.subscription, "when": "NOW" } }),
        )
        .await;
        assert_eq!(done["cancelSubscription"]["credited"]["amount"], "0.00");
        assert_eq!(
            done["cancelSubscription"]["subscription"]["cancelAt"],
            "2026-04-02"
        );
    }
);
