//! Payments: the sandbox processor's test cards and IBANs, payment methods, paying an invoice
//! never twice (the caller's key, concurrent payments, a crash between the charge and our
//! commit), automatic collection and dunning on the test clock, receipts and notices, staff's
//! offline payments and refunds, and that no card number or IBAN is kept anywhere.

mod attempts;
mod automatic_payment;
mod browser;
mod collection;
mod demo;
mod expiry;
mod in_flight;
mod methods;
mod owed;
mod sandbox;
mod staff;
mod stripe;
mod stripe_events;
mod stripe_refunds;
mod stripe_ui;
mod webhooks;

use entity::outbox_message::{self, MessageKind};
use entity::{payment, payment_attempt, sandbox_payment};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{Session, TestApp};

/// Stripe's test card that succeeds.
pub const SUCCEEDS: &str = "4242 4242 4242 4242";
/// Stripe's test card that is declined.
pub const DECLINED: &str = "4000 0000 0000 0002";
/// Stripe's test card without the funds.
pub const NO_FUNDS: &str = "4000 0000 0000 9995";
/// Stripe's test card that asks for authentication.
pub const AUTHENTICATES: &str = "4000 0027 6000 3184";
/// Stripe's test IBAN that settles.
pub const IBAN_OK: &str = "DE89 3704 0044 0532 0130 00";
/// Stripe's test IBAN that fails when it settles.
pub const IBAN_FAILS: &str = "DE62370400440532013001";

pub const ADD_CARD: &str = "mutation A($input: AddCardInput!) { addCard(input: $input) {
    paymentMethod { id kind brand last4 expMonth expYear isDefault label } } }";
pub const ADD_SEPA: &str = "mutation A($input: AddSepaDebitInput!) { addSepaDebit(input: $input) {
    paymentMethod { id kind last4 holderName isDefault label } } }";
pub const PAY: &str = "mutation P($input: PayInvoiceInput!) { payInvoice(input: $input) {
    attempt { id number status failureMessage amount { amount } } } }";
pub const CONFIRM: &str = "mutation C($input: ConfirmPaymentAuthenticationInput!) {
    confirmPaymentAuthentication(input: $input) { attempt { id status } } }";

/// `session` adds card `number` (expiring in three years) to `customer`; the answer.
pub async fn add_card(session: &Session<'_>, customer: &str, number: &str, default: bool) -> Value {
    session
        .graphql(
            ADD_CARD,
            json!({ "input": { "customerId": customer, "number": number, "expMonth": 12,
                "expYear": 2040, "cvc": "123", "makeDefault": default } }),
        )
        .await
}

/// Like [`add_card`], which must succeed; the method's id.
pub async fn card(session: &Session<'_>, customer: &str, number: &str, default: bool) -> String {
    let body = add_card(session, customer, number, default).await;
    body["data"]["addCard"]["paymentMethod"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("card {number} added: {body}"))
        .to_owned()
}

/// `session` pays `invoice` with `method` (the default when `None`) and `key`; the answer.
pub async fn pay(
    session: &Session<'_>,
    invoice: &str,
    method: Option<&str>,
    key: Option<&str>,
) -> Value {
    session
        .graphql(
            PAY,
            json!({ "input": { "invoiceId": invoice, "paymentMethodId": method,
                "idempotencyKey": key } }),
        )
        .await
}

/// Bills the demo's next period and returns the open invoice of `organisation` (its id) and
/// the organisation's id.
pub async fn open_invoice(app: &TestApp, organisation: &str) -> (String, String) {
    tests::bill_demo_next_period(app).await;
    invoice_of(app, organisation).await
}

/// The newest invoice of `organisation` and the organisation's id.
pub async fn invoice_of(app: &TestApp, organisation: &str) -> (String, String) {
    let staff = app.as_staff().await;
    let customer = staff.customer_id(organisation).await;
    let data: Value = staff
        .data(
            "invoices",
            "query I($id: ID!) { customer(id: $id) { invoices(first: 1) { nodes { id status } } } }",
            json!({ "id": customer }),
        )
        .await;
    let id = data["customer"]["invoices"]["nodes"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{organisation} has an invoice: {data}"))
        .to_owned();
    (id, customer)
}

/// An invoice's status and payment history as `session` reads it.
pub async fn history(session: &Session<'_>, invoice: &str) -> Value {
    let data: Value = session
        .data(
            "invoice",
            "query I($id: ID!) { viewer { organisation { invoice(id: $id) { status
                amountDue { amount } amountPaid { amount } amountRemaining { amount }
                paymentHistory { outstanding { amount }
                attempts { id number status automatic failureCode failureMessage }
                payments { id kind amount { amount } refunded { amount } method reference }
                refunds { id status amount { amount } }
                dunning { failures state nextAttemptAt lastFailure } } } } } }",
            json!({ "id": invoice }),
        )
        .await;
    data["viewer"]["organisation"]["invoice"].clone()
}

/// Staff's view of an invoice's status (any organisation).
pub async fn status(app: &TestApp, customer: &str, invoice: &str) -> String {
    let data: Value = app
        .as_staff()
        .await
        .data(
            "invoice status",
            "query I($c: ID!, $i: ID!) { customer(id: $c) { invoice(id: $i) { status } } }",
            json!({ "c": customer, "i": invoice }),
        )
        .await;
    data["customer"]["invoice"]["status"]
        .as_str()
        .unwrap_or_else(|| panic!("invoice status: {data}"))
        .to_owned()
}

