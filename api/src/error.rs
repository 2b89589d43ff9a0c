//! One error type for every use case, with a stable code from the closed set in DESIGN §4.
//!
//! `ServiceError` deliberately does not implement `Display`: async-graphql converts anything
//! displayable into an error *without* our `extensions.code`, so the only way out of a resolver
//! is the single conversion in [`crate::graphql::errors`], which always sets the code.

use std::fmt;

/// Stable, client-visible error codes (`extensions.code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// No valid credentials were presented.
    Unauthenticated,
    /// The actor is known but may not do this.
    Forbidden,
    /// The thing does not exist, or belongs to another tenant (indistinguishable on purpose).
    NotFound,
    /// An input is invalid; `extensions.field` names it.
    BadUserInput,
    /// The request conflicts with the current state (e.g. an idempotency key reused).
    Conflict,
    /// A license-change quote has expired.
    QuoteExpired,
    /// A license-change quote no longer matches the subscription.
    QuoteStale,
    /// The card processor refused a payment.
    PaymentFailed,
    /// The customer has overdue invoices and the operator refuses additions until they are paid.
    OverdueInvoices,
    /// The customer has unpaid invoices and the request did not confirm charging anyway.
    UnpaidInvoices,
    /// Too many requests.
    RateLimited,
    /// Something went wrong on our side; details are in the logs, never in the response.
    Internal,
}

