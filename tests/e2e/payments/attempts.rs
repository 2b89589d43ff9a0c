//! Never twice: the caller's idempotency key answers the first attempt; concurrent payments of
//! one invoice charge once; a crash after the processor charged and before our commit is
//! resumed with the same key (the processor sees it twice) and charges once.

use std::sync::Arc;

use api::auth::{Actor, AuthenticatedActor, Role};
use api::services::payments::attempts::PayRequest;
use api::services::payments::processor::{
    AttachedMethod, CardDetails, ChargeOutcome, ChargeRequest, ListedRefund, PaymentProcessor,
    ProcessorError, RefundOutcome, SepaDetails,
};
use chrono::{DateTime, Utc};
use entity::outbox_message::MessageKind;
use entity::user;
use serde_json::json;
use tests::{assert_code, e2e_test};

use super::*;

e2e_test!(
    the_same_idempotency_key_pays_once_and_queues_one_receipt,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, SUCCEEDS, true).await;
        let other_card = card(&billing, &acme, SUCCEEDS, false).await;
        let first = pay(&billing, &invoice, None, Some("pay-once")).await;
        let attempt = &first["data"]["payInvoice"]["attempt"];
        assert_eq!(attempt["status"], "SUCCEEDED", "{first}");
        let again = pay(&billing, &invoice, None, Some("pay-once")).await;
        assert_eq!(
            again["data"]["payInvoice"]["attempt"]["id"], attempt["id"],
            "{again}"
        );
        // The same key with another method is a conflict.
        let other = pay(&billing, &invoice, Some(&other_card), Some("pay-once")).await;
        assert_code(&other, "CONFLICT");
        assert_eq!(
            other["errors"][0]["extensions"]["reason"],
            "IDEMPOTENCY_KEY_REUSED"
        );
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(charges.len(), 1);
        assert_eq!(charges[0].requests, 1, "the key reached the processor once");
        assert_eq!(payments_of(&app, &invoice).await, 1);
        assert_eq!(messages(&app, &acme, MessageKind::PaymentReceipt).await, 1);
        assert_eq!(billing.audit_count("payment.succeeded").await, 1);
        // The processor's key is derived from the invoice and the attempt number.
        assert_eq!(charges[0].idempotency_key, format!("{invoice}:attempt:1"));
    }
);

e2e_test!(concurrent_payments_of_one_invoice_charge_once, |app| {
    let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    card(&billing, &acme, SUCCEEDS, true).await;
    let token = billing.token().to_owned();
    let calls = (0..6).map(|_| {
        let token = token.clone();
        let invoice = invoice.clone();
        let app = &app;
        async move {
            app.graphql(
                PAY,
                json!({ "input": { "invoiceId": invoice } }),
                Some(&token),
            )
            .await
            .1
        }
    });
    let answers = futures_util::future::join_all(calls).await;
    let succeeded = answers
        .iter()
        .filter(|a| a["data"]["payInvoice"]["attempt"]["status"] == "SUCCEEDED")
        .count();
    assert_eq!(succeeded, 1, "{answers:?}");
    for answer in answers.iter().filter(|a| !a["errors"].is_null()) {
        assert_code(answer, "CONFLICT");
        let reason = answer["errors"][0]["extensions"]["reason"]
            .as_str()
            .unwrap_or_default();
        assert!(
            ["PAYMENT_IN_FLIGHT", "INVOICE_NOT_OPEN"].contains(&reason),
            "{answer}"
        );
    }
    assert_eq!(sandbox_charges(&app, &invoice).await.len(), 1);
    assert_eq!(payments_of(&app, &invoice).await, 1);
    assert_eq!(attempts_of(&app, &invoice).await.len(), 1);
    assert_eq!(status(&app, &acme, &invoice).await, "PAID");
});

/// A processor that charges, then loses the answer: what a crash between the processor's
/// answer and our commit looks like from our side.
struct ChargesThenCrashes(Arc<dyn PaymentProcessor>);

