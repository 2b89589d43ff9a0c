//! The documents vault: an organisation's documents (uploaded through `POST /documents`, read
//! and downloaded by its users), the queue staff review, and their decisions.

mod customer;
mod mutation;
mod query;
mod types;

pub use customer::CustomerVault;
pub use mutation::VaultMutation;
pub use query::VaultQuery;
