//! Numbers: tariffs and their versions, telephone numbers, call records (operator staff and
//! API keys with `usage:write` for `recordCalls`), and each customer's own numbers.

mod customer;
mod mutation;
mod query;
mod types;

pub use customer::CustomerNumbers;
pub use mutation::NumbersMutation;
pub use query::NumbersQuery;
pub(crate) use types::Direction;
