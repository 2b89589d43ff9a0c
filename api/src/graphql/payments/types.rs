//! GraphQL types of payments. No type carries a card number, CVC or IBAN: only the brand, the
//! last four characters and the expiry the processor told us.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::invoice_collection::{self, CollectionState};
use entity::payment_attempt::{self, AttemptStatus};
use entity::payment_method::{self, MethodKind};
use entity::{payment, refund};

use crate::graphql::context::ContextExt;
use crate::graphql::money::Money;
use crate::services::payments::{InvoicePayments, method_label};

fn money(minor: i64, currency: &str) -> async_graphql::Result<Money> {
    let currency = crate::services::catalog::rows::currency(currency)?;
    Ok(Money(billing::Money::from_minor(minor, currency)))
}

/// What kind of payment method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum PaymentMethodKind {
    /// A payment card.
    Card,
    /// A bank account debited by SEPA Direct Debit.
    SepaDebit,
}

/// A card or bank account the organisation pays with, held at the processor.
pub struct PaymentMethod(pub payment_method::Model);

#[Object]
impl PaymentMethod {
    /// Opaque id (`pm_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Card or SEPA Direct Debit.
    async fn kind(&self) -> PaymentMethodKind {
        match self.0.kind {
            MethodKind::Card => PaymentMethodKind::Card,
            MethodKind::SepaDebit => PaymentMethodKind::SepaDebit,
        }
    }
    /// Card brand (`visa`); null for a bank account.
    async fn brand(&self) -> Option<&str> {
        self.0.brand.as_deref()
    }
    /// Last four digits of the card, or characters of the IBAN.
    async fn last4(&self) -> &str {
        &self.0.last4
    }
    /// Card expiry month (1–12); null for a bank account.
    async fn exp_month(&self) -> Option<i32> {
        self.0.exp_month
    }
    /// Card expiry year; null for a bank account.
    async fn exp_year(&self) -> Option<i32> {
        self.0.exp_year
    }
    /// The account holder of a bank account.
    async fn holder_name(&self) -> Option<&str> {
        self.0.holder_name.as_deref()
    }
    /// As a person reads it: `Visa •••• 4242`, `SEPA Direct Debit •••• 3000`.
    async fn label(&self) -> String {
        method_label(&self.0)
    }
    /// The one method automatic collection charges.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    /// When it was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Where a payment attempt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum PaymentAttemptStatus {
    /// Sent to the processor; its answer is not recorded yet.
    Pending,
    /// Accepted, settles later (a direct debit).
    Processing,
    /// Waits for the customer to authenticate it.
    RequiresAction,
    /// Money collected.
    Succeeded,
    /// Refused: `failureMessage` says why.
    Failed,
}

/// One attempt to collect an invoice through the processor.
pub struct PaymentAttempt(pub payment_attempt::Model);

#[Object]
impl PaymentAttempt {
    /// Opaque id (`patt_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The invoice (`inv_…`).
    async fn invoice_id(&self) -> ID {
        self.0.invoice_id.into()
    }
    /// 1 for the invoice's first attempt, then 2, …
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// Where it is.
    async fn status(&self) -> PaymentAttemptStatus {
        match self.0.status {
            AttemptStatus::Pending => PaymentAttemptStatus::Pending,
            AttemptStatus::Processing => PaymentAttemptStatus::Processing,
            AttemptStatus::RequiresAction => PaymentAttemptStatus::RequiresAction,
            AttemptStatus::Succeeded => PaymentAttemptStatus::Succeeded,
            AttemptStatus::Failed => PaymentAttemptStatus::Failed,
        }
    }
    /// The amount asked.
    async fn amount(&self) -> async_graphql::Result<Money> {
        money(self.0.amount_minor, &self.0.currency)
    }
    /// The method charged, as a person reads it.
    async fn method(&self) -> &str {
        &self.0.method_label
    }
    /// Whether it was automatic collection (the customer not present).
    async fn automatic(&self) -> bool {
        self.0.off_session
    }
    /// The processor's code of a refusal (`card_declined`, `insufficient_funds`, …).
    async fn failure_code(&self) -> Option<&str> {
        self.0.failure_code.as_deref()
    }
    /// A refusal as a person understands it ("Your card was declined.").
    async fn failure_message(&self) -> Option<&str> {
        self.0.failure_message.as_deref()
    }
    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// What the browser needs to authenticate it with the processor's script (Stripe.js
    /// `handleNextAction`) while it waits for authentication: for the organisation's owners
    /// and billing admins and staff, with Stripe; null otherwise (the sandbox shows its own
    /// page).
    async fn authentication(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<PaymentAuthentication>> {
        let found = ctx
            .services()
            .payments
            .browser_authentication(ctx.actor(), self.0.id)
            .await?;
        Ok(found.map(|a| PaymentAuthentication {
            client_secret: a.client_secret.expose().to_owned(),
            publishable_key: a.publishable_key,
        }))
    }
}

/// What Stripe.js needs to authenticate a payment in the customer's browser.
#[derive(SimpleObject)]
pub struct PaymentAuthentication {
    /// The PaymentIntent's client secret.
    pub client_secret: String,
    /// The processor's publishable key (`pk_…`), public by design.
    pub publishable_key: String,
}

/// How money was received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum PaymentKind {
    /// Collected by the processor.
    Processor,
    /// Recorded by staff (a bank transfer, a cheque).
    Offline,
}

