//! One-time charges and non-recurring addons (operator staff): preview the invoice of some
//! charges, invoice them now or leave them for the next invoice, list and delete unbilled ones.

mod customer;
mod mutation;
mod query;
mod types;

pub use customer::CustomerCharges;
pub use mutation::ChargesMutation;
pub use query::ChargesQuery;
