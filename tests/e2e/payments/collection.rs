//! Automatic collection on the test clock: a billing run's invoices are charged at the next
//! tick with the default method; a SEPA debit settles (or fails) at a later tick; a failure is
//! retried after 1, 3 and 7 days, each failure e-mailed once, then the invoice is past due (or
//! uncollectible, a setting) and shown in the dunning queue.

use api::config::AfterLastRetry;
use chrono::Duration;
use entity::outbox_message::MessageKind;
use serde_json::json;
use tests::{assert_code, e2e_test};

use super::*;

e2e_test!(
    a_sepa_debit_processes_then_settles_or_fails_at_the_next_tick,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let ok = billing
        .graphql(
            ADD_SEPA,
            json!({ "input": { "customerId": acme, "iban": IBAN_OK, "holderName": "Acme Telecom SA" } }),
        )
        .await;
        let ok = ok["data"]["addSepaDebit"]["paymentMethod"]["id"].clone();
        let body = billing
            .graphql(
                PAY,
                json!({ "input": { "invoiceId": invoice, "paymentMethodId": ok } }),
            )
            .await;
        assert_eq!(
            body["data"]["payInvoice"]["attempt"]["status"], "PROCESSING",
            "{body}"
        );
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        let busy = pay(&billing, &invoice, None, None).await;
        assert_eq!(
            busy["errors"][0]["extensions"]["reason"], "PAYMENT_IN_FLIGHT",
            "{busy}"
        );

        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.settled, report.succeeded), (1, 1), "{report:?}");
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        assert_eq!(payments_of(&app, &invoice).await, 1);
        assert_eq!(messages(&app, &acme, MessageKind::PaymentReceipt).await, 1);

        // The failing IBAN (Globex): processing, then failed; the invoice stays open.
        let (globex_invoice, globex) = invoice_of(&app, "Globex").await;
        let globex_billing = app.as_billing_admin("Globex").await;
        let fails = globex_billing
        .graphql(
            ADD_SEPA,
            json!({ "input": { "customerId": globex, "iban": IBAN_FAILS, "holderName": "Globex" } }),
        )
        .await;
        let fails = fails["data"]["addSepaDebit"]["paymentMethod"]["id"].clone();
        let body = globex_billing
            .graphql(
                PAY,
                json!({ "input": { "invoiceId": globex_invoice, "paymentMethodId": fails } }),
            )
            .await;
        assert_eq!(
            body["data"]["payInvoice"]["attempt"]["status"], "PROCESSING",
            "{body}"
        );
        // The tick settles it (failed). The customer was not there to see it: e-mailed, and
        // the retry schedule starts rather than debiting the same IBAN again at once.
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(
            (report.settled, report.failed, report.charged),
            (1, 1, 0),
            "{report:?}"
        );
        let seen = history(&globex_billing, &globex_invoice).await;
        assert_eq!(seen["status"], "OPEN");
        let attempts = &seen["paymentHistory"]["attempts"];
        assert_eq!(attempts[0]["status"], "FAILED", "{seen}");
        assert_eq!(attempts[0]["failureCode"], "debit_failed");
        assert_eq!(seen["paymentHistory"]["dunning"]["failures"], 1, "{seen}");
        assert_eq!(messages(&app, &globex, MessageKind::PaymentFailed).await, 1);
        // At the retry it is debited off session from the default method (this IBAN again):
        // processing, and while it processes the next tick starts nothing new; then it fails
        // too, and the next retry is scheduled.
        let clock = &app.app.services.clock;
        clock.set(clock.now() + chrono::Duration::days(1) + chrono::Duration::minutes(1));
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.settled), (1, 0), "{report:?}");
        let seen = history(&globex_billing, &globex_invoice).await;
        assert_eq!(
            seen["paymentHistory"]["attempts"][1]["status"], "PROCESSING",
            "{seen}"
        );
        assert_eq!(seen["paymentHistory"]["attempts"][1]["automatic"], true);
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(
            (report.settled, report.failed, report.charged),
            (1, 1, 0),
            "{report:?}"
        );
        let seen = history(&globex_billing, &globex_invoice).await;
        assert_eq!(seen["paymentHistory"]["dunning"]["failures"], 2, "{seen}");
        assert_eq!(payments_of(&app, &globex_invoice).await, 0);
        assert_eq!(messages(&app, &globex, MessageKind::PaymentFailed).await, 2);
    }
);

