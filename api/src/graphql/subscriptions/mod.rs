//! Subscriptions: created by operator staff, read by their customer.

mod customer;
mod mutation;
mod types;

pub use customer::CustomerSubscriptions;
pub use mutation::SubscriptionsMutation;
