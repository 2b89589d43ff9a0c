//! The charges slice's operations: the charges tab, the preview of the invoice charges would
//! make, and their creation.

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate};

/// `graphql/charges_tab.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/charges_tab.graphql",
    response_derives = "Debug"
)]
pub struct ChargesTab;

/// `graphql/preview_charges.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/preview_charges.graphql",
    response_derives = "Debug",
    variables_derives = "Clone"
)]
pub struct PreviewCharges;

/// `graphql/create_charges.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_charges.graphql",
    response_derives = "Debug"
)]
pub struct CreateCharges;

/// `graphql/delete_unbilled_charge.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/delete_unbilled_charge.graphql",
    response_derives = "Debug"
)]
pub struct DeleteUnbilledCharge;
