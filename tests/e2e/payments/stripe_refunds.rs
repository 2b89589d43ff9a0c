//! Refunds with Stripe that are never made twice and never lost: a refund whose answer was
//! lost is looked up by its key before it is sent again, even after Stripe forgot the key; a
//! key Stripe still remembers, sent with other parameters, is "unknown", never a failed refund;
//! a refund made in Stripe's dashboard is recorded once when `charge.refunded` reports it.

use std::time::Duration;

use api::services::payments::processor::{PaymentProcessor, ProcessorError};
use api::services::payments::stripe::StripeProcessor;
use entity::refund::{self, RefundStatus};
use entity::{audit_log, invoice, payment};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::stripe::{FakeStripe, TestMethod, deliver, event, signed};
use tests::{Backend, TestApp};

use super::stripe::{save_method, stripe_test};
use super::*;

const REFUND: &str = "mutation R($input: RefundPaymentInput!) { refundPayment(input: $input) {
    refund { id status } } }";

/// Acme's open invoice paid by card through Stripe: (invoice, payment's GraphQL id).
async fn paid_by_card(app: &TestApp, stripe: &FakeStripe) -> (String, String) {
    let (invoice, acme) = open_invoice(app, "Acme Telecom").await;
    save_method(app, stripe, &acme, TestMethod::Succeeds).await;
    app.app.services.payments.collect_due().await.expect("tick");
    assert_eq!(status(app, &acme, &invoice).await, "PAID");
    let billing = app.as_billing_admin("Acme Telecom").await;
    let payment = history(&billing, &invoice).await["paymentHistory"]["payments"][0]["id"]
        .as_str()
        .expect("a payment")
        .to_owned();
    (invoice, payment)
}

async fn refunds(app: &TestApp) -> Vec<refund::Model> {
    refund::Entity::find()
        .all(app.app.db.reads())
        .await
        .expect("refunds")
}

async fn payment_row(app: &TestApp, id: &str) -> payment::Model {
    let id: ids::PaymentId = id.parse().expect("payment id");
    payment::Entity::find_by_id(id)
        .one(app.app.db.reads())
        .await
        .expect("payment")
        .expect("the payment")
}

async fn refund_of(staff: &tests::Session<'_>, payment: &str, key: &str) -> Value {
    staff
        .graphql(
            REFUND,
            json!({ "input": { "paymentId": payment, "amount": "5.00", "reason": "Goodwill",
                "idempotencyKey": key } }),
        )
        .await
}

fn stripe_processor(stripe: &FakeStripe) -> StripeProcessor {
    let mut config = api::config::Config::default();
    stripe.configure(&mut config);
    StripeProcessor::new(&config.payments.stripe).expect("a Stripe processor")
}

stripe_test!(
    a_refund_whose_answer_was_lost_is_made_once_after_stripe_forgot_its_key,
    |app, stripe| {
        let (_, payment) = paid_by_card(&app, &stripe).await;
        let staff = app.as_staff().await;
        // Stripe makes the refund, the answer is lost before we commit it.
        stripe.lose_next_refund_answers(1);
        let lost = refund_of(&staff, &payment, "goodwill-1").await;
        assert_eq!(
            lost["errors"][0]["extensions"]["reason"], "REFUND_UNCONFIRMED",
            "{lost}"
        );
        assert_eq!(stripe.refunds(), 1, "made at Stripe");
        assert_eq!(refunds(&app).await[0].status, RefundStatus::Pending);
        // A day later Stripe no longer knows the key: sent again, it would be a second refund.
        stripe.set_key_lifetime(Duration::ZERO);
        let again = refund_of(&staff, &payment, "goodwill-1").await;
        assert_eq!(
            again["data"]["refundPayment"]["refund"]["status"], "SUCCEEDED",
            "{again}"
        );
        assert_eq!(stripe.refunds(), 1, "found by its key, not made again");
        assert_eq!(
            stripe.keys_sent_to("/v1/refunds").len(),
            1,
            "never posted again"
        );
        let rows = refunds(&app).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].status, RefundStatus::Succeeded);
        assert!(
            rows[0]
                .processor_refund
                .as_deref()
                .is_some_and(|r| r.starts_with("re_"))
        );
        assert_eq!(payment_row(&app, &payment).await.refunded_minor, 500);
        // The test server really forgot: the same request posted blindly is a second refund.
        let processor = stripe_processor(&stripe);
        let intent = payment_row(&app, &payment)
            .await
            .processor_payment
            .expect("its PaymentIntent");
        processor
            .refund(&intent, 500, &rows[0].idempotency_key)
            .await
            .expect("a blind retry");
        assert_eq!(stripe.refunds(), 2, "what the look-up prevents");
    }
);

