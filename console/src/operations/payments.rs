//! The payments slice's operations: the receivables the dunning page lists.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate};

/// `graphql/receivables.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/receivables.graphql",
    response_derives = "Debug"
)]
pub struct Receivables;
