//! Customer organisations, their teams and members.

mod query;
mod types;

pub use query::CustomersQuery;
pub use types::Customer;