stripe_test!(
    a_key_stripe_remembers_sent_with_other_parameters_is_unknown_not_refused,
    |app, stripe| {
        let (_, payment) = paid_by_card(&app, &stripe).await;
        let intent = payment_row(&app, &payment)
            .await
            .processor_payment
            .expect("its PaymentIntent");
        let processor = stripe_processor(&stripe);
        processor
            .refund(&intent, 100, "key-reused")
            .await
            .expect("the first refund");
        let reused = processor.refund(&intent, 200, "key-reused").await;
        assert!(
            matches!(reused, Err(ProcessorError::Unavailable(_))),
            "{reused:?}"
        );
        assert_eq!(stripe.refunds(), 1);
        // The refund's own look-up finds what the key made.
        let listed = processor.refunds(&intent).await.expect("listed");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].key.as_deref(), Some("key-reused"));
        assert_eq!(listed[0].amount_minor, 100);
    }
);

stripe_test!(
    a_refund_made_in_stripes_dashboard_is_recorded_once,
    |app, stripe| {
        let (invoice, payment) = paid_by_card(&app, &stripe).await;
        let staff = app.as_staff().await;
        // One refund of ours first: the dashboard's listing shows it too, not to be recorded
        // again.
        let ours = refund_of(&staff, &payment, "ours-1").await;
        assert_eq!(
            ours["data"]["refundPayment"]["refund"]["status"], "SUCCEEDED",
            "{ours}"
        );
        let intent = payment_row(&app, &payment)
            .await
            .processor_payment
            .expect("its PaymentIntent");
        let charge = stripe.dashboard_refund(&intent, 250);
        let body = event("evt_dashboard_refund", "charge.refunded", charge.clone());
        for _ in 0..3 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        // Stripe reports it again under another event (a later refund of the same charge).
        let other = event("evt_dashboard_refund_2", "charge.refunded", charge);
        assert_eq!(deliver(&app, &other, &signed(&app, &other)).await, 200);

        let rows = refunds(&app).await;
        assert_eq!(rows.len(), 2, "ours and the dashboard's: {rows:?}");
        let outside = rows
            .iter()
            .find(|r| r.created_by.is_none())
            .expect("the dashboard's refund");
        assert_eq!(outside.amount_minor, 250);
        assert_eq!(outside.status, RefundStatus::Succeeded);
        assert!(
            outside
                .processor_refund
                .as_deref()
                .is_some_and(|r| r.starts_with("re_"))
        );
        assert_eq!(
            payment_row(&app, &payment).await.refunded_minor,
            750,
            "500 of ours and 250 from the dashboard, once"
        );
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("payment.refunded"))
            .filter(audit_log::Column::RequestId.eq("evt_dashboard_refund"))
            .all(app.app.db.reads())
            .await
            .expect("audit");
        assert_eq!(audited.len(), 1, "audited once");
        // A paid invoice stays settled, as with a staff refund.
        let invoice_id: ids::InvoiceId = invoice.parse().expect("invoice id");
        let row = invoice::Entity::find_by_id(invoice_id)
            .one(app.app.db.reads())
            .await
            .expect("invoice")
            .expect("the invoice");
        assert_eq!(row.amount_paid_minor, row.total_minor);
    }
);
