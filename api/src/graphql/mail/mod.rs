//! E-mail: where an organisation's invoices go, copies on request, the outbox for staff.

mod customer;
mod mutation;
mod query;
mod types;

pub use customer::CustomerMail;
pub use mutation::MailMutation;
pub use query::MailQuery;
pub(crate) use types::Email;
