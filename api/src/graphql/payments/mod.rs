//! Payments: an organisation's payment methods, paying an invoice (with authentication when
//! the card asks for it), each invoice's attempts and payments, and staff's offline payments,
//! refunds, retries and dunning queue.

mod customer;
mod mutation;
mod query;
mod setup;
pub mod types;

pub use customer::CustomerPayments;
pub use mutation::PaymentsMutation;
pub use query::PaymentsQuery;
pub use setup::PaymentSetupMutation;
