//! Why a payments use case refuses: one variant per reason, each with a fixed code and field.

use super::processor::ProcessorError;
use crate::error::ServiceError;

/// A refused payments request.
#[derive(Debug)]
pub enum PaymentError {
    /// No such payment method in the caller's organisation.
    MethodNotFound,
    /// No such invoice in the caller's organisation.
    InvoiceNotFound,
    /// No such payment attempt in the caller's organisation.
    AttemptNotFound,
    /// No such payment.
    PaymentNotFound,
    /// No such organisation.
    CustomerNotFound,
    /// Only an open invoice is paid.
    NotOpen(entity::invoice::InvoiceStatus),
    /// The invoice asks for nothing.
    NothingDue,
    /// No method given and no default one.
    NoMethod,
    /// Another attempt on the invoice is being processed or waits for authentication.
    InFlight {
        /// What the caller should do.
        message: &'static str,
    },
    /// The processor did not answer: the attempt will be resumed with the same key.
    Unconfirmed,
    /// The processor did not answer a refund: it may have been made.
    RefundUnconfirmed,
    /// Another refund of the payment is unconfirmed.
    RefundInFlight,
    /// The caller's idempotency key was used with another input.
    KeyReused,
    /// A default method an open invoice relies on.
    DefaultInUse,
    /// The organisation already keeps [`super::methods::MAX_METHODS`] methods.
    TooManyMethods,
    /// The attempt does not wait for authentication.
    NotAuthenticating,
    /// A refund larger than what is left of the payment.
    RefundTooLarge {
        /// What is left, for display.
        left: String,
    },
    /// A recorded payment larger than what the invoice asks for.
    MoreThanDue {
        /// What it asks for, for display.
        due: String,
    },
    /// The amount is not a positive amount of the currency.
    BadAmount(String),
    /// A text input out of bounds.
    BadText {
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// No such setup for the caller's organisation.
    SetupNotFound,
    /// The customer has not finished the setup at the processor.
    SetupNotFinished,
    /// The processor takes details in Billfold's own forms (the sandbox): no setup to begin.
    NoProcessorForm,
    /// The processor refused.
    Processor(ProcessorError),
}

impl From<PaymentError> for ServiceError {
    fn from(error: PaymentError) -> Self {
        use PaymentError::*;
        match error {
            MethodNotFound => ServiceError::NotFound {
                entity: "payment method",
            },
            InvoiceNotFound => ServiceError::NotFound { entity: "invoice" },
            AttemptNotFound => ServiceError::NotFound {
                entity: "payment attempt",
            },
            PaymentNotFound => ServiceError::NotFound { entity: "payment" },
            CustomerNotFound => ServiceError::NotFound { entity: "customer" },
            NotOpen(status) => ServiceError::Refused {
                reason: "INVOICE_NOT_OPEN",
                message: format!(
                    "only an open invoice can be paid; this one is {}",
                    sea_orm::ActiveEnum::to_value(&status)
                ),
            },
            NothingDue => ServiceError::Refused {
                reason: "NOTHING_DUE",
                message: "this invoice has nothing left to pay".into(),
            },
            NoMethod => ServiceError::invalid(
                "input.paymentMethodId",
                "NO_PAYMENT_METHOD",
                "add a payment method first, or choose one",
            ),
            InFlight { message } => ServiceError::Refused {
                reason: "PAYMENT_IN_FLIGHT",
                message: message.into(),
            },
            Unconfirmed => ServiceError::Refused {
                reason: "PAYMENT_UNCONFIRMED",
                message: "the payment processor did not answer: try again in a moment (you \
                          will not be charged twice)"
                    .into(),
            },
            RefundUnconfirmed => ServiceError::Refused {
                reason: "REFUND_UNCONFIRMED",
                message: "the payment processor did not answer: the refund may have been made. \
                          Send it again with the same idempotency key (it is not refunded \
                          twice)"
                    .into(),
            },
            RefundInFlight => ServiceError::Refused {
                reason: "REFUND_IN_FLIGHT",
                message: "another refund of this payment is unconfirmed: send it again with \
                          its idempotency key first"
                    .into(),
            },
            KeyReused => ServiceError::Refused {
                reason: "IDEMPOTENCY_KEY_REUSED",
                message: "this idempotency key was used with another input".into(),
            },
            DefaultInUse => ServiceError::Refused {
                reason: "DEFAULT_METHOD_IN_USE",
                message: "this is the default payment method and an open invoice will be \
                          charged to it: make another method the default first"
                    .into(),
            },
            TooManyMethods => ServiceError::Refused {
                reason: "TOO_MANY_PAYMENT_METHODS",
                message: format!(
                    "an organisation keeps at most {} payment methods: remove one first",
                    super::methods::MAX_METHODS
                ),
            },
            NotAuthenticating => ServiceError::Refused {
                reason: "NOT_AUTHENTICATING",
                message: "this payment does not wait for authentication".into(),
            },
            RefundTooLarge { left } => ServiceError::invalid(
                "input.amount",
                "REFUND_TOO_LARGE",
                format!("at most {left} can be refunded on this payment"),
            ),
            MoreThanDue { due } => ServiceError::invalid(
                "input.amount",
                "MORE_THAN_DUE",
                format!("the invoice asks for {due}: record at most that"),
            ),
            SetupNotFound => ServiceError::NotFound {
                entity: "payment method setup",
            },
            NoProcessorForm => ServiceError::Refused {
                reason: "PROCESSOR_FORM_UNAVAILABLE",
                message: "this payment processor takes cards and bank accounts in the portal's \
                          own forms (addCard, addSepaDebit)"
                    .into(),
            },
            SetupNotFinished => ServiceError::Refused {
                reason: "SETUP_NOT_FINISHED",
                message: "the payment method was not saved: fill in the form again".into(),
            },
            BadAmount(message) => ServiceError::invalid("input.amount", "BAD_AMOUNT", message),
            BadText { field, message } => ServiceError::bad_input(field, message),
            Processor(ProcessorError::Rejected {
                field,
                code,
                message,
            }) => ServiceError::invalid(format!("input.{field}"), code, message),
            Processor(ProcessorError::Refused { message }) => ServiceError::Refused {
                reason: "PROCESSOR_REFUSED",
                message,
            },
            Processor(ProcessorError::Unavailable(detail)) => {
                ServiceError::internal(format!("payment processor unavailable: {detail}"))
            }
        }
    }
}
