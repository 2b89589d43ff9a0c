//! The payments slice's operations: the dunning queue.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate};

/// `graphql/dunning_queue.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/dunning_queue.graphql",
    response_derives = "Debug"
)]
pub struct DunningQueue;
