//! The `PaymentProcessor` trait: the only door to money movement. Everything else in Billfold
//! talks about payments through our tables; only an implementation of this trait creates
//! customers and methods at a processor, charges and refunds.
//!
//! Implementations: [`super::sandbox::SandboxProcessor`] (the default: Stripe's test numbers,
//! kept in our database). A Stripe implementation (async-stripe) fits the same shape: method
//! and payment references are opaque strings, a charge may answer `Processing` and settle later
//! (a webhook, or [`PaymentProcessor::retrieve`]), and every charge and refund carries an
//! idempotency key the processor dedupes on.

use std::fmt;

use chrono::{DateTime, Utc};

/// A value that must never be stored, logged or returned: a card number, a CVC, an IBAN.
/// Its `Debug` is redacted and it has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive(String);

impl Sensitive {
    /// Wraps a sensitive value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that checks it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Card details as typed by the customer (sandbox only: with Stripe, the Payment Element
/// sends them to Stripe and our server never sees them).
#[derive(Clone, Debug)]
pub struct CardDetails {
    /// The card number, spaces allowed.
    pub number: Sensitive,
    /// Expiry month, 1–12.
    pub exp_month: u32,
    /// Expiry year, four digits.
    pub exp_year: i32,
    /// The security code.
    pub cvc: Sensitive,
}

/// A bank account for SEPA Direct Debit.
#[derive(Clone, Debug)]
pub struct SepaDetails {
    /// The IBAN, spaces allowed.
    pub iban: Sensitive,
    /// The account holder.
    pub holder_name: String,
}

/// A method the processor attached to a customer: its reference and what a person recognises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachedMethod {
    /// The processor's opaque reference.
    pub reference: String,
    /// Card brand (`visa`), none for a bank account.
    pub brand: Option<String>,
    /// Last four digits or characters.
    pub last4: String,
    /// Card expiry month.
    pub exp_month: Option<i32>,
    /// Card expiry year.
    pub exp_year: Option<i32>,
}

/// A setup started at the processor for the customer's browser to finish with the
/// processor's own form (Stripe's SetupIntent and Payment Element): the card or account
/// goes from the browser to the processor, never through our server.
#[derive(Clone, Debug)]
pub struct SetupSession {
    /// The processor's setup reference (`seti_…`).
    pub reference: String,
    /// The secret the browser's form needs; it lets the form finish this one setup only.
    pub client_secret: Sensitive,
}

/// The kind of method a finished setup saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupKind {
    /// A card.
    Card,
    /// A SEPA Direct Debit mandate.
    SepaDebit,
}

/// A setup the customer finished: the method it saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupOutcome {
    /// The processor's customer the method is attached to.
    pub customer: String,
    /// Our customer's id as the setup recorded it when it was started.
    pub our_customer: Option<String>,
    /// Card or SEPA Direct Debit.
    pub kind: SetupKind,
    /// The method.
    pub method: AttachedMethod,
    /// The account holder (SEPA Direct Debit).
    pub holder_name: Option<String>,
}

/// A charge to make.
#[derive(Clone, Debug)]
pub struct ChargeRequest<'a> {
    /// The processor's customer.
    pub customer: &'a str,
    /// The processor's payment method.
    pub method: &'a str,
    /// Minor units.
    pub amount_minor: i64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: &'a str,
    /// The same key always answers the same payment.
    pub idempotency_key: &'a str,
    /// Whether the customer is absent (automatic collection): a card that wants
    /// authentication then fails instead of waiting for it.
    pub off_session: bool,
}

/// Where a payment is, as the processor says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChargeStatus {
    /// Money collected.
    Succeeded,
    /// Accepted, settles later (SEPA Direct Debit).
    Processing,
    /// The customer must authenticate (3-D Secure) before it goes on.
    RequiresAction,
    /// Refused.
    Failed {
        /// Stable code (`card_declined`, `insufficient_funds`…).
        code: String,
        /// What a person understands ("Your card was declined.").
        message: String,
    },
}

/// A payment at the processor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeOutcome {
    /// The processor's payment reference.
    pub payment: String,
    /// Where it is.
    pub status: ChargeStatus,
    /// What it is for, as the processor says (Stripe); `None` when the processor did not say
    /// (the sandbox, a refusal without its payment).
    pub charged: Option<Charged>,
}

