//! Subscriptions: created by operator staff, read by their customer.

mod mutation;
mod types;

pub use mutation::SubscriptionsMutation;
pub use types::Subscription;
