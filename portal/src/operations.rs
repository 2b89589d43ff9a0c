//! The portal's GraphQL operations, typed against `../schema.graphql` at compile time: an
//! operation that no longer matches the schema does not compile.

mod accounts;
mod payments;
mod people;
mod vault;

use graphql_client::GraphQLQuery;

use serde::{Deserialize, Serialize};

pub use accounts::*;
pub use payments::*;
pub use people::*;
pub use vault::*;

/// The schema's `DateTime` scalar: an instant (RFC 3339 on the wire).
type DateTime = chrono::DateTime<chrono::Utc>;
/// The schema's `NaiveDate` scalar: a day of the customer's calendar (`YYYY-MM-DD`).
type NaiveDate = chrono::NaiveDate;

/// The schema's `IntervalUnit`, one type for every operation (declared with `extern_enums`)
/// so the license pages describe an interval with one function.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub enum IntervalUnit {
    /// Days.
    DAY,
    /// Weeks.
    WEEK,
    /// Months.
    MONTH,
    /// Quarters.
    QUARTER,
    /// Years.
    YEAR,
    /// A unit added to the schema after this portal was built.
    #[serde(other)]
    Other,
}

/// The schema's `Role`, one type for every operation (declared with `extern_enums`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub enum Role {
    /// Operator administrator.
    ADMIN,
    /// Operator staff.
    STAFF,
    /// Owner of a customer organisation.
    OWNER,
    /// Billing administrator of a customer organisation.
    BILLING_ADMIN,
    /// Read-only user of a customer organisation.
    VIEWER,
    /// A role added to the schema after this portal was built.
    #[serde(other)]
    Other,
}

impl Role {
    /// Whether the role may change what the portal offers to change (licenses, seats, where
    /// invoices go); viewers only read. The API decides: this only leaves out forms it would
    /// refuse.
    pub fn can_change(self) -> bool {
        self != Role::VIEWER
    }

    /// Whether the role decides who uses the organisation (invites, roles, removals): owners
    /// only. Like [`Role::can_change`], this only leaves out forms the API would refuse.
    pub fn manages_users(self) -> bool {
        self == Role::OWNER
    }

    /// The roles an organisation's user may have, in the order a menu lists them.
    pub const CUSTOMER_ROLES: [Role; 3] = [Role::OWNER, Role::BILLING_ADMIN, Role::VIEWER];

    /// The role for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::OWNER => "Owner",
            Role::BILLING_ADMIN => "Billing admin",
            Role::VIEWER => "Viewer",
            Role::ADMIN => "Operator administrator",
            Role::STAFF => "Operator staff",
            Role::Other => "Other",
        }
    }

    /// Its value in a form (`billing_admin`).
    pub fn param(self) -> &'static str {
        match self {
            Role::OWNER => "owner",
            Role::BILLING_ADMIN => "billing_admin",
            Role::VIEWER => "viewer",
            Role::ADMIN => "admin",
            Role::STAFF => "staff",
            Role::Other => "other",
        }
    }

    /// The customer role a form value names.
    pub fn from_param(param: &str) -> Option<Self> {
        Self::CUSTOMER_ROLES
            .into_iter()
            .find(|r| r.param() == param)
    }
}

/// The schema's `ContactRole`, one type for every operation (declared with `extern_enums`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub enum ContactRole {
    /// Lines, numbers, the service itself.
    TECHNICAL,
    /// Invoices and payments.
    ACCOUNTING,
    /// Day-to-day operations.
    OPERATIONAL,
    /// Anything else.
    OTHER,
}

impl ContactRole {
    /// Every role, in the order the contacts page lists them.
    pub const ALL: [ContactRole; 4] = [
        ContactRole::TECHNICAL,
        ContactRole::ACCOUNTING,
        ContactRole::OPERATIONAL,
        ContactRole::OTHER,
    ];

    /// The role as people call it.
    pub fn label(self) -> &'static str {
        match self {
            ContactRole::TECHNICAL => "Technical",
            ContactRole::ACCOUNTING => "Accounting",
            ContactRole::OPERATIONAL => "Operational",
            ContactRole::OTHER => "Other",
        }
    }

    /// Its value in a form (`accounting`).
    pub fn param(self) -> &'static str {
        match self {
            ContactRole::TECHNICAL => "technical",
            ContactRole::ACCOUNTING => "accounting",
            ContactRole::OPERATIONAL => "operational",
            ContactRole::OTHER => "other",
        }
    }

    /// The role a form names, if it names one.
    pub fn from_param(param: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.param() == param)
    }
}

/// The schema's `AddressVerification` (declared with `extern_enums`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)]
pub enum AddressVerification {
    /// In the organisation's own country.
    NOT_REQUIRED,
    /// Abroad, not verified yet.
    UNVERIFIED,
    /// Verified by the operator.
    VERIFIED,
    /// A status added to the schema after this portal was built.
    #[serde(other)]
    Other,
}

/// `graphql/login.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/login.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct Login;

/// `graphql/viewer.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/viewer.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct Viewer;

/// `graphql/overview.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/overview.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct Overview;

/// `graphql/licenses.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/licenses.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct Licenses;

/// `graphql/preview_license_change.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/preview_license_change.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct PreviewLicenseChange;

/// `graphql/apply_license_change.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/apply_license_change.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct ApplyLicenseChange;

/// `graphql/assign_license.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/assign_license.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct AssignLicense;

/// `graphql/unassign_license.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/unassign_license.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct UnassignLicense;

/// `graphql/upcoming_charges.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/upcoming_charges.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct UpcomingCharges;

/// `graphql/license_seats.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/license_seats.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct LicenseSeats;

/// `graphql/invoices.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/invoices.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct Invoices;

/// `graphql/invoice.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/invoice.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct Invoice;

/// `graphql/invoice_delivery.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/invoice_delivery.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct InvoiceDelivery;

/// `graphql/update_invoice_delivery.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/update_invoice_delivery.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct UpdateInvoiceDelivery;

/// `graphql/send_invoice_copy.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/send_invoice_copy.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct SendInvoiceCopy;

/// `graphql/consumption.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/consumption.graphql",
    response_derives = "Debug",
    extern_enums("IntervalUnit", "Role")
)]
pub struct Consumption;
