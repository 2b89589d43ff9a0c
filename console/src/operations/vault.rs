//! The vault slice's operations: the review queue and the review of a document.

use graphql_client::GraphQLQuery;

use super::DateTime;

/// `graphql/documents_to_review.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/documents_to_review.graphql",
    response_derives = "Debug"
)]
pub struct DocumentsToReview;

/// `graphql/review_document.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/review_document.graphql",
    response_derives = "Debug"
)]
pub struct ReviewDocument;
