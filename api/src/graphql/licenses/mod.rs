//! Licenses: items, seats and binding quotes (customer users and staff).

mod customer;
mod mutation;
mod quote;
mod types;

pub use customer::CustomerLicenses;
pub use mutation::LicensesMutation;
