//! Staff: offline payments (paid once they cover what is owed, never more), refunds through
//! the processor up to what is left, each refused to customers.

use entity::outbox_message::MessageKind;
use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, assert_ok, e2e_test};

use super::*;

/// Minor units of a two-decimal amount (`"768.00"` is 76800): money is never a float.
fn minor(amount: &str) -> i64 {
    amount
        .replace('.', "")
        .parse()
        .expect("a two-decimal amount")
}

/// The two-decimal text of `minor` units.
fn text(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

const OFFLINE: &str =
    "mutation O($input: RecordOfflinePaymentInput!) { recordOfflinePayment(input: $input) {
    payment { id kind amount { amount } method reference } } }";
const REFUND: &str = "mutation R($input: RefundPaymentInput!) { refundPayment(input: $input) {
    refund { id status amount { amount } } } }";

e2e_test!(
    an_offline_payment_pays_the_invoice_once_it_covers_what_is_owed,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let seen = history(&billing, &invoice).await;
        let due = minor(seen["amountDue"]["amount"].as_str().expect("an amount due"));
        assert!(due > 100, "{seen}");
        let part = text(due - 100);

        // More than owed is refused; customers may not record payments.
        let more = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": text(due + 1),
            "method": "Bank transfer" } }),
            )
            .await;
        assert_bad_input(&more, "input.amount");
        assert_eq!(more["errors"][0]["extensions"]["reason"], "MORE_THAN_DUE");
        assert_code(
        &billing
            .graphql(OFFLINE, json!({ "input": { "invoiceId": invoice, "amount": "1.00", "method": "Cash" } }))
            .await,
        "FORBIDDEN",
    );

        let first = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": part,
            "method": "Bank transfer", "reference": "TRF-1", "idempotencyKey": "trf-1" } }),
            )
            .await;
        assert_ok(&first);
        // The same key records nothing more.
        let again = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": part,
            "method": "Bank transfer", "reference": "TRF-1", "idempotencyKey": "trf-1" } }),
            )
            .await;
        assert_eq!(
            again["data"]["recordOfflinePayment"]["payment"]["id"],
            first["data"]["recordOfflinePayment"]["payment"]["id"]
        );
        // The same key with another amount is a conflict, not the first payment.
        let other = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": "1.00",
            "method": "Bank transfer", "reference": "TRF-1", "idempotencyKey": "trf-1" } }),
            )
            .await;
        assert_code(&other, "CONFLICT");
        assert_eq!(
            other["errors"][0]["extensions"]["reason"],
            "IDEMPOTENCY_KEY_REUSED"
        );
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["status"], "OPEN");
        assert_eq!(
            seen["paymentHistory"]["outstanding"]["amount"], "1.00",
            "{seen}"
        );
        let rest = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": "1.00",
            "method": "Bank transfer", "reference": "TRF-2" } }),
            )
            .await;
        assert_ok(&rest);
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["status"], "PAID", "{seen}");
        assert_eq!(seen["paymentHistory"]["outstanding"]["amount"], "0.00");
        assert_eq!(
            seen["paymentHistory"]["payments"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(messages(&app, &acme, MessageKind::PaymentReceipt).await, 2);
        assert_eq!(billing.audit_count("payment.recorded").await, 2);
    }
);

e2e_test!(
    a_refund_goes_through_the_processor_up_to_what_is_left,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, SUCCEEDS, true).await;
        assert_ok(&pay(&billing, &invoice, None, None).await);
        let seen = history(&billing, &invoice).await;
        let payment = seen["paymentHistory"]["payments"][0].clone();
        let paid = minor(payment["amount"]["amount"].as_str().expect("paid"));
        let staff = app.as_staff().await;
        let refund = |amount: String| {
            let staff = &staff;
            let id = payment["id"].clone();
            async move {
                staff
                .graphql(REFUND, json!({ "input": { "paymentId": id, "amount": amount, "reason": "Goodwill" } }))
                .await
            }
        };
        assert_code(
            &billing
                .graphql(
                    REFUND,
                    json!({ "input": { "paymentId": payment["id"], "amount": "1.00" } }),
                )
                .await,
            "FORBIDDEN",
        );
        let first: Value = refund("10.00".into()).await;
        assert_eq!(
            first["data"]["refundPayment"]["refund"]["status"], "SUCCEEDED",
            "{first}"
        );
        let left = paid - 1000;
        let too_much = refund(text(left + 1)).await;
        assert_bad_input(&too_much, "input.amount");
        assert_eq!(
            too_much["errors"][0]["extensions"]["reason"],
            "REFUND_TOO_LARGE"
        );
        assert_ok(&refund(text(left)).await);
        let nothing_left = refund("0.01".into()).await;
        assert_eq!(
            nothing_left["errors"][0]["extensions"]["reason"],
            "REFUND_TOO_LARGE"
        );
        assert_bad_input(&refund("-5".into()).await, "input.amount");

        let seen = history(&billing, &invoice).await;
        assert_eq!(
            seen["paymentHistory"]["payments"][0]["refunded"]["amount"],
            payment["amount"]["amount"]
        );
        assert_eq!(
            seen["paymentHistory"]["refunds"].as_array().map(Vec::len),
            Some(2)
        );
        // The processor refunded exactly that.
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(charges[0].refunded_minor, paid);
        assert_eq!(billing.audit_count("payment.refunded").await, 2);
    }
);

