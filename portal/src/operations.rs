//! The portal's GraphQL operations, typed against `../schema.graphql` at compile time: an
//! operation that no longer matches the schema does not compile.

use graphql_client::GraphQLQuery;

/// The schema's `DateTime` scalar, as sent on the wire (RFC 3339).
type DateTime = String;
/// The schema's `NaiveDate` scalar (`YYYY-MM-DD`).
type NaiveDate = String;

/// `graphql/login.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/login.graphql",
    response_derives = "Debug"
)]
pub struct Login;

/// `graphql/viewer.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/viewer.graphql",
    response_derives = "Debug"
)]
pub struct Viewer;

/// `graphql/overview.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/overview.graphql",
    response_derives = "Debug"
)]
pub struct Overview;

/// `graphql/licenses.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/licenses.graphql",
    response_derives = "Debug"
)]
pub struct Licenses;

/// `graphql/preview_license_change.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/preview_license_change.graphql",
    response_derives = "Debug"
)]
pub struct PreviewLicenseChange;

/// `graphql/apply_license_change.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/apply_license_change.graphql",
    response_derives = "Debug"
)]
pub struct ApplyLicenseChange;

/// `graphql/assign_license.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/assign_license.graphql",
    response_derives = "Debug"
)]
pub struct AssignLicense;

/// `graphql/unassign_license.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/unassign_license.graphql",
    response_derives = "Debug"
)]
pub struct UnassignLicense;

/// `graphql/upcoming_charges.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/upcoming_charges.graphql",
    response_derives = "Debug"
)]
pub struct UpcomingCharges;

/// `graphql/license_seats.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/license_seats.graphql",
    response_derives = "Debug"
)]
pub struct LicenseSeats;
