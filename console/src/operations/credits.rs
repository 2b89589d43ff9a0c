//! The credits tab's operations: the credit balance and its changes, the coupons applied to a
//! customer, and the mutations that adjust the one and apply or remove the others.

use graphql_client::GraphQLQuery;

use super::DateTime;

/// `graphql/customer_credits.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/customer_credits.graphql",
    response_derives = "Debug"
)]
pub struct CustomerCredits;

/// `graphql/coupon_choices.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/coupon_choices.graphql",
    response_derives = "Debug"
)]
pub struct CouponChoices;

/// `graphql/adjust_credit_balance.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/adjust_credit_balance.graphql",
    response_derives = "Debug"
)]
pub struct AdjustCreditBalance;

/// `graphql/apply_coupon.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/apply_coupon.graphql",
    response_derives = "Debug"
)]
pub struct ApplyCoupon;

/// `graphql/remove_coupon.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/remove_coupon.graphql",
    response_derives = "Debug"
)]
pub struct RemoveCoupon;