/// The demo's operator admin as a service-level actor.
async fn operator(app: &tests::TestApp) -> api::auth::Actor {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(api::seed::DEMO_ADMIN_EMAIL))
        .one(app.app.db.reads())
        .await
        .expect("users")
        .expect("the demo admin");
    api::auth::Actor::User(api::auth::AuthenticatedActor {
        user_id: row.id,
        role: api::auth::Role::Admin,
        tenant: None,
    })
}

e2e_test!(
    a_refund_whose_answer_was_lost_is_sent_again_with_its_key_and_refunds_once,
    |app| {
        use std::sync::Arc;

        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, SUCCEEDS, true).await;
        assert_ok(&pay(&billing, &invoice, None, None).await);
        let seen = history(&billing, &invoice).await;
        let payment_id: ids::PaymentId = seen["paymentHistory"]["payments"][0]["id"]
            .as_str()
            .expect("a payment")
            .parse()
            .expect("payment id");
        let payments = &app.app.services.payments;
        let lossy = payments.with_processor(Arc::new(Faulty {
            inner: Arc::clone(payments.processor()),
            charge: Fault::None,
            refund: Fault::After,
        }));
        let staff = operator(&app).await;
        let refund = |service: &api::services::payments::PaymentsService,
                      amount: &'static str,
                      key: Option<&'static str>| {
            let service = service.clone();
            let staff = staff.clone();
            async move {
                service
                    .refund(&staff, None, payment_id, amount, Some("Goodwill"), key)
                    .await
            }
        };
        let reason = |r: &api::error::ServiceResult<entity::refund::Model>| match r {
            Err(api::error::ServiceError::Refused { reason, .. }) => *reason,
            _ => "",
        };

        // The processor refunds €30, the answer is lost.
        let lost = refund(&lossy, "30.00", Some("r-1")).await;
        assert!(reason(&lost) == "REFUND_UNCONFIRMED", "{lost:?}");
        // The audit entry was written with the refund, before the processor was called.
        assert_eq!(billing.audit_count("payment.refunded").await, 1);
        // Another refund meanwhile is refused; the same key with another amount conflicts.
        let other = refund(payments, "30.00", Some("r-2")).await;
        assert!(reason(&other) == "REFUND_IN_FLIGHT", "{other:?}");
        let unkeyed = refund(payments, "30.00", None).await;
        assert!(reason(&unkeyed) == "REFUND_IN_FLIGHT", "{unkeyed:?}");
        let changed = refund(payments, "40.00", Some("r-1")).await;
        assert!(reason(&changed) == "IDEMPOTENCY_KEY_REUSED", "{changed:?}");

        // Sent again as told: the same refund, found by its own key before anything is sent
        // (the processor may have forgotten the key by then), refunded once.
        let again = refund(payments, "30.00", Some("r-1"))
            .await
            .expect("the refund confirmed");
        assert_eq!(again.status, entity::refund::RefundStatus::Succeeded);
        let refunds = entity::refund::Entity::find()
            .filter(entity::refund::Column::PaymentId.eq(payment_id))
            .all(app.app.db.reads())
            .await
            .expect("refunds");
        assert_eq!(refunds.len(), 1);
        assert_eq!(refunds[0].id, again.id);
        let sent = entity::sandbox_refund::Entity::find()
            .filter(
                entity::sandbox_refund::Column::IdempotencyKey.eq(again.idempotency_key.clone()),
            )
            .all(app.app.db.reads())
            .await
            .expect("sandbox refunds");
        assert_eq!(
            (sent.len(), sent[0].requests),
            (1, 1),
            "one refund, found by its key instead of being sent again"
        );
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(charges[0].refunded_minor, 3000, "€30, not €60");
        // The same key once more answers it without calling the processor.
        let third = refund(payments, "30.00", Some("r-1"))
            .await
            .expect("answered");
        assert_eq!(third.id, again.id);
        assert_eq!(billing.audit_count("payment.refunded").await, 1);

        // Lost without a caller key: the collection job sends it again with its key.
        let lost = refund(&lossy, "10.00", None).await;
        assert!(reason(&lost) == "REFUND_UNCONFIRMED", "{lost:?}");
        let clock = &app.app.services.clock;
        clock.set(clock.now() + chrono::Duration::hours(1));
        let report = payments.collect_due().await.expect("tick");
        assert_eq!(report.refunds_resumed, 1, "{report:?}");
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(charges[0].refunded_minor, 4000);
        let refunds = entity::refund::Entity::find()
            .filter(entity::refund::Column::PaymentId.eq(payment_id))
            .all(app.app.db.reads())
            .await
            .expect("refunds");
        assert!(
            refunds
                .iter()
                .all(|r| r.status == entity::refund::RefundStatus::Succeeded),
            "{refunds:?}"
        );
    }
);
