//! Tax rates by country and region (operator staff), customers' billing settings (staff
//! write them; the organisation's users read them), and tax shown per rate on invoices.

mod customer;
mod mutation;
mod query;
pub mod types;

pub use customer::CustomerBilling;
pub use mutation::TaxMutation;
pub use query::TaxQuery;
