//! The invoices slice's operations: one invoice, an offline payment of it, and its voiding.

use graphql_client::GraphQLQuery;

use super::NaiveDate;

/// `graphql/console_invoice.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/console_invoice.graphql",
    response_derives = "Debug"
)]
pub struct ConsoleInvoice;

/// `graphql/record_offline_payment.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/record_offline_payment.graphql",
    response_derives = "Debug"
)]
pub struct RecordOfflinePayment;

/// `graphql/void_invoice.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/void_invoice.graphql",
    response_derives = "Debug"
)]
pub struct VoidInvoice;
