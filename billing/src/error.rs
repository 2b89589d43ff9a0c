//! The one error type of the billing domain: a variant per broken rule, each carrying the data
//! needed to tell the user (or the operator) exactly what is wrong.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::currency::Currency;

/// Every rule the billing domain can refuse, with the numbers involved.
///
/// The server maps each variant to a stable error code once, at the GraphQL boundary, so the
/// variants are part of the contract: add new ones rather than reusing an old one for a new rule.
/// Deliberately not `#[non_exhaustive]`: the server matches every variant with no catch-all
/// (`ServiceError::from_billing`), so a new variant fails to compile until it is classified as
/// the input's fault or ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The currency code is not an ISO 4217 code this crate knows.
    #[error("unknown currency code {code:?}")]
    UnknownCurrency {
        /// The code as given.
        code: String,
    },
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: expected {expected}, found {found}")]
    CurrencyMismatch {
        /// The currency the operation works in.
        expected: Currency,
        /// The currency of the other amount.
        found: Currency,
    },
    /// A value carries more decimals than allowed (minor units for money, 12 for unit prices).
    #[error("{value} has more than {max_decimals} decimals")]
    TooManyDecimals {
        /// The offending value.
        value: Decimal,
        /// The number of decimals allowed.
        max_decimals: u32,
    },
    /// A value that must not be negative (a unit price, a quantity, a fee) is negative.
    #[error("{what} must not be negative, got {value}")]
    Negative {
        /// What the value is (e.g. "unit price", "quantity").
        what: &'static str,
        /// The offending value.
        value: Decimal,
    },
    /// A value above its bound (a unit price above `UnitPrice::MAX`).
    #[error("{what} must be at most {max}, got {value}")]
    TooLarge {
        /// What the value is (e.g. "unit price").
        what: &'static str,
        /// The offending value.
        value: Decimal,
        /// The largest value allowed.
        max: Decimal,
    },
    /// A string is not a decimal number.
    #[error("{input:?} is not a decimal number")]
    InvalidDecimal {
        /// The text as given.
        input: String,
    },
    /// An arithmetic result does not fit (in `Decimal`, `i64` minor units, or a date).
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// The operation that overflowed.
        operation: &'static str,
    },
    /// An interval count of zero (every interval is at least one day/week/month/…).
    #[error("an interval count must be at least 1")]
    ZeroIntervalCount,
    /// A period whose end is not after its start.
    #[error("period [{start}, {end}) is empty")]
    EmptyPeriod {
        /// The start given.
        start: NaiveDate,
        /// The end given.
        end: NaiveDate,
    },
    /// A date before the billing anchor was asked for its period.
    #[error("{date} is before the billing anchor {anchor}")]
    BeforeAnchor {
        /// The date asked for.
        date: NaiveDate,
        /// The anchor of the billing cycle.
        anchor: NaiveDate,
    },
    /// A tier table without tiers.
    #[error("a tiered price needs at least one tier")]
    EmptyTiers,
    /// The first tier does not start at unit 0 or 1.
    #[error("the first tier must start at unit 0 or 1, starts at {from}")]
    FirstTierStart {
        /// Where the first tier starts.
        from: u64,
    },
    /// A tier whose last unit is before its first.
    #[error("tier {index} ends at {to} before it starts at {from}")]
    TierReversed {
        /// Zero-based index of the tier.
        index: usize,
        /// Its first unit.
        from: u64,
        /// Its last unit.
        to: u64,
    },
    /// A tier that does not start right after the previous one ends.
    #[error("tier {index} starts at {found}, expected {expected} (a gap)")]
    TierGap {
        /// Zero-based index of the tier.
        index: usize,
        /// The unit it should start at.
        expected: u64,
        /// The unit it starts at.
        found: u64,
    },
    /// A tier that starts inside the previous one.
    #[error("tier {index} starts at {found}, overlapping the previous tier (expected {expected})")]
    TierOverlap {
        /// Zero-based index of the tier.
        index: usize,
        /// The unit it should start at.
        expected: u64,
        /// The unit it starts at.
        found: u64,
    },
    /// An open-ended tier that is not the last one.
    #[error("tier {index} is open-ended but is not the last tier")]
    OpenTierNotLast {
        /// Zero-based index of the tier.
        index: usize,
    },
    /// The last tier has an upper bound, so large quantities would have no price.
    #[error("the last tier must be open-ended, it ends at {to}")]
    LastTierNotOpen {
        /// The last tier's last unit.
        to: u64,
    },
    /// A stairstep tier with a per-unit price: stairstep charges only the tier's flat amount.
    #[error("stairstep tier {index} has a unit price; stairstep tiers carry only a flat amount")]
    StairstepUnitPrice {
        /// Zero-based index of the tier.
        index: usize,
    },
    /// A package price with a block size of zero.
    #[error("a package price needs a block size of at least 1")]
    ZeroPackageSize,
    /// A telephone prefix that is empty or not made of digits.
    #[error("invalid destination prefix {prefix:?} (digits only, at least one)")]
    InvalidPrefix {
        /// The prefix as given.
        prefix: String,
    },
    /// The same prefix twice in one tariff.
    #[error("prefix {prefix:?} appears twice in the tariff")]
    DuplicatePrefix {
        /// The repeated prefix.
        prefix: String,
    },
    /// A billing increment with a zero step.
    #[error("invalid billing increment {first}/{next}: both must be at least 1 second")]
    InvalidIncrement {
        /// Seconds charged for the first block.
        first: u32,
        /// Seconds of each following block.
        next: u32,
    },
    /// A dialled number that is not `+digits` or `digits`.
    #[error("invalid destination number {destination:?}")]
    InvalidDestination {
        /// The number as given.
        destination: String,
    },
    /// No prefix of the tariff matches the destination.
    #[error("no rate for destination {destination:?}")]
    NoRate {
        /// The number as given.
        destination: String,
    },
    /// A tax rate outside 0–100 %.
    #[error("tax rate {percent}% is outside 0-100")]
    InvalidTaxRate {
        /// The rate in percent.
        percent: Decimal,
    },
    /// A percentage discount outside 0–100 %.
    #[error("discount {percent}% is outside 0-100")]
    InvalidPercent {
        /// The discount in percent.
        percent: Decimal,
    },
    /// A license policy whose minimum is above its maximum.
    #[error("license policy minimum {min} is above maximum {max}")]
    InvalidPolicy {
        /// Minimum quantity.
        min: u32,
        /// Maximum quantity.
        max: u32,
    },
    /// A license change of zero seats.
    #[error("a license change must add or remove at least one seat")]
    ZeroDelta,
    /// The change would leave fewer seats than the policy allows.
    #[error("{requested} seats is below the minimum of {min}")]
    BelowMinimum {
        /// The quantity the change would leave (may be negative).
        requested: i64,
        /// The policy's minimum.
        min: u32,
    },
    /// The change would leave more seats than the policy allows.
    #[error("{requested} seats is above the maximum of {max}")]
    AboveMaximum {
        /// The quantity the change would leave.
        requested: i64,
        /// The policy's maximum.
        max: u32,
    },
    /// More than one seat removed at once under a one-at-a-time policy.
    #[error("licenses are removed one at a time; {requested} requested")]
    OneAtATime {
        /// How many seats the change tried to remove.
        requested: u32,
    },
    /// The change instant is outside the subscription item's current period.
    #[error("change date {date} is outside the period [{start}, {end})")]
    OutsidePeriod {
        /// The change date in the customer's time zone.
        date: NaiveDate,
        /// The period's start.
        start: NaiveDate,
        /// The period's end (exclusive).
        end: NaiveDate,
    },
    /// A stored quote no longer matches the subscription: it must not be applied.
    #[error("quote is stale: {field} was {quoted}, is now {current}")]
    QuoteStale {
        /// What changed (e.g. "quantity_before", "amount_due_now").
        field: &'static str,
        /// The value in the quote.
        quoted: String,
        /// The value computed from today's state.
        current: String,
    },
    /// A credit note line asks to credit more of an invoice line than is left to credit.
    #[error("line {line} has {remaining} left to credit, {requested} requested")]
    CreditExceedsLine {
        /// Zero-based index of the requested line in the credit request.
        line: usize,
        /// What was asked for.
        requested: crate::Money,
        /// What earlier credit notes left of the invoice line.
        remaining: crate::Money,
    },
    /// A credit note line names an invoice line that cannot be credited on its own (a discount
    /// or a credit applied), or one named twice.
    #[error("line {line} cannot be credited on its own: {reason}")]
    NotCreditable {
        /// Zero-based index of the requested line in the credit request.
        line: usize,
        /// Why.
        reason: &'static str,
    },
    /// A credit note would bring the invoice's credited total past its total.
    #[error("the invoice has {remaining} left to credit, {requested} requested")]
    CreditExceedsInvoice {
        /// The credit note's total.
        requested: crate::Money,
        /// The invoice's total minus earlier credit notes.
        remaining: crate::Money,
    },
    /// A credit note for nothing (no line, or the invoice is fully credited already).
    #[error("nothing to credit")]
    NothingToCredit,
}