/// Payments recorded for `invoice`.
pub async fn payments_of(app: &TestApp, invoice: &str) -> u64 {
    let id: ids::InvoiceId = invoice.parse().expect("invoice id");
    payment::Entity::find()
        .filter(payment::Column::InvoiceId.eq(id))
        .count(app.app.db.reads())
        .await
        .expect("payments")
}

/// Attempts made for `invoice`.
pub async fn attempts_of(app: &TestApp, invoice: &str) -> Vec<payment_attempt::Model> {
    let id: ids::InvoiceId = invoice.parse().expect("invoice id");
    payment_attempt::Entity::find()
        .filter(payment_attempt::Column::InvoiceId.eq(id))
        .all(app.app.db.reads())
        .await
        .expect("attempts")
}

/// The sandbox's payments made with `invoice`'s attempt keys: what the processor charged.
pub async fn sandbox_charges(app: &TestApp, invoice: &str) -> Vec<sandbox_payment::Model> {
    sandbox_payment::Entity::find()
        .filter(sandbox_payment::Column::IdempotencyKey.starts_with(format!("{invoice}:")))
        .all(app.app.db.reads())
        .await
        .expect("sandbox payments")
}

/// Messages of `kind` queued for `customer`.
pub async fn messages(app: &TestApp, customer: &str, kind: MessageKind) -> u64 {
    let id: ids::CustomerId = customer.parse().expect("customer id");
    outbox_message::Entity::find()
        .filter(outbox_message::Column::CustomerId.eq(id))
        .filter(outbox_message::Column::Kind.eq(kind))
        .count(app.app.db.reads())
        .await
        .expect("outbox")
}

/// Where a [`Faulty`] processor loses the answer of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// It answers normally.
    None,
    /// It fails as unreachable before the real processor is called: nothing happened there.
    Before,
    /// The real processor does it, then the answer is lost (`Unavailable`).
    After,
}

/// The sandbox with lost answers: what a crash or a timeout around a charge or a refund looks
/// like from our side.
pub struct Faulty {
    /// The real processor.
    pub inner: std::sync::Arc<dyn api::services::payments::processor::PaymentProcessor>,
    /// What happens to charges.
    pub charge: Fault,
    /// What happens to refunds.
    pub refund: Fault,
}

mod faulty {
    use api::services::payments::processor::{
        AttachedMethod, CardDetails, ChargeOutcome, ChargeRequest, ListedRefund, MandateState,
        PaymentProcessor, ProcessorError, RefundOutcome, SepaDetails,
    };
    use chrono::{DateTime, Utc};

    use super::{Fault, Faulty};

    fn lost(what: &str) -> ProcessorError {
        ProcessorError::Unavailable(format!("the connection dropped around the {what}"))
    }

    #[async_trait::async_trait]
    impl PaymentProcessor for Faulty {
        fn name(&self) -> &'static str {
            self.inner.name()
        }
        async fn create_customer(
            &self,
            c: ids::CustomerId,
            e: &str,
        ) -> Result<String, ProcessorError> {
            self.inner.create_customer(c, e).await
        }
        async fn attach_card(
            &self,
            customer: &str,
            card: &CardDetails,
            now: DateTime<Utc>,
        ) -> Result<AttachedMethod, ProcessorError> {
            self.inner.attach_card(customer, card, now).await
        }
        async fn attach_sepa_debit(
            &self,
            customer: &str,
            account: &SepaDetails,
        ) -> Result<AttachedMethod, ProcessorError> {
            self.inner.attach_sepa_debit(customer, account).await
        }
        async fn detach(&self, method: &str) -> Result<(), ProcessorError> {
            self.inner.detach(method).await
        }
        async fn charge(
            &self,
            request: &ChargeRequest<'_>,
        ) -> Result<ChargeOutcome, ProcessorError> {
            match self.charge {
                Fault::None => self.inner.charge(request).await,
                Fault::Before => Err(lost("charge")),
                Fault::After => {
                    self.inner.charge(request).await?;
                    Err(lost("charge"))
                }
            }
        }
        async fn find_by_key(&self, key: &str) -> Result<Option<ChargeOutcome>, ProcessorError> {
            self.inner.find_by_key(key).await
        }
        async fn retrieve(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError> {
            self.inner.retrieve(payment).await
        }
        async fn authenticate(
            &self,
            p: &str,
            passed: bool,
        ) -> Result<ChargeOutcome, ProcessorError> {
            self.inner.authenticate(p, passed).await
        }
        async fn cancel(&self, p: &str) -> Result<ChargeOutcome, ProcessorError> {
            self.inner.cancel(p).await
        }
        async fn refund(&self, p: &str, a: i64, k: &str) -> Result<RefundOutcome, ProcessorError> {
            match self.refund {
                Fault::None => self.inner.refund(p, a, k).await,
                Fault::Before => Err(lost("refund")),
                Fault::After => {
                    self.inner.refund(p, a, k).await?;
                    Err(lost("refund"))
                }
            }
        }
        async fn refunds(&self, p: &str) -> Result<Vec<ListedRefund>, ProcessorError> {
            self.inner.refunds(p).await
        }
        async fn mandate(&self, m: &str) -> Result<MandateState, ProcessorError> {
            self.inner.mandate(m).await
        }
        async fn tick(&self, now: DateTime<Utc>) -> Result<u64, ProcessorError> {
            self.inner.tick(now).await
        }
    }
}
