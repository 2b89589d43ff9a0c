//! The operations of the payments pages: payment methods, an invoice's payments and "pay
//! now", and the authentication page. Typed against `../schema.graphql` like the others.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate, Role};

/// `graphql/payment_methods.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/payment_methods.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct PaymentMethods;

/// `graphql/add_card.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/add_card.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct AddCard;

/// `graphql/add_sepa_debit.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/add_sepa_debit.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct AddSepaDebit;

/// `graphql/set_default_payment_method.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/set_default_payment_method.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct SetDefaultPaymentMethod;

/// `graphql/remove_payment_method.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/remove_payment_method.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct RemovePaymentMethod;

/// `graphql/invoice_payments.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/invoice_payments.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct InvoicePayments;

/// `graphql/pay_invoice.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/pay_invoice.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct PayInvoice;

/// `graphql/payment_attempt.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/payment_attempt.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct PaymentAttempt;

/// `graphql/confirm_payment_authentication.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/confirm_payment_authentication.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct ConfirmPaymentAuthentication;

/// `graphql/begin_payment_method_setup.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/begin_payment_method_setup.graphql",
    response_derives = "Debug"
)]
pub struct BeginPaymentMethodSetup;

/// `graphql/complete_payment_method_setup.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/complete_payment_method_setup.graphql",
    response_derives = "Debug"
)]
pub struct CompletePaymentMethodSetup;
