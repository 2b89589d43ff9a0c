//! The subscriptions slice's operations: the prices a subscription may use, and creating,
//! cancelling, pausing and resuming one.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate};

/// `graphql/product_choices.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/product_choices.graphql",
    // Clone: the kind asked for is sent again with each page.
    response_derives = "Debug, Clone"
)]
pub struct ProductChoices;

/// `graphql/create_subscription.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_subscription.graphql",
    response_derives = "Debug"
)]
pub struct CreateSubscription;

/// `graphql/cancel_subscription.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/cancel_subscription.graphql",
    response_derives = "Debug"
)]
pub struct CancelSubscription;

/// `graphql/set_subscription_automatic_payment.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/set_subscription_automatic_payment.graphql",
    response_derives = "Debug"
)]
pub struct SetSubscriptionAutomaticPayment;

/// `graphql/pause_subscription.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/pause_subscription.graphql",
    response_derives = "Debug"
)]
pub struct PauseSubscription;

/// `graphql/resume_subscription.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/resume_subscription.graphql",
    response_derives = "Debug"
)]
pub struct ResumeSubscription;

/// `graphql/add_subscription_item.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/add_subscription_item.graphql",
    response_derives = "Debug"
)]
pub struct AddSubscriptionItem;

/// `graphql/remove_subscription_item.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/remove_subscription_item.graphql",
    response_derives = "Debug"
)]
pub struct RemoveSubscriptionItem;

/// `graphql/set_subscription_item_quantity.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/set_subscription_item_quantity.graphql",
    response_derives = "Debug"
)]
pub struct SetSubscriptionItemQuantity;

/// `graphql/set_subscription_item_unit_price.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/set_subscription_item_unit_price.graphql",
    response_derives = "Debug"
)]
pub struct SetSubscriptionItemUnitPrice;

/// `graphql/set_subscription_invoice_details.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/set_subscription_invoice_details.graphql",
    response_derives = "Debug"
)]
pub struct SetSubscriptionInvoiceDetails;

/// `graphql/quote_seats.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/quote_seats.graphql",
    response_derives = "Debug"
)]
pub struct QuoteSeats;

/// `graphql/apply_seats.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/apply_seats.graphql",
    response_derives = "Debug"
)]
pub struct ApplySeats;
