//! Invoices: upcoming charges (the next invoice of each subscription as the billing run would
//! build it), finalised invoices and their settlement, and billing runs.

mod customer;
mod mutation;
mod progress;
mod runs;
pub(crate) mod types;

pub use customer::CustomerInvoices;
pub use mutation::InvoicesMutation;
pub use progress::BillingRunsSubscription;
pub use runs::{BillingRunsMutation, BillingRunsQuery};
pub(crate) use types::{Invoice, InvoiceLine};
