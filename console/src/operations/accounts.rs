//! The accounts slice's operations: the operator's staff users (operator admin), the
//! signed-in staff member's own password, and the whole audit log.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate, Role};

/// `graphql/staff_users.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/staff_users.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct StaffUsers;

/// `graphql/create_staff_user.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_staff_user.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct CreateStaffUser;

/// `graphql/change_staff_role.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/change_staff_role.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct ChangeStaffRole;

/// `graphql/disable_staff_user.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/disable_staff_user.graphql",
    response_derives = "Debug"
)]
pub struct DisableStaffUser;

/// `graphql/enable_staff_user.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/enable_staff_user.graphql",
    response_derives = "Debug"
)]
pub struct EnableStaffUser;

/// `graphql/change_password.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/change_password.graphql",
    response_derives = "Debug"
)]
pub struct ChangePassword;

/// `graphql/audit_log.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/audit_log.graphql",
    response_derives = "Debug"
)]
pub struct AuditLog;
