//! `POST /webhooks/stripe`: only events signed with the webhook secret within 300 s, about
//! objects that are ours, are applied, each once; anything else is 400 with nothing written,
//! except the detachment of a method we do not hold (200, nothing written). A payment that
//! does not match its attempt, or succeeded after its attempt failed, is not applied.

use entity::payment_attempt::AttemptStatus;
use entity::stripe_event;
use entity::{audit_log, payment_method};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use tests::stripe::{FakeStripe, TestMethod, WEBHOOK_SECRET, deliver, event, signed};
use tests::{Backend, TestApp, assert_code};

use super::stripe::{save_method, stripe_test};
use super::*;
use api::services::payments::processor::SetupKind;
use api::services::payments::stripe::signature::header_for;

async fn events(app: &TestApp) -> u64 {
    stripe_event::Entity::find()
        .count(app.app.db.reads())
        .await
        .expect("events")
}

async fn methods(app: &TestApp) -> u64 {
    payment_method::Entity::find()
        .count(app.app.db.reads())
        .await
        .expect("methods")
}

/// An open invoice of Acme paid by SEPA debit, processing: (invoice, Acme, PaymentIntent).
async fn processing_debit(app: &TestApp, stripe: &FakeStripe) -> (String, String, String) {
    let (invoice, acme) = open_invoice(app, "Acme Telecom").await;
    save_method(app, stripe, &acme, TestMethod::Iban).await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let body = pay(&billing, &invoice, None, None).await;
    assert_eq!(
        body["data"]["payInvoice"]["attempt"]["status"], "PROCESSING",
        "{body}"
    );
    let intent = attempts_of(app, &invoice).await[0]
        .processor_payment
        .clone()
        .expect("its PaymentIntent");
    (invoice, acme, intent)
}

stripe_test!(
    forged_stale_or_foreign_events_are_refused_and_write_nothing,
    |app, stripe| {
        let (invoice, acme, intent) = processing_debit(&app, &stripe).await;
        let settled = stripe.settle(&intent, true);
        let body = event("evt_settled", "payment_intent.succeeded", settled.clone());
        // Time stands still, so the tolerance's edges are exact.
        let clock = &app.app.services.clock;
        clock.set(clock.now());
        let now = clock.now().timestamp();
        let methods_before = methods(&app).await;

        let forged = header_for(&body, "whsec_someone_else", now);
        assert_eq!(deliver(&app, &body, &forged).await, 400, "another secret");
        let tampered = event(
            "evt_settled",
            "payment_intent.succeeded",
            json!({ "id": "pi_x" }),
        );
        assert_eq!(
            deliver(&app, &tampered, &signed(&app, &body)).await,
            400,
            "another body under the signature"
        );
        assert_eq!(deliver(&app, &body, "").await, 400, "no signature");
        let stale = header_for(&body, WEBHOOK_SECRET, now - 301);
        assert_eq!(deliver(&app, &body, &stale).await, 400, "301 s old");
        let future = header_for(&body, WEBHOOK_SECRET, now + 301);
        assert_eq!(deliver(&app, &body, &future).await, 400, "301 s ahead");

        let mut foreign_intent = settled.clone();
        foreign_intent["id"] = json!("pi_not_ours");
        foreign_intent["metadata"] = json!({});
        let foreign = event("evt_foreign", "payment_intent.succeeded", foreign_intent);
        assert_eq!(
            deliver(&app, &foreign, &signed(&app, &foreign)).await,
            400,
            "a payment Stripe and we do not know"
        );
        let detached = event(
            "evt_detached_foreign",
            "payment_method.detached",
            json!({ "id": "pm_not_ours", "object": "payment_method", "customer": null }),
        );
        assert_eq!(
            deliver(&app, &detached, &signed(&app, &detached)).await,
            200,
            "a method we never held: acknowledged (Stripe would retry for days), nothing written"
        );
        let refunded = event(
            "evt_refund_foreign",
            "charge.refunded",
            json!({ "id": "ch_x", "object": "charge", "payment_intent": "pi_not_ours" }),
        );
        assert_eq!(
            deliver(&app, &refunded, &signed(&app, &refunded)).await,
            400
        );

        assert_eq!(events(&app).await, 0, "no event recorded");
        assert_eq!(methods(&app).await, methods_before);
        assert_eq!(
            attempts_of(&app, &invoice).await[0].status,
            AttemptStatus::Processing
        );
        assert_eq!(payments_of(&app, &invoice).await, 0);
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");

        // The genuine event, at the edge of the tolerance, is applied.
        let edge = header_for(&body, WEBHOOK_SECRET, now - 300);
        assert_eq!(deliver(&app, &body, &edge).await, 200);
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        assert_eq!(events(&app).await, 1);
    }
);

