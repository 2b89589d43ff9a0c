//! Accounts: sign-in and the signed-in user (who changes their own password), customer
//! organisations with their users (staff create them), teams, members, contacts and billing
//! addresses (their owners and billing admins change them too), the users its owners invite,
//! change and remove, the audit log of each organisation, and the operator's staff users.

mod addresses;
mod billing_cycle;
mod contacts;
mod customer;
mod invitations;
mod organisations;
mod people;
mod query;
mod session;
mod staff;
mod types;
mod viewer;

pub use addresses::{AddressesMutation, PostalAddress};
pub use billing_cycle::BillingCycleInput;
pub use contacts::ContactsMutation;
pub use customer::CustomerAccount;
pub use invitations::{InvitationsMutation, InvitationsQuery};
pub use organisations::OrganisationsMutation;
pub use people::PeopleMutation;
pub use query::AccountsQuery;
pub use session::SessionMutation;
pub use staff::{StaffMutation, StaffQuery};
pub use viewer::ViewerAccount;
