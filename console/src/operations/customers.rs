//! The customers slice's operations: the search, the customer page's header and tabs, and the
//! creation of a customer.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate, Role};

/// `graphql/search_customers.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/search_customers.graphql",
    response_derives = "Debug"
)]
pub struct SearchCustomers;

/// `graphql/customer_header.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_header.graphql",
    response_derives = "Debug"
)]
pub struct CustomerHeader;

/// `graphql/customer_subscription.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_subscription.graphql",
    response_derives = "Debug"
)]
pub struct CustomerSubscription;

/// `graphql/subscription_choices.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/subscription_choices.graphql",
    response_derives = "Debug"
)]
pub struct SubscriptionChoices;

/// `graphql/customer_subscriptions.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_subscriptions.graphql",
    response_derives = "Debug"
)]
pub struct CustomerSubscriptions;

/// `graphql/customer_invoices.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_invoices.graphql",
    response_derives = "Debug"
)]
pub struct CustomerInvoices;

/// `graphql/customer_usage.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_usage.graphql",
    response_derives = "Debug"
)]
pub struct CustomerUsage;

/// `graphql/customer_contacts.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_contacts.graphql",
    response_derives = "Debug"
)]
pub struct CustomerContacts;

/// `graphql/create_customer.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_customer.graphql",
    response_derives = "Debug"
)]
pub struct CreateCustomer;

/// `graphql/customer_addresses.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_addresses.graphql",
    response_derives = "Debug"
)]
pub struct CustomerAddresses;

/// `graphql/customer_payment_methods.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_payment_methods.graphql",
    response_derives = "Debug"
)]
pub struct CustomerPaymentMethods;

/// `graphql/customer_users.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_users.graphql",
    response_derives = "Debug",
    extern_enums("Role")
)]
pub struct CustomerUsers;

/// `graphql/customer_documents.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_documents.graphql",
    response_derives = "Debug"
)]
pub struct CustomerDocuments;

/// `graphql/customer_audit.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_audit.graphql",
    response_derives = "Debug"
)]
pub struct CustomerAudit;

/// `graphql/customer_settings.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_settings.graphql",
    response_derives = "Debug"
)]
pub struct CustomerSettings;

/// `graphql/update_customer_billing_settings.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/update_customer_billing_settings.graphql",
    response_derives = "Debug"
)]
pub struct UpdateCustomerBillingSettings;

/// `graphql/set_customer_tags.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/set_customer_tags.graphql",
    response_derives = "Debug"
)]
pub struct SetCustomerTags;

/// `graphql/update_customer.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/update_customer.graphql",
    response_derives = "Debug"
)]
pub struct UpdateCustomer;