#[async_trait::async_trait]
impl PaymentProcessor for ChargesThenCrashes {
    fn name(&self) -> &'static str {
        self.0.name()
    }
    async fn create_customer(&self, c: ids::CustomerId, e: &str) -> Result<String, ProcessorError> {
        self.0.create_customer(c, e).await
    }
    async fn attach_card(
        &self,
        customer: &str,
        card: &CardDetails,
        now: DateTime<Utc>,
    ) -> Result<AttachedMethod, ProcessorError> {
        self.0.attach_card(customer, card, now).await
    }
    async fn attach_sepa_debit(
        &self,
        customer: &str,
        account: &SepaDetails,
    ) -> Result<AttachedMethod, ProcessorError> {
        self.0.attach_sepa_debit(customer, account).await
    }
    async fn detach(&self, method: &str) -> Result<(), ProcessorError> {
        self.0.detach(method).await
    }
    async fn charge(&self, request: &ChargeRequest<'_>) -> Result<ChargeOutcome, ProcessorError> {
        let charged = self.0.charge(request).await?;
        assert_eq!(
            charged.status,
            api::services::payments::processor::ChargeStatus::Succeeded
        );
        Err(ProcessorError::Unavailable(
            "the connection dropped after the charge".into(),
        ))
    }
    async fn find_by_key(&self, key: &str) -> Result<Option<ChargeOutcome>, ProcessorError> {
        self.0.find_by_key(key).await
    }
    async fn retrieve(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError> {
        self.0.retrieve(payment).await
    }
    async fn authenticate(&self, p: &str, passed: bool) -> Result<ChargeOutcome, ProcessorError> {
        self.0.authenticate(p, passed).await
    }
    async fn cancel(&self, p: &str) -> Result<ChargeOutcome, ProcessorError> {
        self.0.cancel(p).await
    }
    async fn refund(&self, p: &str, a: i64, k: &str) -> Result<RefundOutcome, ProcessorError> {
        self.0.refund(p, a, k).await
    }
    async fn refunds(&self, p: &str) -> Result<Vec<ListedRefund>, ProcessorError> {
        self.0.refunds(p).await
    }
    async fn tick(&self, now: DateTime<Utc>) -> Result<u64, ProcessorError> {
        self.0.tick(now).await
    }
}

/// Acme's billing admin as a service-level actor.
pub(super) async fn acme_billing_admin(app: &TestApp, customer: &str) -> Actor {
    let row = user::Entity::find()
        .filter(user::Column::Email.eq("billing@acme.example"))
        .one(app.app.db.reads())
        .await
        .expect("users")
        .expect("Acme's billing admin");
    Actor::User(AuthenticatedActor {
        user_id: row.id,
        role: Role::BillingAdmin,
        tenant: Some(customer.parse().expect("customer id")),
    })
}

e2e_test!(
    a_crash_after_the_charge_is_resumed_with_the_same_key_and_charges_once,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, SUCCEEDS, true).await;
        let payments = &app.app.services.payments;
        let crashing = payments.with_processor(Arc::new(ChargesThenCrashes(Arc::clone(
            payments.processor(),
        ))));
        let actor = acme_billing_admin(&app, &acme).await;
        let lost = crashing
            .pay_invoice(
                &actor,
                None,
                PayRequest {
                    invoice: invoice.parse().expect("invoice id"),
                    method: None,
                    request_key: None,
                },
            )
            .await;
        let code = lost.as_ref().err().map(|e| format!("{e:?}"));
        assert!(
            code.as_deref()
                .is_some_and(|c| c.contains("did not answer")),
            "the charge's answer was lost: {code:?}"
        );
        // The processor charged; we recorded nothing but the pending attempt.
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(
            (charges.len(), charges[0].status.as_str()),
            (1, "succeeded")
        );
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts.len(), 1);
        assert_eq!(
            attempts[0].status,
            entity::payment_attempt::AttemptStatus::Pending
        );

        // Paying again resumes that attempt: the payment made under its key is found and
        // recorded, nothing is sent again; one charge, the invoice paid.
        let resumed = pay(&billing, &invoice, None, None).await;
        let attempt = &resumed["data"]["payInvoice"]["attempt"];
        assert_eq!(attempt["status"], "SUCCEEDED", "{resumed}");
        assert_eq!(attempt["number"], 1);
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(charges.len(), 1, "one charge");
        assert_eq!(
            charges[0].requests, 1,
            "found under its key, not sent again"
        );
        assert_eq!(payments_of(&app, &invoice).await, 1);
        assert_eq!(attempts_of(&app, &invoice).await.len(), 1);
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        assert_eq!(messages(&app, &acme, MessageKind::PaymentReceipt).await, 1);
    }
);