/// Money received for an invoice.
pub struct Payment(pub payment::Model);

#[Object]
impl Payment {
    /// Opaque id (`pay_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The invoice paid (`inv_…`).
    async fn invoice_id(&self) -> ID {
        self.0.invoice_id.into()
    }
    /// Processor or offline.
    async fn kind(&self) -> PaymentKind {
        match self.0.kind {
            payment::PaymentKind::Processor => PaymentKind::Processor,
            payment::PaymentKind::Offline => PaymentKind::Offline,
        }
    }
    /// The amount received.
    async fn amount(&self) -> async_graphql::Result<Money> {
        money(self.0.amount_minor, &self.0.currency)
    }
    /// What was given back of it so far.
    async fn refunded(&self) -> async_graphql::Result<Money> {
        money(self.0.refunded_minor, &self.0.currency)
    }
    /// How it was paid (`Visa •••• 4242`, `Bank transfer`).
    async fn method(&self) -> &str {
        &self.0.method_text
    }
    /// The reference staff gave (a transfer's).
    async fn reference(&self) -> Option<&str> {
        self.0.reference.as_deref()
    }
    /// When it was received.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Where a refund is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum RefundStatus {
    /// Sent to the processor, not confirmed yet.
    Pending,
    /// Given back.
    Succeeded,
    /// Refused by the processor.
    Failed,
}

/// Money given back on a payment.
pub struct Refund(pub refund::Model);

#[Object]
impl Refund {
    /// Opaque id (`rfd_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The payment (`pay_…`).
    async fn payment_id(&self) -> ID {
        self.0.payment_id.into()
    }
    /// The amount.
    async fn amount(&self) -> async_graphql::Result<Money> {
        money(self.0.amount_minor, &self.0.currency)
    }
    /// Where it is.
    async fn status(&self) -> RefundStatus {
        match self.0.status {
            refund::RefundStatus::Pending => RefundStatus::Pending,
            refund::RefundStatus::Succeeded => RefundStatus::Succeeded,
            refund::RefundStatus::Failed => RefundStatus::Failed,
        }
    }
    /// Why it was given.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Where automatic collection of an invoice stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum DunningState {
    /// Another automatic attempt is due at `nextAttemptAt`.
    Scheduled,
    /// Every retry failed: no more automatic attempts.
    Exhausted,
}

/// An invoice whose automatic collection failed.
pub struct Dunning(pub invoice_collection::Model);

#[Object]
impl Dunning {
    /// The invoice (`inv_…`).
    async fn invoice_id(&self) -> ID {
        self.0.invoice_id.into()
    }
    /// Its organisation (`cus_…`).
    async fn customer_id(&self) -> ID {
        self.0.customer_id.into()
    }
    /// Automatic attempts that failed.
    async fn failures(&self) -> i32 {
        self.0.failures
    }
    /// Scheduled or exhausted.
    async fn state(&self) -> DunningState {
        match self.0.state {
            CollectionState::Scheduled => DunningState::Scheduled,
            CollectionState::Exhausted => DunningState::Exhausted,
        }
    }
    /// When the next automatic attempt is due (when retries gave up, once exhausted).
    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }
    /// The last refusal, as a person understands it.
    async fn last_failure(&self) -> Option<&str> {
        self.0.last_failure.as_deref()
    }
    /// The invoice.
    async fn invoice(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::graphql::invoices::types::Invoice> {
        let stored = ctx
            .services()
            .invoices
            .get(ctx.actor(), self.0.customer_id, self.0.invoice_id)
            .await?;
        Ok(crate::graphql::invoices::types::Invoice(stored))
    }
}

/// An invoice's payments: attempts, money received, refunds, and its dunning.
pub struct InvoicePaymentHistory(pub InvoicePayments, pub String);

#[Object]
impl InvoicePaymentHistory {
    /// Attempts to collect it through the processor, oldest first.
    async fn attempts(&self) -> Vec<PaymentAttempt> {
        self.0
            .attempts
            .iter()
            .cloned()
            .map(PaymentAttempt)
            .collect()
    }
    /// Money received for it, oldest first.
    async fn payments(&self) -> Vec<Payment> {
        self.0.payments.iter().cloned().map(Payment).collect()
    }
    /// Refunds of those payments, oldest first.
    async fn refunds(&self) -> Vec<Refund> {
        self.0.refunds.iter().cloned().map(Refund).collect()
    }
    /// What it still asks for: the amount due less what payments settled (the invoice's
    /// `amountRemaining`); zero unless open.
    async fn outstanding(&self) -> async_graphql::Result<Money> {
        money(self.0.outstanding_minor, &self.1)
    }
    /// Its automatic collection, once an automatic attempt failed.
    async fn dunning(&self) -> Option<Dunning> {
        self.0.collection.clone().map(Dunning)
    }
}
