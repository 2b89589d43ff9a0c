//! Licenses: items, seats, binding quotes, upcoming charges (customer users and staff).

mod mutation;
mod quote;
mod types;
mod upcoming;

pub use mutation::LicensesMutation;
pub use types::LicenseItem;
pub use upcoming::UpcomingInvoice;
