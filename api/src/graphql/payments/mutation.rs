//! Payments mutations: methods (owners, billing admins, staff), paying an invoice and
//! authenticating a payment (the same), and staff's offline payments, refunds and retries.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::{Payment, PaymentAttempt, PaymentMethod, Refund};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::payments::attempts::PayRequest;
use crate::services::payments::methods::NewMethod;
use crate::services::payments::processor::{CardDetails, Sensitive, SepaDetails};
use crate::services::payments::staff::OfflinePayment;

/// Input of `addCard`. The sandbox processor takes the card here; its number and CVC are never
/// stored, logged or returned (with Stripe, the card goes to Stripe from the browser instead).
#[derive(InputObject)]
pub struct AddCardInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// The card number; spaces allowed. The sandbox takes Stripe's test cards.
    #[graphql(secret)]
    pub number: String,
    /// Expiry month, 1–12.
    pub exp_month: u32,
    /// Expiry year, four digits.
    pub exp_year: i32,
    /// The 3 or 4 digit security code.
    #[graphql(secret)]
    pub cvc: String,
    /// Make it the default (the first method always is).
    #[graphql(default)]
    pub make_default: bool,
}

/// Input of `addSepaDebit`.
#[derive(InputObject)]
pub struct AddSepaDebitInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// The IBAN; spaces allowed. Only its last four characters are kept.
    #[graphql(secret)]
    pub iban: String,
    /// The account holder.
    pub holder_name: String,
    /// Make it the default (the first method always is).
    #[graphql(default)]
    pub make_default: bool,
}

/// Result of `addCard` and `addSepaDebit`.
#[derive(SimpleObject)]
pub struct AddPaymentMethodPayload {
    /// The method added.
    pub payment_method: PaymentMethod,
}

/// Input of `setDefaultPaymentMethod`.
#[derive(InputObject)]
pub struct SetDefaultPaymentMethodInput {
    /// The method (`pm_…`).
    pub payment_method_id: ID,
}

/// Result of `setDefaultPaymentMethod`.
#[derive(SimpleObject)]
pub struct SetDefaultPaymentMethodPayload {
    /// The new default.
    pub payment_method: PaymentMethod,
}

/// Input of `removePaymentMethod`.
#[derive(InputObject)]
pub struct RemovePaymentMethodInput {
    /// The method (`pm_…`).
    pub payment_method_id: ID,
}

/// Result of `removePaymentMethod`.
#[derive(SimpleObject)]
pub struct RemovePaymentMethodPayload {
    /// The id of the method removed.
    pub removed_payment_method_id: ID,
}

/// Input of `payInvoice`.
#[derive(InputObject)]
pub struct PayInvoiceInput {
    /// The open invoice (`inv_…`).
    pub invoice_id: ID,
    /// The method (`pm_…`); the organisation's default when left out.
    pub payment_method_id: Option<ID>,
    /// The same key answers the first attempt again instead of paying twice.
    pub idempotency_key: Option<String>,
}

/// Result of `payInvoice`, `confirmPaymentAuthentication` and `retryInvoicePayment`.
#[derive(SimpleObject)]
pub struct PaymentAttemptPayload {
    /// The attempt: succeeded, processing (a direct debit) or waiting for authentication.
    pub attempt: PaymentAttempt,
}

/// Input of `confirmPaymentAuthentication`.
#[derive(InputObject)]
pub struct ConfirmPaymentAuthenticationInput {
    /// The attempt waiting for authentication (`patt_…`).
    pub attempt_id: ID,
    /// Whether the customer passed the authentication (the sandbox's two buttons).
    pub passed: bool,
}

/// Input of `recordOfflinePayment`.
#[derive(InputObject)]
pub struct RecordOfflinePaymentInput {
    /// The open invoice (`inv_…`).
    pub invoice_id: ID,
    /// Decimal text in the invoice's currency, at most what it still asks for.
    pub amount: String,
    /// How it was paid (`Bank transfer`), 1 to 200 characters.
    pub method: String,
    /// Its reference, at most 200 characters.
    pub reference: Option<String>,
    /// The same key answers the first payment again.
    pub idempotency_key: Option<String>,
}