/// What a payment at the processor is for: compared with the attempt before a success
/// reported by a webhook is believed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charged {
    /// Minor units.
    pub amount_minor: i64,
    /// ISO 4217, upper case (`EUR`).
    pub currency: String,
    /// The processor's customer charged, if any.
    pub customer: Option<String>,
}

/// A refund at the processor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundOutcome {
    /// The processor's refund reference.
    pub refund: String,
}

/// A refund of a payment as the processor lists it: ours (our key in its metadata) or made
/// elsewhere (Stripe's dashboard).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedRefund {
    /// The processor's refund reference (`re_…`).
    pub refund: String,
    /// Minor units.
    pub amount_minor: i64,
    /// ISO 4217, upper case (`EUR`).
    pub currency: String,
    /// The idempotency key we sent with it, kept in its metadata; `None` for a refund we did
    /// not make.
    pub key: Option<String>,
    /// Where it is.
    pub state: ListedRefundState,
}

/// Where a listed refund is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListedRefundState {
    /// Given back.
    Succeeded,
    /// On its way back (a SEPA refund takes days): the processor has committed to it.
    Pending,
    /// Refused or cancelled: nothing was given back.
    Failed,
}

/// A mandate (SEPA Direct Debit) as the processor holds it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MandateState {
    /// The processor's payment method it authorises.
    pub method: String,
    /// Whether it still authorises debits (`false` once the customer or bank revoked it).
    pub active: bool,
}

/// Why the processor did not do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProcessorError {
    /// It refused the input: the customer can correct it.
    Rejected {
        /// The input field at fault (`number`, `iban`, `expMonth`…).
        field: &'static str,
        /// Stable code (`INVALID_CARD`, `INVALID_IBAN`, `CARD_EXPIRED`).
        code: &'static str,
        /// What is wrong, for people.
        message: String,
    },
    /// It refused the request for good (an unknown payment, a refund over what was paid).
    Refused {
        /// What is wrong.
        message: String,
    },
    /// We do not know what happened (network, timeout, a crash on its side): the same request
    /// with the same idempotency key must be sent again later.
    Unavailable(String),
}

/// The processor: customers, methods, charges, refunds.
#[async_trait::async_trait]
pub trait PaymentProcessor: Send + Sync {
    /// Its name, stored with each method (`sandbox`, `stripe`).
    fn name(&self) -> &'static str;

    /// Creates the processor's customer for one of ours; returns its reference.
    async fn create_customer(
        &self,
        customer: ids::CustomerId,
        email: &str,
    ) -> Result<String, ProcessorError>;

    /// Attaches a card to the customer.
    async fn attach_card(
        &self,
        customer: &str,
        card: &CardDetails,
        now: DateTime<Utc>,
    ) -> Result<AttachedMethod, ProcessorError>;

    /// Attaches a bank account for SEPA Direct Debit (with its mandate) to the customer.
    async fn attach_sepa_debit(
        &self,
        customer: &str,
        account: &SepaDetails,
    ) -> Result<AttachedMethod, ProcessorError>;

    /// Detaches a method: it can no longer be charged.
    async fn detach(&self, method: &str) -> Result<(), ProcessorError>;

