//! Customer organisations, their teams and members.

mod mutation;
mod query;
mod types;

pub use mutation::CustomersMutation;
pub use query::CustomersQuery;
pub use types::Customer;
