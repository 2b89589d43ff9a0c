//! Sign-in and the current user.

mod mutation;
mod query;
mod types;

pub use mutation::AccountsMutation;
pub use query::AccountsQuery;
pub use types::User;