impl ErrorCode {
    /// The wire form, e.g. `NOT_FOUND`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::QuoteExpired => "QUOTE_EXPIRED",
            ErrorCode::QuoteStale => "QUOTE_STALE",
            ErrorCode::PaymentFailed => "PAYMENT_FAILED",
            ErrorCode::OverdueInvoices => "OVERDUE_INVOICES",
            ErrorCode::UnpaidInvoices => "UNPAID_INVOICES",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// Why a use case did not complete.
pub enum ServiceError {
    /// No valid credentials.
    Unauthenticated,
    /// Authenticated, but the role does not allow this.
    Forbidden,
    /// Unknown id, or another tenant's.
    NotFound {
        /// The kind of thing looked for (`customer`, `team`…).
        entity: &'static str,
    },
    /// An input field is invalid.
    BadInput {
        /// The input field at fault, as named in the schema (e.g. `first`, `input.email`).
        field: String,
        /// What is wrong, for the user.
        message: String,
        /// A stable, upper-case code of the rule broken, for inputs with several rules
        /// clients tell apart (`extensions.reason`, e.g. `POSTAL_CODE_FORMAT`).
        reason: Option<&'static str>,
    },
    /// The request conflicts with the current state.
    Conflict {
        /// What conflicts, for the user.
        message: String,
    },
    /// The request conflicts with the current state for a reason clients tell apart
    /// (`CONFLICT` with `extensions.reason`, e.g. `COUPON_EXPIRED`).
    Refused {
        /// Stable, upper-case reason.
        reason: &'static str,
        /// What is wrong, for the user.
        message: String,
    },
    /// Too many requests of this kind right now.
    RateLimited,
    /// The processor refused a payment (`PAYMENT_FAILED`, with `extensions.declineCode`).
    PaymentFailed {
        /// The processor's stable code (`card_declined`, `insufficient_funds`…).
        decline_code: String,
        /// What a person understands ("Your card was declined.").
        message: String,
    },
    /// Additions are refused while invoices are overdue (an operator setting).
    OverdueInvoices {
        /// Which invoices and how much, for the user.
        message: String,
    },
    /// New charges for a customer with open invoices, not confirmed: the staff member is shown
    /// what is unpaid and asked again.
    UnpaidInvoices {
        /// How many invoices are open.
        count: u64,
        /// What they still ask for, together, as decimal text in `currency`.
        amount_due: String,
        /// ISO 4217 code of `amount_due`.
        currency: String,
        /// `amount_due` for display, e.g. `€76.80`.
        formatted: String,
    },
    /// The quote's validity has run out: preview again.
    QuoteExpired,
    /// The subscription changed since the quote so that it would now cost something else.
    QuoteStale {
        /// What differs, for the user.
        message: String,
    },
    /// A batch of records (usage) refused whole: every bad record by position and field.
    /// `BAD_USER_INPUT` when any record is invalid, `NOT_FOUND` when every problem is an id that
    /// does not exist or is another tenant's.
    InvalidRecords(Vec<RecordProblem>),
    /// An unexpected failure (database down, bug). Logged with its source, answered as
    /// `INTERNAL` without details.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// One bad record of a refused batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordProblem {
    /// The record's position in the batch, from 0 (a CSV file's row number, from 1, for
    /// imports).
    pub position: usize,
    /// The record's field at fault, as the caller named it (`quantity`, `usage_value`, …).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// Whether the problem is an id that does not exist or is another tenant's.
    pub not_found: bool,
}

impl ServiceError {
    /// A bad input on `field`.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::BadInput {
            field: field.into(),
            message: message.into(),
            reason: None,
        }
    }

    /// A bad input on `field` that broke the rule `reason` (see [`ServiceError::BadInput`]).
    pub fn invalid(
        field: impl Into<String>,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ServiceError::BadInput {
            field: field.into(),
            message: message.into(),
            reason: Some(reason),
        }
    }

    /// An unexpected failure.
    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ServiceError::Internal(error.into())
    }

    /// A stored value that does not convert: corrupt data, never the caller's fault (values
    /// are validated when written).
    pub fn corrupt(what: &str, detail: impl fmt::Display) -> Self {
        Self::internal(format!("stored {what} is invalid: {detail}"))
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            ServiceError::Unauthenticated => ErrorCode::Unauthenticated,
            ServiceError::Forbidden => ErrorCode::Forbidden,
            ServiceError::NotFound { .. } => ErrorCode::NotFound,
            ServiceError::BadInput { .. } => ErrorCode::BadUserInput,
            ServiceError::Conflict { .. } | ServiceError::Refused { .. } => ErrorCode::Conflict,
            ServiceError::RateLimited => ErrorCode::RateLimited,
            ServiceError::UnpaidInvoices { .. } => ErrorCode::UnpaidInvoices,
            ServiceError::QuoteExpired => ErrorCode::QuoteExpired,
            ServiceError::QuoteStale { .. } => ErrorCode::QuoteStale,
            ServiceError::OverdueInvoices { .. } => ErrorCode::OverdueInvoices,
            ServiceError::PaymentFailed { .. } => ErrorCode::PaymentFailed,
            ServiceError::InvalidRecords(problems) if problems.iter().all(|p| p.not_found) => {
                ErrorCode::NotFound
            }
            ServiceError::InvalidRecords(_) => ErrorCode::BadUserInput,
            ServiceError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The message a client may see. Internal errors say nothing about their cause.
    pub fn public_message(&self) -> String {
        match self {
            ServiceError::Unauthenticated => "authentication required".into(),
            ServiceError::Forbidden => "your role does not allow this".into(),
            ServiceError::NotFound { entity } => format!("{entity} not found"),
            ServiceError::BadInput { message, .. } => message.clone(),
            ServiceError::Conflict { message } | ServiceError::Refused { message, .. } => {
                message.clone()
            }
            ServiceError::RateLimited => "too many requests, try again in a moment".into(),
            ServiceError::UnpaidInvoices {
                count, formatted, ..
            } => format!(
                "the customer has {count} unpaid invoice{} ({formatted} due): confirm to charge anyway",
                if *count == 1 { "" } else { "s" }
            ),
            ServiceError::QuoteExpired => "this quote has expired: ask for a new one".into(),
            ServiceError::QuoteStale { message } => message.clone(),
            ServiceError::OverdueInvoices { message } => message.clone(),
            ServiceError::PaymentFailed { message, .. } => message.clone(),
            ServiceError::InvalidRecords(problems) => {
                let listed: Vec<String> = problems
                    .iter()
                    .take(20)
                    .map(|p| format!("#{} {}: {}", p.position, p.field, p.message))
                    .collect();
                let more = problems.len().saturating_sub(listed.len());
                format!(
                    "{} invalid record{}, nothing was recorded: {}{}",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    listed.join("; "),
                    if more > 0 {
                        format!(" (and {more} more)")
                    } else {
                        String::new()
                    }
                )
            }
            ServiceError::Internal(_) => "internal error".into(),
        }
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceError::Internal(source) => write!(f, "Internal({source:?})"),
            other => write!(f, "{}: {}", other.code().as_str(), other.public_message()),
        }
    }
}