    /// Charges a method. The same idempotency key answers the same payment, however often it
    /// is sent.
    async fn charge(&self, request: &ChargeRequest<'_>) -> Result<ChargeOutcome, ProcessorError>;

    /// The payment made under `idempotency_key`, if a charge with that key ever reached the
    /// processor (Stripe: search PaymentIntents by the key kept in their metadata). `None`
    /// means nothing was charged with it: an attempt interrupted before its charge can then be
    /// cancelled instead of sent. `Unavailable` when the processor cannot tell now.
    async fn find_by_key(
        &self,
        idempotency_key: &str,
    ) -> Result<Option<ChargeOutcome>, ProcessorError>;

    /// Where a payment is now (a processing one may have settled).
    async fn retrieve(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError>;

    /// The customer's answer to an authentication request: passed or failed.
    async fn authenticate(
        &self,
        payment: &str,
        passed: bool,
    ) -> Result<ChargeOutcome, ProcessorError>;

    /// Cancels a payment that is not finished (an authentication the customer abandoned): it
    /// can no longer succeed. Answers where the payment is now: failed once cancelled, or what
    /// it became if it finished first (the customer authenticated a moment ago).
    async fn cancel(&self, payment: &str) -> Result<ChargeOutcome, ProcessorError>;

    /// Refunds part or all of a succeeded payment. The same key answers the same refund.
    async fn refund(
        &self,
        payment: &str,
        amount_minor: i64,
        idempotency_key: &str,
    ) -> Result<RefundOutcome, ProcessorError>;

    /// Every refund of `payment` the processor holds, whoever made it (consistent at once, unlike
    /// a search): a refund is looked up here by its key before it is sent, because the
    /// processor forgets idempotency keys (Stripe: after 24 hours), and refunds made in the
    /// processor's dashboard are found here when it reports them.
    async fn refunds(&self, payment: &str) -> Result<Vec<ListedRefund>, ProcessorError>;

    /// A mandate as the processor holds it now (a `mandate.updated` event is not believed on
    /// its own word). Processors without mandates of their own refuse.
    async fn mandate(&self, mandate: &str) -> Result<MandateState, ProcessorError> {
        let _ = mandate;
        Err(ProcessorError::Refused {
            message: format!("{} has no mandates", self.name()),
        })
    }

    /// Whether card and account details are collected by the processor's own form in the
    /// customer's browser (Stripe's Payment Element and Stripe.js): setups, and authentication
    /// with the processor's client secret. The sandbox takes details in Billfold's forms.
    fn collects_details(&self) -> bool {
        false
    }

    /// Starts a setup of a method of `kind` the customer's browser finishes with the
    /// processor's own form, for a processor that collects card details itself (Stripe). The
    /// sandbox takes details in our form instead and refuses.
    async fn begin_setup(
        &self,
        customer: &str,
        our_customer: ids::CustomerId,
        kind: SetupKind,
    ) -> Result<SetupSession, ProcessorError> {
        let _ = (customer, our_customer, kind);
        Err(ProcessorError::Refused {
            message: format!(
                "{} takes payment details in Billfold's own form",
                self.name()
            ),
        })
    }

    /// The method a setup saved, once the customer finished it; `None` while it is not
    /// finished (or failed).
    async fn finish_setup(&self, setup: &str) -> Result<Option<SetupOutcome>, ProcessorError> {
        let _ = setup;
        Err(ProcessorError::Refused {
            message: format!("{} has no setups", self.name()),
        })
    }

    /// Our customer's id as a setup recorded it when it began (Stripe: its metadata), finished
    /// or not; `None` for a setup the processor does not know or that names nobody.
    async fn setup_owner(&self, setup: &str) -> Result<Option<String>, ProcessorError> {
        let _ = setup;
        Ok(None)
    }

    /// The secret the customer's browser needs to authenticate `payment` with the processor's
    /// own script (Stripe.js `handleNextAction`), while it waits for authentication; `None`
    /// when the processor has no such script (the sandbox shows its own page) or the payment
    /// no longer waits.
    async fn authentication_secret(
        &self,
        payment: &str,
    ) -> Result<Option<Sensitive>, ProcessorError> {
        let _ = payment;
        Ok(None)
    }

    /// Lets time pass at the processor: the sandbox settles processing payments due by `now`.
    /// Returns how many payments changed.
    async fn tick(&self, now: DateTime<Utc>) -> Result<u64, ProcessorError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_and_account_details_never_print_their_numbers() {
        let card = CardDetails {
            number: Sensitive::new("4242 4242 4242 4242"),
            exp_month: 12,
            exp_year: 2030,
            cvc: Sensitive::new("987"),
        };
        let printed = format!("{card:?}");
        assert!(
            !printed.contains("4242") && !printed.contains("987"),
            "{printed}"
        );
        let account = SepaDetails {
            iban: Sensitive::new("DE89370400440532013000"),
            holder_name: "Acme".into(),
        };
        assert!(!format!("{account:?}").contains("DE89"));
    }
}
