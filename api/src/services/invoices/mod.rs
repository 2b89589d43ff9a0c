//! Invoices: for now the upcoming charges, the invoice the next billing run would build.

pub mod numbering;
pub mod upcoming;

pub use upcoming::{UpcomingInvoice, UpcomingService};
