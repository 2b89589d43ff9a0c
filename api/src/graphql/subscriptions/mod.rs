//! Subscriptions: created by operator staff, read by their customer.

mod customer;
mod lifecycle;
mod mutation;
mod types;

pub use customer::CustomerSubscriptions;
pub use lifecycle::SubscriptionLifecycleMutation;
pub use mutation::SubscriptionsMutation;
