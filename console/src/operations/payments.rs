//! The payments slice's operations: the receivables the dunning page lists, and charging one
//! of them again now.

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

/// `graphql/retry_invoice_payment.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/retry_invoice_payment.graphql",
    response_derives = "Debug"
)]
pub struct RetryInvoicePayment;
