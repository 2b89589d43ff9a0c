//! Saving a method with the processor's own form (Stripe's Payment Element), and what the
//! customer's browser needs to authenticate a payment with the processor's script: the
//! client secrets, which only the organisation's owners, billing admins and staff receive.
//! Card and account details never reach Billfold.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::types::PaymentMethod;
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::payments::processor::SetupKind;

/// The kind of method a setup saves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum PaymentMethodSetupKind {
    /// A payment card.
    Card,
    /// A bank account debited by SEPA Direct Debit (with its mandate).
    SepaDebit,
}

/// Input of `beginPaymentMethodSetup`.
#[derive(InputObject)]
pub struct BeginPaymentMethodSetupInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// A card or a SEPA Direct Debit account.
    pub kind: PaymentMethodSetupKind,
}

/// Result of `beginPaymentMethodSetup`: what Stripe.js needs to mount the Payment Element.
#[derive(SimpleObject)]
pub struct BeginPaymentMethodSetupPayload {
    /// The processor's setup (`seti_…`), to pass to `completePaymentMethodSetup`.
    pub setup_intent_id: ID,
    /// The SetupIntent's client secret: it lets the browser finish this one setup only.
    pub client_secret: String,
    /// The processor's publishable key (`pk_…`), public by design.
    pub publishable_key: String,
}

/// Input of `completePaymentMethodSetup`.
#[derive(InputObject)]
pub struct CompletePaymentMethodSetupInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// The setup the browser finished (`seti_…`, from Stripe's return URL).
    pub setup_intent_id: ID,
}

/// Result of `completePaymentMethodSetup`.
#[derive(SimpleObject)]
pub struct CompletePaymentMethodSetupPayload {
    /// The method saved (the same one however often the setup is completed).
    pub payment_method: PaymentMethod,
}

/// Setup mutations.
#[derive(Default)]
pub struct PaymentSetupMutation;

#[Object]
impl PaymentSetupMutation {
    /// Starts saving a card or SEPA Direct Debit account with the processor's own form
    /// (owners, billing admins, staff): a SetupIntent's client secret and the publishable key
    /// for Stripe.js. With the sandbox processor, which takes details in `addCard` and
    /// `addSepaDebit`, it answers `CONFLICT` (`PROCESSOR_FORM_UNAVAILABLE`).
    async fn begin_payment_method_setup(
        &self,
        ctx: &Context<'_>,
        input: BeginPaymentMethodSetupInput,
    ) -> Result<BeginPaymentMethodSetupPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let kind = match input.kind {
            PaymentMethodSetupKind::Card => SetupKind::Card,
            PaymentMethodSetupKind::SepaDebit => SetupKind::SepaDebit,
        };
        let begun = ctx
            .services()
            .payments
            .begin_setup(ctx.actor(), customer, kind)
            .await?;
        Ok(BeginPaymentMethodSetupPayload {
            setup_intent_id: begun.session.reference.into(),
            client_secret: begun.session.client_secret.expose().to_owned(),
            publishable_key: begun.publishable_key,
        })
    }

    /// Records the method a setup saved, as the processor reports it (asked again, never
    /// taken from the browser); once, whether the page or the processor's webhook comes
    /// first. `NOT_FOUND` for a setup another organisation started or the processor does not
    /// know (and for any with the sandbox, which has none); `CONFLICT`
    /// (`SETUP_NOT_FINISHED`) while the customer has not finished it.
    async fn complete_payment_method_setup(
        &self,
        ctx: &Context<'_>,
        input: CompletePaymentMethodSetupInput,
    ) -> Result<CompletePaymentMethodSetupPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let setup = input.setup_intent_id.as_str();
        let row = ctx
            .services()
            .payments
            .record_setup(ctx.actor(), ctx.request_id(), customer, setup)
            .await?;
        Ok(CompletePaymentMethodSetupPayload {
            payment_method: PaymentMethod(row),
        })
    }
}
