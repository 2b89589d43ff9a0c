//! The portal's GraphQL operations, typed against `../schema.graphql` at compile time: an
//! operation that no longer matches the schema does not compile.

use graphql_client::GraphQLQuery;

/// The schema's `DateTime` scalar, as sent on the wire (RFC 3339).
type DateTime = String;

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
