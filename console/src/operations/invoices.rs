//! The invoices slice's operations: one invoice, an offline payment of it, its voiding, a credit
//! note against it, a copy sent again, and a refund of one of its payments; billing runs,
//! starting one, and one with the invoices it made.

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

/// `graphql/billing_runs.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/billing_runs.graphql",
    response_derives = "Debug"
)]
pub struct BillingRuns;

/// `graphql/billing_run.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/billing_run.graphql",
    response_derives = "Debug"
)]
pub struct BillingRun;

/// `graphql/billing_run_progress.graphql`: not run by the console but by the run page's
/// script, which is served with this operation's text ([`billing_run_progress::QUERY`]), so a
/// schema change that breaks it fails the build.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/billing_run_progress.graphql",
    response_derives = "Debug"
)]
#[expect(
    dead_code,
    reason = "the derive's anchor only: the script is served the generated module's QUERY"
)]
pub struct BillingRunProgress;

/// `graphql/start_billing_run.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/start_billing_run.graphql",
    response_derives = "Debug"
)]
pub struct StartBillingRun;
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