e2e_test!(
    a_failing_default_card_is_retried_after_1_3_and_7_days_then_the_invoice_is_past_due,
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = app.customer_id("Acme Telecom").await;
        card(&billing, &acme, DECLINED, true).await;
        let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
        let clock = &app.app.services.clock;
        let start = tests::instant("2030-01-10T09:00:00Z");
        clock.set(start);
        let payments = &app.app.services.payments;

        // The billing run's invoice is charged at the next tick, off session.
        let report = payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.failed), (1, 1), "{report:?}");
        let seen = history(&billing, &invoice).await;
        let dunning = &seen["paymentHistory"]["dunning"];
        assert_eq!(dunning["failures"], 1, "{seen}");
        assert_eq!(dunning["state"], "SCHEDULED");
        assert_eq!(dunning["nextAttemptAt"], "2030-01-11T09:00:00+00:00");
        assert_eq!(seen["paymentHistory"]["attempts"][0]["automatic"], true);
        // Not due again before its time.
        clock.set(start + Duration::hours(23));
        assert_eq!(payments.collect_due().await.expect("tick").charged, 0);

        // Retries: +1 day, +3 days, +7 days.
        let mut at = start;
        for (days, failures) in [(1, 2), (3, 3), (7, 4)] {
            at += Duration::days(days);
            clock.set(at);
            let report = payments.collect_due().await.expect("tick");
            assert_eq!(
                (report.charged, report.failed),
                (1, 1),
                "day +{days}: {report:?}"
            );
            let seen = history(&billing, &invoice).await;
            assert_eq!(
                seen["paymentHistory"]["dunning"]["failures"], failures,
                "{seen}"
            );
        }
        let seen = history(&billing, &invoice).await;
        assert_eq!(
            seen["paymentHistory"]["dunning"]["state"], "EXHAUSTED",
            "{seen}"
        );
        // Past due: still open, no more automatic attempts.
        assert_eq!(seen["status"], "OPEN");
        clock.set(at + Duration::days(30));
        assert_eq!(payments.collect_due().await.expect("tick").charged, 0);
        assert_eq!(attempts_of(&app, &invoice).await.len(), 4);
        assert_eq!(messages(&app, &acme, MessageKind::PaymentFailed).await, 4);

        // Staff see it in the dunning queue.
        let staff = app.as_staff().await;
        let queue: serde_json::Value = staff
            .data(
                "dunning queue",
                "{ dunningQueue(first: 10) { nodes { invoiceId failures state lastFailure
                    invoice { number } } } }",
                json!({}),
            )
            .await;
        let nodes = queue["dunningQueue"]["nodes"].as_array().expect("nodes");
        assert_eq!(nodes.len(), 1, "{queue}");
        assert_eq!(nodes[0]["invoiceId"], invoice.as_str());
        assert_eq!(nodes[0]["state"], "EXHAUSTED");
        assert_eq!(nodes[0]["lastFailure"], "Your card was declined.");
        // Customers do not read the queue.
        assert_code(
            &billing
                .graphql(
                    "{ dunningQueue(first: 10) { nodes { invoiceId } } }",
                    json!({}),
                )
                .await,
            "FORBIDDEN",
        );
        // A new default card, and staff retry now: paid, out of the queue.
        card(&billing, &acme, SUCCEEDS, true).await;
        let retried = staff
            .graphql(
                "mutation R($input: RetryInvoicePaymentInput!) { retryInvoicePayment(input: $input) { attempt { status automatic } } }",
                json!({ "input": { "invoiceId": invoice } }),
            )
            .await;
        assert_eq!(
            retried["data"]["retryInvoicePayment"]["attempt"],
            json!({ "status": "SUCCEEDED", "automatic": true }),
            "{retried}"
        );
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        let queue: serde_json::Value = staff
            .data(
                "dunning queue",
                "{ dunningQueue(first: 10) { nodes { invoiceId } } }",
                json!({}),
            )
            .await;
        assert_eq!(queue["dunningQueue"]["nodes"], json!([]));
        assert_eq!(messages(&app, &acme, MessageKind::PaymentFailed).await, 4);
        assert_eq!(messages(&app, &acme, MessageKind::PaymentReceipt).await, 1);
    }
);

e2e_test!(
    after_the_last_retry_an_invoice_may_be_marked_uncollectible,
    config = |config| {
        config.payments.retry_days = vec![2];
        config.payments.after_last_retry = AfterLastRetry::Uncollectible;
    },
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = app.customer_id("Acme Telecom").await;
        card(&billing, &acme, NO_FUNDS, true).await;
        let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
        let clock = &app.app.services.clock;
        let start = tests::instant("2030-01-10T09:00:00Z");
        clock.set(start);
        let payments = &app.app.services.payments;
        assert_eq!(payments.collect_due().await.expect("tick").failed, 1);
        clock.set(start + Duration::days(1));
        assert_eq!(payments.collect_due().await.expect("tick").charged, 0);
        clock.set(start + Duration::days(2));
        assert_eq!(payments.collect_due().await.expect("tick").failed, 1);
        assert_eq!(status(&app, &acme, &invoice).await, "UNCOLLECTIBLE");
        let seen = history(&billing, &invoice).await;
        assert_eq!(
            seen["paymentHistory"]["attempts"][1]["failureMessage"],
            "Your card has insufficient funds."
        );
    }
);

e2e_test!(
    invoices_without_a_default_method_are_left_to_their_customer,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.charged, 0, "{report:?}");
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        // A card that asks for authentication cannot be charged off session: the customer is
        // asked to pay from the portal.
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, AUTHENTICATES, true).await;
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.failed), (1, 1), "{report:?}");
        let seen = history(&billing, &invoice).await;
        assert_eq!(
            seen["paymentHistory"]["attempts"][0]["failureCode"], "authentication_required",
            "{seen}"
        );
    }
);
