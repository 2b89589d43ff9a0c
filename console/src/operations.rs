//! The console's GraphQL operations, typed against `../schema.graphql` at compile time: an
//! operation that no longer matches the schema does not compile. One module per slice.

mod accounts;
mod catalog;
mod charges;
mod credits;
mod customers;
mod invoices;
mod payments;
mod subscriptions;
mod usage;
mod vault;

use graphql_client::GraphQLQuery;
use serde::{Deserialize, Serialize};

pub use accounts::*;
pub use catalog::*;
pub use charges::*;
pub use credits::*;
pub use customers::*;
pub use invoices::*;
pub use payments::*;
pub use subscriptions::*;
pub use usage::*;
pub use vault::*;

/// The schema's `DateTime` scalar: an instant (RFC 3339 on the wire).
type DateTime = chrono::DateTime<chrono::Utc>;
/// The schema's `NaiveDate` scalar: a day of the customer's calendar (`YYYY-MM-DD`).
type NaiveDate = chrono::NaiveDate;

/// The schema's `Role`, one type for every operation (declared with `extern_enums`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub enum Role {
    /// Operator administrator.
    ADMIN,
    /// Operator staff, the billing role.
    STAFF,
    /// Operator support: reads, and reviews documents.
    SUPPORT,
    /// Owner of a customer organisation.
    OWNER,
    /// Billing administrator of a customer organisation.
    BILLING_ADMIN,
    /// Read-only user of a customer organisation.
    VIEWER,
    /// A role added to the schema after this console was built.
    #[serde(other)]
    Other,
}

impl Role {
    /// The operator's own roles, as the staff forms offer them.
    pub const STAFF_ROLES: [Role; 3] = [Role::ADMIN, Role::STAFF, Role::SUPPORT];

    /// An organisation's roles, as the customer's users tab filters by them.
    pub const ORGANISATION_ROLES: [Role; 3] = [Role::OWNER, Role::BILLING_ADMIN, Role::VIEWER];

    /// An organisation's role from a form's value (`OWNER`, `BILLING_ADMIN`, `VIEWER`).
    pub fn organisation_from_form(value: &str) -> Option<Role> {
        Role::ORGANISATION_ROLES
            .into_iter()
            .find(|role| role.form_value() == value)
    }

    /// A staff role from a form's value (`ADMIN`, `STAFF`, `SUPPORT`).
    pub fn staff_from_form(value: &str) -> Option<Role> {
        Role::STAFF_ROLES
            .into_iter()
            .find(|role| role.form_value() == value)
    }

    /// The role as a form's value: the schema's name.
    pub fn form_value(self) -> &'static str {
        match self {
            Role::ADMIN => "ADMIN",
            Role::STAFF => "STAFF",
            Role::SUPPORT => "SUPPORT",
            Role::OWNER => "OWNER",
            Role::BILLING_ADMIN => "BILLING_ADMIN",
            Role::VIEWER => "VIEWER",
            Role::Other => "",
        }
    }

    /// The role for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::ADMIN => "Administrator",
            Role::STAFF => "Billing staff",
            Role::SUPPORT => "Support",
            Role::OWNER => "Owner",
            Role::BILLING_ADMIN => "Billing admin",
            Role::VIEWER => "Viewer",
            Role::Other => "Other",
        }
    }
}

/// `graphql/login.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/login.graphql",
    response_derives = "Debug"
)]
pub struct Login;

/// `graphql/staff_viewer.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/staff_viewer.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct StaffViewer;
