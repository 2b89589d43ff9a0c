//! Invoices: the upcoming charges (the invoice the next billing run would build), billing runs
//! that finalise exactly it, gapless numbering, and the history of finalised invoices.

mod error;
pub mod finalise;
pub mod history;
pub mod numbering;
pub mod run;
pub mod status;
pub mod upcoming;

pub use error::InvoiceError;
pub use history::{InvoicesService, StoredInvoice};
pub use run::{BillingRuns, RunReport};
pub use status::Settlement;
pub use upcoming::{UpcomingInvoice, UpcomingService};
