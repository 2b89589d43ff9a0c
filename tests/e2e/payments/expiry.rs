//! An authentication the customer abandons does not block its invoice for ever: after
//! `payments.authentication_expiry_hours` the collection tick cancels the payment at the
//! processor and records a failed attempt; the invoice can then be paid or settled again.

use chrono::Duration;
use entity::payment_attempt::AttemptStatus;
use serde_json::json;
use tests::{assert_code, assert_ok, e2e_test};

use super::*;

e2e_test!(
    an_abandoned_authentication_is_cancelled_after_its_expiry_and_frees_the_invoice,
    config = |config: &mut api::config::Config| config.payments.authentication_expiry_hours = 24,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let staff = app.as_staff().await;
        let clock = &app.app.services.clock;
        let start = chrono::Utc::now();
        clock.set(start);
        let secure = card(&billing, &acme, AUTHENTICATES, false).await;
        let body = pay(&billing, &invoice, Some(&secure), None).await;
        assert_eq!(
            body["data"]["payInvoice"]["attempt"]["status"], "REQUIRES_ACTION",
            "{body}"
        );
        // Viewers neither pay nor answer the authentication.
        let viewer = app.as_viewer("Acme Telecom").await;
        assert_code(
            &pay(&viewer, &invoice, Some(&secure), None).await,
            "FORBIDDEN",
        );
        let waiting = body["data"]["payInvoice"]["attempt"]["id"].clone();
        assert_code(
            &viewer
                .graphql(
                    CONFIRM,
                    json!({ "input": { "attemptId": waiting, "passed": true } }),
                )
                .await,
            "FORBIDDEN",
        );
        let settle = "mutation M($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) {
            invoice { status } } }";
        let payments = &app.app.services.payments;

        // Within the expiry the attempt waits, and nothing else settles the invoice.
        clock.set(start + Duration::hours(23));
        let report = payments.collect_due().await.expect("tick");
        assert_eq!(report.authentications_expired, 0, "{report:?}");
        let busy = staff
            .graphql(settle, json!({ "input": { "invoiceId": invoice } }))
            .await;
        assert_code(&busy, "CONFLICT");

        // After it, the tick cancels it at the processor: a failed attempt, once.
        clock.set(start + Duration::hours(25));
        let report = payments.collect_due().await.expect("tick");
        assert_eq!(report.authentications_expired, 1, "{report:?}");
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].status, AttemptStatus::Failed);
        assert_eq!(attempts[0].failure_code.as_deref(), Some("canceled"));
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(charges[0].status, "failed", "{charges:?}");
        let report = payments.collect_due().await.expect("tick");
        assert_eq!(report.authentications_expired, 0, "{report:?}");
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        // The customer left the page: told by e-mail that the payment did not go through.
        assert_eq!(messages(&app, &acme, MessageKind::PaymentFailed).await, 1);

        // The invoice is free: paid now with another card.
        let good = card(&billing, &acme, SUCCEEDS, false).await;
        let body = pay(&billing, &invoice, Some(&good), None).await;
        assert_ok(&body);
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
    }
);

e2e_test!(
    a_failed_payment_from_the_portal_is_not_charged_again_at_the_next_tick,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let declined = card(&billing, &acme, DECLINED, true).await;
        assert_code(
            &pay(&billing, &invoice, Some(&declined), None).await,
            "PAYMENT_FAILED",
        );
        // The customer saw the decline: the default card waits for the first retry.
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.charged, 0, "{report:?}");
        assert_eq!(attempts_of(&app, &invoice).await.len(), 1);
        assert_eq!(messages(&app, &acme, MessageKind::PaymentFailed).await, 0);
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["paymentHistory"]["dunning"]["state"], "SCHEDULED");
        // A day later it is tried off session, and that failure is e-mailed.
        app.app
            .services
            .clock
            .set(chrono::Utc::now() + Duration::days(1) + Duration::minutes(1));
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.failed), (1, 1), "{report:?}");
        assert_eq!(messages(&app, &acme, MessageKind::PaymentFailed).await, 1);
    }
);
