//! Invoices: the upcoming charges (the invoice the next billing run would build), billing runs
//! that finalise exactly it, and gapless numbering.

pub mod numbering;
pub mod run;
pub mod upcoming;

pub use run::{BillingRuns, RunReport};
pub use upcoming::{UpcomingInvoice, UpcomingService};
