//! The operations of the organisation's own pages: contacts, billing addresses, teams and
//! members, and the change of password. Typed against `../schema.graphql` like the others.

use graphql_client::GraphQLQuery;

use super::{AddressVerification, ContactRole, Role};

/// `graphql/contacts.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/contacts.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct Contacts;

/// `graphql/add_contact.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/add_contact.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct AddContact;

/// `graphql/update_contact.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/update_contact.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct UpdateContact;

/// `graphql/remove_contact.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/remove_contact.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct RemoveContact;

/// `graphql/addresses.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/addresses.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct Addresses;

/// `graphql/add_billing_address.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/add_billing_address.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct AddBillingAddress;

/// `graphql/update_billing_address.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/update_billing_address.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct UpdateBillingAddress;

/// `graphql/set_default_billing_address.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/set_default_billing_address.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct SetDefaultBillingAddress;

/// `graphql/remove_billing_address.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/remove_billing_address.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct RemoveBillingAddress;

/// `graphql/team.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/team.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct Team;

/// `graphql/create_team.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_team.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct CreateTeam;

/// `graphql/rename_team.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/rename_team.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct RenameTeam;

/// `graphql/delete_team.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/delete_team.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct DeleteTeam;

/// `graphql/create_member.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_member.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct CreateMember;

/// `graphql/update_member.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/update_member.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct UpdateMember;

/// `graphql/remove_member.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/remove_member.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct RemoveMember;

/// `graphql/change_password.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/change_password.graphql",
    response_derives = "Debug",
    extern_enums("Role", "ContactRole", "AddressVerification")
)]
pub struct ChangePassword;
