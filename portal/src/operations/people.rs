//! The operations of the users page, the invitation accept page and the audit log page.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate, Role};

/// `graphql/users.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/users.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct Users;

/// `graphql/invite_user.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/invite_user.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct InviteUser;

/// `graphql/revoke_invitation.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/revoke_invitation.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct RevokeInvitation;

/// `graphql/change_user_role.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/change_user_role.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct ChangeUserRole;

/// `graphql/remove_user.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/remove_user.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct RemoveUser;

/// `graphql/invitation.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/invitation.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct Invitation;

/// `graphql/accept_invitation.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/accept_invitation.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct AcceptInvitation;

/// `graphql/audit_log.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/audit_log.graphql",
    response_derives = "Debug",
    variables_derives = "Debug",
    extern_enums("Role")
)]
pub struct AuditLog;
