//! Accounts: sign-in and the signed-in user, customer organisations with their teams, members
//! and users (staff create them), and the audit log of each organisation.

mod customer;
mod organisations;
mod query;
mod session;
mod types;
mod viewer;

pub use customer::CustomerAccount;
pub use organisations::OrganisationsMutation;
pub use query::AccountsQuery;
pub use session::SessionMutation;
pub use viewer::ViewerAccount;
