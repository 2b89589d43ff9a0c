//! The usage slice's operations: the API keys machines send usage with (operator admin), the
//! usage and calls files, unrated calls, and the telephone numbers sold and released.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate};

/// `graphql/api_keys.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/api_keys.graphql",
    response_derives = "Debug"
)]
pub struct ApiKeys;

/// `graphql/create_api_key.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_api_key.graphql",
    response_derives = "Debug"
)]
pub struct CreateApiKey;

/// `graphql/revoke_api_key.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/revoke_api_key.graphql",
    response_derives = "Debug"
)]
pub struct RevokeApiKey;

/// `graphql/unrated_calls.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/unrated_calls.graphql",
    response_derives = "Debug"
)]
pub struct UnratedCalls;

/// `graphql/rerate_calls.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/rerate_calls.graphql",
    response_derives = "Debug"
)]
pub struct RerateCalls;

/// `graphql/add_phone_number.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/add_phone_number.graphql",
    response_derives = "Debug"
)]
pub struct AddPhoneNumber;

/// `graphql/release_phone_number.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/release_phone_number.graphql",
    response_derives = "Debug"
)]
pub struct ReleasePhoneNumber;
