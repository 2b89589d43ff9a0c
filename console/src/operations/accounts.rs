//! The accounts slice's operations: the operator's staff users (operator admin), and the
//! signed-in staff member's own password.

use graphql_client::GraphQLQuery;

use super::{DateTime, Role};

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