stripe_test!(
    a_failed_debit_reported_by_webhook_fails_the_attempt,
    |app, stripe| {
        let (invoice, acme, intent) = processing_debit(&app, &stripe).await;
        let failed = stripe.settle(&intent, false);
        let body = event("evt_debit_failed", "payment_intent.payment_failed", failed);
        for _ in 0..2 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts[0].status, AttemptStatus::Failed);
        assert_eq!(
            attempts[0].failure_message.as_deref(),
            Some(
                "Your bank refused the direct debit. Check the account or use another payment method."
            )
        );
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        assert_eq!(events(&app).await, 1);
    }
);

stripe_test!(
    a_setup_saved_by_webhook_is_one_method_and_detaching_removes_it,
    |app, stripe| {
        let acme = app.customer_id("Acme Telecom").await;
        let actor = super::attempts::acme_billing_admin(&app, &acme).await;
        let payments = &app.app.services.payments;
        let session = payments
            .begin_setup(&actor, acme.parse().expect("id"), SetupKind::Card)
            .await
            .expect("a setup")
            .session;
        let method = stripe.complete_setup(&session.reference, TestMethod::Succeeds);
        let object = stripe.setup(&session.reference).expect("the setup");
        let body = event("evt_setup", "setup_intent.succeeded", object);
        for _ in 0..5 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        // The portal's return page then records it too: the same method.
        let recorded = payments
            .record_setup(&actor, None, acme.parse().expect("id"), &session.reference)
            .await
            .expect("recorded");
        assert_eq!(recorded.processor_method, method);
        assert_eq!(methods(&app).await, 1);

        let detached = event(
            "evt_detached",
            "payment_method.detached",
            json!({ "id": method, "object": "payment_method", "customer": null }),
        );
        for _ in 0..2 {
            assert_eq!(
                deliver(&app, &detached, &signed(&app, &detached)).await,
                200
            );
        }
        assert_eq!(methods(&app).await, 0, "Stripe can no longer charge it");
        assert_eq!(events(&app).await, 2);
    }
);

async fn audited(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .all(app.app.db.reads())
        .await
        .expect("audit")
}

async fn audit_entries(app: &TestApp) -> u64 {
    audit_log::Entity::find()
        .count(app.app.db.reads())
        .await
        .expect("audit")
}

stripe_test!(
    a_method_removed_in_the_portal_then_detached_by_stripe_is_acknowledged,
    |app, stripe| {
        let acme = app.customer_id("Acme Telecom").await;
        let method = save_method(&app, &stripe, &acme, TestMethod::Succeeds).await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let removed = billing
            .graphql(
                "mutation R($input: RemovePaymentMethodInput!) {
                    removePaymentMethod(input: $input) { removedPaymentMethodId } }",
                json!({ "input": { "paymentMethodId": method.id.to_string() } }),
            )
            .await;
        assert!(removed["errors"].is_null(), "{removed}");
        assert_eq!(methods(&app).await, 0);
        let (events_before, audit_before) = (events(&app).await, audit_entries(&app).await);
        // Stripe's event about our own detachment, with the customer it was detached from.
        let mut object = json!({ "id": method.processor_method, "object": "payment_method",
            "customer": null, "type": "card" });
        object["card"] = json!({ "brand": "visa", "last4": "4242" });
        let body = json!({
            "id": "evt_detached_after_removal", "object": "event", "type": "payment_method.detached",
            "created": 1_767_225_600, "livemode": false, "pending_webhooks": 1,
            "data": { "object": object,
                "previous_attributes": { "customer": method.processor_customer } }
        })
        .to_string()
        .into_bytes();
        for _ in 0..2 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        assert_eq!(events(&app).await, events_before, "nothing written");
        assert_eq!(audit_entries(&app).await, audit_before, "nothing written");
        assert_eq!(methods(&app).await, 0);
        // A forged one about it is still refused.
        let forged = header_for(
            &body,
            "whsec_someone_else",
            app.app.services.clock.now().timestamp(),
        );
        assert_eq!(deliver(&app, &body, &forged).await, 400);
    }
);

