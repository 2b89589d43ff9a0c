//! Billfold's pure billing domain: money, periods, pricing, rating, proration, quotes and
//! invoice building — exact to the cent.
//!
//! No I/O, no async, no database: the server loads rows, converts them to these types, calls
//! these functions and stores the results. Everything Billfold computes about money is computed
//! here, once.
//!
//! - [`Money`] and [`Currency`]: ISO 4217 amounts in whole minor units (0, 2 or 3 decimals);
//!   one rounding rule, half away from zero, applied once per line.
//! - [`UnitPrice`]: exact unit prices with up to 12 decimals; [`Percent`], [`TaxRate`].
//! - [`Period`], [`Interval`], [`BillingCycle`]: half-open periods from an anchor, month ends
//!   clamped and restored, day counts in the customer's time zone.
//! - [`PricingModel`]: flat, per unit, graduated, volume, stairstep, package.
//! - [`Tariff`]: telephone rates by longest prefix, increments, minimum, connection fee.
//! - [`ProrationFactor`], [`ProrationItem`]: prorated unit amounts and their lines.
//! - [`quote_license_change`] / [`LicenseQuote::recheck`]: binding license change quotes.
//! - [`prorate_item_change`] / [`cancellation_credit`]: items added, removed or changed within
//!   a period, and cancelling now, prorated like seats.
//! - [`usage_text`]: a metered line's text with its tier breakdown.
//! - [`build_invoice`]: the one invoice builder, for previews and real invoices.
//! - [`credit_note`]: what a credit note gives back and where it goes.
//! - [`taxes_by_rate`]: an invoice's tax shown per rate.
//! - [`Error`]: every broken rule, with its numbers.

mod calls;
mod collection;
mod coupon;
mod credit_note;
mod currency;
mod error;
mod invoice;
mod lifecycle;
mod line;
mod money;
mod period;
mod pricing;
mod proration;
mod quote;
mod tariff;
mod tax;
mod unit_price;
mod usage;

pub use calls::CallSummary;
pub use collection::{
    due_after_payment, overpaid, refundable, retry_delay_days, settled_by_payment,
};
pub use coupon::{AppliedCoupon, Coupon, CouponDiscount, CouponDuration, CouponScope};
pub use credit_note::{
    CreditNoteAmounts, CreditRequest, CreditableLine, CreditedLine, credit_note,
};
pub use currency::Currency;
pub use error::Error;
pub use invoice::{
    Invoice, InvoiceInput, InvoiceTotals, MeteredUsage, OneOffCharge, RatedUsage, RecurringItem,
    build_invoice,
};
pub use lifecycle::{ItemChange, ItemTerms, cancellation_credit, prorate_item_change};
pub use line::{InvoiceLine, LineKind, license_text};
pub use money::Money;
pub use period::{BillingCycle, Interval, IntervalUnit, Period, local_date, local_midnight};
pub use pricing::{PricingModel, StairstepTable, TierSpec, TierTable};
pub use proration::{
    AdditionCharge, ProrationFactor, ProrationItem, ProrationUnit, unused_time_credit,
};
pub use quote::{LicenseItem, LicensePolicy, LicensePrice, LicenseQuote, quote_license_change};
pub use tariff::{BillingIncrement, CallCharge, PrefixRate, Tariff, TariffSpec};
pub use tax::{TaxByRate, taxes_by_rate};
pub use unit_price::{
    MAX_QUANTITY, MAX_UNIT_PRICE, Percent, TaxRate, UNIT_PRICE_MAX_DECIMALS, UnitPrice,
};
pub use usage::{late_usage_text, price_text, selection_amount, usage_text};

/// Re-exported so callers name the same `Decimal` and time-zone types as this crate.
pub use chrono_tz::Tz;
/// Re-exported so callers name the same `Decimal` type as this crate.
pub use rust_decimal::Decimal;