/// Result of `recordOfflinePayment`.
#[derive(SimpleObject)]
pub struct RecordOfflinePaymentPayload {
    /// The payment recorded.
    pub payment: Payment,
}

/// Input of `refundPayment`.
#[derive(InputObject)]
pub struct RefundPaymentInput {
    /// The payment (`pay_…`).
    pub payment_id: ID,
    /// Decimal text, at most what was paid less what was refunded.
    pub amount: String,
    /// Why, at most 500 characters.
    pub reason: Option<String>,
    /// The same key answers the first refund again (and sends it again while its outcome is
    /// unknown); the same key with another amount or reason is `CONFLICT`.
    pub idempotency_key: Option<String>,
}

/// Result of `refundPayment`.
#[derive(SimpleObject)]
pub struct RefundPaymentPayload {
    /// The refund.
    pub refund: Refund,
}

/// Input of `retryInvoicePayment`.
#[derive(InputObject)]
pub struct RetryInvoicePaymentInput {
    /// The open invoice (`inv_…`).
    pub invoice_id: ID,
}

/// Payments mutations.
#[derive(Default)]
pub struct PaymentsMutation;

#[Object]
impl PaymentsMutation {
    /// Adds a card to an organisation (its owners and billing admins, staff). A number the
    /// processor refuses answers `BAD_USER_INPUT` with `extensions.reason` `INVALID_CARD` (on
    /// `input.number`), `CARD_EXPIRED` or `INVALID_CVC`; a 21st method `CONFLICT`
    /// (`TOO_MANY_PAYMENT_METHODS`).
    async fn add_card(
        &self,
        ctx: &Context<'_>,
        input: AddCardInput,
    ) -> Result<AddPaymentMethodPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let card = CardDetails {
            number: Sensitive::new(input.number),
            exp_month: input.exp_month,
            exp_year: input.exp_year,
            cvc: Sensitive::new(input.cvc),
        };
        let row = ctx
            .services()
            .payments
            .add_method(
                ctx.actor(),
                ctx.request_id(),
                customer,
                NewMethod::Card(card),
                input.make_default,
            )
            .await?;
        Ok(AddPaymentMethodPayload {
            payment_method: PaymentMethod(row),
        })
    }

    /// Adds a bank account for SEPA Direct Debit (its owners and billing admins, staff). An
    /// IBAN whose check digits are wrong answers `BAD_USER_INPUT` (`INVALID_IBAN`, on
    /// `input.iban`); a 21st method `CONFLICT` (`TOO_MANY_PAYMENT_METHODS`).
    async fn add_sepa_debit(
        &self,
        ctx: &Context<'_>,
        input: AddSepaDebitInput,
    ) -> Result<AddPaymentMethodPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let account = SepaDetails {
            iban: Sensitive::new(input.iban),
            holder_name: input.holder_name,
        };
        let row = ctx
            .services()
            .payments
            .add_method(
                ctx.actor(),
                ctx.request_id(),
                customer,
                NewMethod::SepaDebit(account),
                input.make_default,
            )
            .await?;
        Ok(AddPaymentMethodPayload {
            payment_method: PaymentMethod(row),
        })
    }

    /// Makes a method its organisation's default, the one automatic collection charges.
    async fn set_default_payment_method(
        &self,
        ctx: &Context<'_>,
        input: SetDefaultPaymentMethodInput,
    ) -> Result<SetDefaultPaymentMethodPayload> {
        let id = parse_id(&input.payment_method_id, "input.paymentMethodId")?;
        let row = ctx
            .services()
            .payments
            .set_default(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(SetDefaultPaymentMethodPayload {
            payment_method: PaymentMethod(row),
        })
    }

    /// Removes a method. Refused (`CONFLICT`, `DEFAULT_METHOD_IN_USE`) while it is the default
    /// and an open invoice with an amount due relies on it.
    async fn remove_payment_method(
        &self,
        ctx: &Context<'_>,
        input: RemovePaymentMethodInput,
    ) -> Result<RemovePaymentMethodPayload> {
        let id = parse_id(&input.payment_method_id, "input.paymentMethodId")?;
        let row = ctx
            .services()
            .payments
            .remove_method(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(RemovePaymentMethodPayload {
            removed_payment_method_id: row.id.into(),
        })
    }

    /// Pays an open invoice now (its owners and billing admins, staff). A refusal answers
    /// `PAYMENT_FAILED` with a message a person understands and `extensions.declineCode`;
    /// another payment of the invoice under way answers `CONFLICT` (`PAYMENT_IN_FLIGHT`). The
    /// same `idempotencyKey` answers the first attempt again, which may still be `PENDING` (being
    /// processed: read the invoice again in a moment); with another payment method it is
    /// `CONFLICT` (`IDEMPOTENCY_KEY_REUSED`).
    async fn pay_invoice(
        &self,
        ctx: &Context<'_>,
        input: PayInvoiceInput,
    ) -> Result<PaymentAttemptPayload> {
        let invoice = parse_id(&input.invoice_id, "input.invoiceId")?;
        let method = input
            .payment_method_id
            .as_ref()
            .map(|id| parse_id(id, "input.paymentMethodId"))
            .transpose()?;
        let row = ctx
            .services()
            .payments
            .pay_invoice(
                ctx.actor(),
                ctx.request_id(),
                PayRequest {
                    invoice,
                    method,
                    request_key: input.idempotency_key,
                },
            )
            .await?;
        Ok(PaymentAttemptPayload {
            attempt: PaymentAttempt(row),
        })
    }

    /// The customer's answer to a payment's authentication request: passed (the payment goes
    /// on) or failed (`PAYMENT_FAILED`).
    async fn confirm_payment_authentication(
        &self,
        ctx: &Context<'_>,
        input: ConfirmPaymentAuthenticationInput,
    ) -> Result<PaymentAttemptPayload> {
        let id = parse_id(&input.attempt_id, "input.attemptId")?;
        let row = ctx
            .services()
            .payments
            .confirm_authentication(ctx.actor(), ctx.request_id(), id, input.passed)
            .await?;
        Ok(PaymentAttemptPayload {
            attempt: PaymentAttempt(row),
        })
    }

    /// Records money received outside the processor (operator staff); the invoice is paid once
    /// it covers what the invoice asks for.
    async fn record_offline_payment(
        &self,
        ctx: &Context<'_>,
        input: RecordOfflinePaymentInput,
    ) -> Result<RecordOfflinePaymentPayload> {
        let invoice = parse_id(&input.invoice_id, "input.invoiceId")?;
        let row = ctx
            .services()
            .payments
            .record_offline(
                ctx.actor(),
                ctx.request_id(),
                OfflinePayment {
                    invoice,
                    amount: input.amount,
                    method: input.method,
                    reference: input.reference,
                    request_key: input.idempotency_key,
                },
            )
            .await?;
        Ok(RecordOfflinePaymentPayload {
            payment: Payment(row),
        })
    }

    /// Refunds part or all of a payment (operator staff), through the processor for processor
    /// payments: at most what was paid less what was refunded (`REFUND_TOO_LARGE`). A lost
    /// processor answer is `REFUND_UNCONFIRMED`: send it again with the same `idempotencyKey`;
    /// another refund of the payment meanwhile is `REFUND_IN_FLIGHT`.
    async fn refund_payment(
        &self,
        ctx: &Context<'_>,
        input: RefundPaymentInput,
    ) -> Result<RefundPaymentPayload> {
        let id = parse_id(&input.payment_id, "input.paymentId")?;
        let row = ctx
            .services()
            .payments
            .refund(
                ctx.actor(),
                ctx.request_id(),
                id,
                &input.amount,
                input.reference_reason(),
                input.idempotency_key.as_deref(),
            )
            .await?;
        Ok(RefundPaymentPayload {
            refund: Refund(row),
        })
    }

    /// Charges an open invoice now with its organisation's default method, as automatic
    /// collection would (operator staff); a failure counts in its dunning.
    async fn retry_invoice_payment(
        &self,
        ctx: &Context<'_>,
        input: RetryInvoicePaymentInput,
    ) -> Result<PaymentAttemptPayload> {
        let invoice = parse_id(&input.invoice_id, "input.invoiceId")?;
        let row = ctx
            .services()
            .payments
            .retry_now(ctx.actor(), ctx.request_id(), invoice)
            .await?;
        Ok(PaymentAttemptPayload {
            attempt: PaymentAttempt(row),
        })
    }
}

impl RefundPaymentInput {
    fn reference_reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}