stripe_test!(
    a_payment_for_another_amount_is_not_applied,
    |app, stripe| {
        let (invoice, acme, intent) = processing_debit(&app, &stripe).await;
        stripe.settle(&intent, true);
        let tampered = stripe.alter_intent(&intent, |object| {
            let amount = object["amount"].as_i64().expect("amount");
            object["amount"] = json!(amount - 1);
            object["amount_received"] = json!(amount - 1);
        });
        let body = event("evt_short", "payment_intent.succeeded", tampered);
        for _ in 0..2 {
            assert_eq!(
                deliver(&app, &body, &signed(&app, &body)).await,
                200,
                "answered so that Stripe does not retry"
            );
        }
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        assert_eq!(payments_of(&app, &invoice).await, 0);
        assert_eq!(
            attempts_of(&app, &invoice).await[0].status,
            AttemptStatus::Processing
        );
        assert_eq!(events(&app).await, 1, "the event is recorded");
        let trace = audited(&app, "payment.mismatch").await;
        assert_eq!(trace.len(), 1, "once, for staff");
        let after = trace[0].after.clone().expect("details");
        assert_eq!(after["wrong"], json!(["amount"]), "{after}");
        assert_eq!(after["payment"], intent.as_str(), "{after}");

        // Another currency is not applied either.
        let euros = stripe.alter_intent(&intent, |object| {
            let amount = object["amount"].as_i64().expect("amount");
            object["amount"] = json!(amount + 1);
            object["currency"] = json!("usd");
        });
        let body = event("evt_dollars", "payment_intent.succeeded", euros);
        assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        assert_eq!(audited(&app, "payment.mismatch").await.len(), 2);
    }
);

stripe_test!(
    a_success_after_the_attempt_failed_here_is_traced_not_applied,
    |app, stripe| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let method = save_method(&app, &stripe, &acme, TestMethod::Authenticates).await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let body = pay(&billing, &invoice, Some(&method.id.to_string()), None).await;
        let attempt = body["data"]["payInvoice"]["attempt"]["id"].clone();
        let gave_up = billing
            .graphql(
                CONFIRM,
                json!({ "input": { "attemptId": attempt, "passed": false } }),
            )
            .await;
        assert_code(&gave_up, "PAYMENT_FAILED");
        let intent = attempts_of(&app, &invoice).await[0]
            .processor_payment
            .clone()
            .expect("its PaymentIntent");
        // Stripe collected it anyway.
        let succeeded = stripe.alter_intent(&intent, |object| {
            object["status"] = json!("succeeded");
            object["amount_received"] = object["amount"].clone();
        });
        let body = event("evt_late", "payment_intent.succeeded", succeeded);
        for _ in 0..3 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        assert_eq!(
            status(&app, &acme, &invoice).await,
            "OPEN",
            "not paid by itself"
        );
        assert_eq!(payments_of(&app, &invoice).await, 0);
        let trace = audited(&app, "payment.succeeded_after_failure").await;
        assert_eq!(trace.len(), 1, "{trace:?}");
        assert_eq!(trace[0].subject_id, attempt.as_str().expect("id"));
        assert_eq!(events(&app).await, 1);
    }
);
