//! The operations of the documents page. Uploads are not GraphQL: they go through the
//! transport's `upload` (the API's `POST /documents`).

use graphql_client::GraphQLQuery;

use super::{AddressVerification, DateTime, Role};

/// `graphql/documents.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/documents.graphql",
    response_derives = "Debug",
    extern_enums("Role", "AddressVerification")
)]
pub struct Documents;
