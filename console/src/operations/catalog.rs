//! The catalog slice's operations: products and their price versions (moving subscriptions
//! between versions), tariffs and their versions, coupons and tax rates (operator staff;
//! support reads).

use graphql_client::GraphQLQuery;

use super::{DateTime, NaiveDate};

/// `graphql/catalog_products.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/catalog_products.graphql",
    response_derives = "Debug"
)]
pub struct CatalogProducts;

/// `graphql/create_product.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_product.graphql",
    response_derives = "Debug"
)]
pub struct CreateProduct;

/// `graphql/catalog_product.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/catalog_product.graphql",
    response_derives = "Debug"
)]
pub struct CatalogProduct;

/// `graphql/create_price.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_price.graphql",
    response_derives = "Debug"
)]
pub struct CreatePrice;

/// `graphql/move_subscriptions_to_price.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/move_subscriptions_to_price.graphql",
    response_derives = "Debug"
)]
pub struct MoveSubscriptionsToPrice;

/// `graphql/coupons.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/coupons.graphql",
    response_derives = "Debug"
)]
pub struct Coupons;

/// `graphql/create_coupon.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_coupon.graphql",
    response_derives = "Debug"
)]
pub struct CreateCoupon;

/// `graphql/archive_coupon.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/archive_coupon.graphql",
    response_derives = "Debug"
)]
pub struct ArchiveCoupon;

/// `graphql/tax_rates.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/tax_rates.graphql",
    response_derives = "Debug"
)]
pub struct TaxRates;

/// `graphql/create_tax_rate.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_tax_rate.graphql",
    response_derives = "Debug"
)]
pub struct CreateTaxRate;

/// `graphql/archive_tax_rate.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/archive_tax_rate.graphql",
    response_derives = "Debug"
)]
pub struct ArchiveTaxRate;

/// `graphql/tariff_choices.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/tariff_choices.graphql",
    response_derives = "Debug"
)]
pub struct TariffChoices;

/// `graphql/tariffs.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/tariffs.graphql",
    response_derives = "Debug"
)]
pub struct Tariffs;

/// `graphql/tariff.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/tariff.graphql",
    response_derives = "Debug"
)]
pub struct Tariff;

/// `graphql/create_tariff.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_tariff.graphql",
    response_derives = "Debug"
)]
pub struct CreateTariff;

/// `graphql/create_tariff_version.graphql`.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../schema.graphql",
    query_path = "graphql/create_tariff_version.graphql",
    response_derives = "Debug"
)]
pub struct CreateTariffVersion;
