//! Invoices: the upcoming charges (the invoice the next billing run would build), billing runs
//! that finalise exactly it (workers, claims, recorded runs, crash points), the one finalising
//! function every invoice goes through, gapless numbering, settlements, and the history of
//! finalised invoices.

pub mod arrears;
mod claim;
pub mod crash;
mod error;
pub mod finalise;
pub mod history;
pub mod numbering;
pub mod owed;
pub mod progress;
pub mod receivables;
pub mod recorded;
pub mod run;
pub mod status;
pub mod upcoming;
pub mod watch;

pub use crash::CrashPoint;
pub use error::InvoiceError;
pub use history::{HistoryFilter, InvoicesService, StoredInvoice};
pub use receivables::ReceivablesFilter;
pub use recorded::{RunFilter, StartRun};
pub use run::{BillingRuns, RunProgress, RunReport};
pub use status::Settlement;
pub use upcoming::{UpcomingInvoice, UpcomingService};