impl From<sea_orm::DbErr> for ServiceError {
    fn from(error: sea_orm::DbErr) -> Self {
        ServiceError::Internal(Box::new(error))
    }
}

impl ServiceError {
    /// A `billing` refusal of what the input `field` asked for. Every variant is classified
    /// here, with no catch-all, so a new one must be placed:
    /// - the input broke a rule (a tier gap, a seat count below the minimum, …): `BAD_USER_INPUT`
    ///   on `field`, with the rule's own message;
    /// - a stale quote keeps its own code;
    /// - a broken invariant of ours (overflow past the bounds inputs are checked against, a
    ///   change date outside the period we chose, currencies mixed): `INTERNAL`, logged with
    ///   the cause and never shown.
    pub fn from_billing(error: billing::Error, field: &str) -> Self {
        use billing::Error::*;
        match error {
            QuoteStale { .. } => ServiceError::QuoteStale {
                message: format!("the subscription changed since this quote ({error})"),
            },
            Overflow { .. } | OutsidePeriod { .. } | CurrencyMismatch { .. } => {
                ServiceError::internal(format!("billing invariant broken at {field}: {error}"))
            }
            UnknownCurrency { .. }
            | TooManyDecimals { .. }
            | TooLarge { .. }
            | Negative { .. }
            | InvalidDecimal { .. }
            | ZeroIntervalCount
            | EmptyPeriod { .. }
            | BeforeAnchor { .. }
            | EmptyTiers
            | FirstTierStart { .. }
            | TierReversed { .. }
            | TierGap { .. }
            | TierOverlap { .. }
            | OpenTierNotLast { .. }
            | LastTierNotOpen { .. }
            | StairstepUnitPrice { .. }
            | ZeroPackageSize
            | InvalidPrefix { .. }
            | DuplicatePrefix { .. }
            | InvalidIncrement { .. }
            | InvalidDestination { .. }
            | NoRate { .. }
            | InvalidTaxRate { .. }
            | InvalidPercent { .. }
            | InvalidPolicy { .. }
            | ZeroDelta
            | BelowMinimum { .. }
            | AboveMaximum { .. }
            | OneAtATime { .. }
            | CreditExceedsLine { .. }
            | NotCreditable { .. }
            | CreditExceedsInvoice { .. }
            | NothingToCredit => ServiceError::bad_input(field, error.to_string()),
        }
    }
}

/// Maps a unique-index violation to `replacement` and any other database error to `INTERNAL`.
/// A pre-check inside the transaction gives the usual answer; this covers the concurrent
/// writer that commits between the check and the insert (PostgreSQL, read committed), which
/// would otherwise surface as an internal error.
pub fn on_unique_violation(
    replacement: impl FnOnce() -> ServiceError,
) -> impl FnOnce(sea_orm::DbErr) -> ServiceError {
    move |error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => replacement(),
        _ => error.into(),
    }
}

/// Result of a use case.
pub type ServiceResult<T> = Result<T, ServiceError>;

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn billing_errors_are_input_or_internal() {
        let input = ServiceError::from_billing(billing::Error::ZeroDelta, "input.delta");
        assert_eq!(input.code(), ErrorCode::BadUserInput);
        assert!(
            matches!(input, ServiceError::BadInput { ref field, .. } if field == "input.delta")
        );

        let overflow = billing::Error::Overflow {
            operation: "proration",
        };
        let date = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default();
        let outside = billing::Error::OutsidePeriod {
            date,
            start: date,
            end: date,
        };
        for error in [overflow, outside] {
            let mapped = ServiceError::from_billing(error, "input.delta");
            assert_eq!(mapped.code(), ErrorCode::Internal);
            assert_eq!(mapped.public_message(), "internal error");
        }
    }
}
