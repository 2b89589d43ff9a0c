//! The invoices slice's operations: one invoice, an offline payment of it, its voiding, a credit
//! note against it, a copy sent again, and a refund of one of its payments.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate};

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

/// `graphql/issue_credit_note.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/issue_credit_note.graphql",
    response_derives = "Debug"
)]
pub struct IssueCreditNote;

/// `graphql/send_invoice_copy.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/send_invoice_copy.graphql",
    response_derives = "Debug"
)]
pub struct SendInvoiceCopy;

/// `graphql/refund_payment.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/refund_payment.graphql",
    response_derives = "Debug"
)]
pub struct RefundPayment;
