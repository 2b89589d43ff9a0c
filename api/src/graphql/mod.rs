//! The GraphQL schema: one `MergedObject` per root, one folder per slice (query, mutation,
//! types, and the slice's fields of `Customer` / `Viewer`). Resolvers are a few lines: read the context, call a service, map the result.

// Slices: each adds its roots below and its fields to `Customer` / `Viewer`.
mod accounts;
mod catalog;
mod charges;
mod coupons;
mod credits;
mod invoices;
mod licenses;
mod mail;
mod numbers;
mod payments;
mod subscriptions;
mod tax;
mod usage;
mod vault;

// Shared.
mod audit;
mod context;
mod customer;
pub mod errors;
mod loaders;
mod money;
mod pagination;
mod viewer;

use async_graphql::dataloader::DataLoader;
use async_graphql::{MergedObject, MergedSubscription, Schema, SchemaBuilder};

pub use context::RequestId;

use crate::config::{Config, GraphqlLimits};
use crate::services::Services;

/// Every query.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    accounts::AccountsQuery,
    accounts::InvitationsQuery,
    accounts::StaffQuery,
    catalog::CatalogQuery,
    charges::ChargesQuery,
    coupons::CouponsQuery,
    tax::TaxQuery,
    invoices::BillingRunsQuery,
    mail::MailQuery,
    vault::VaultQuery,
    payments::PaymentsQuery,
    usage::UsageQuery,
    numbers::NumbersQuery,
);

/// Every mutation.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    accounts::SessionMutation,
    accounts::OrganisationsMutation,
    accounts::PeopleMutation,
    accounts::ContactsMutation,
    accounts::AddressesMutation,
    accounts::InvitationsMutation,
    accounts::StaffMutation,
    catalog::CatalogMutation,
    subscriptions::SubscriptionsMutation,
    subscriptions::SubscriptionLifecycleMutation,
    licenses::LicensesMutation,
    invoices::InvoicesMutation,
    credits::CreditsMutation,
    charges::ChargesMutation,
    coupons::CouponsMutation,
    tax::TaxMutation,
    invoices::BillingRunsMutation,
    mail::MailMutation,
    vault::VaultMutation,
    payments::PaymentsMutation,
    payments::PaymentSetupMutation,
    usage::UsageMutation,
    numbers::NumbersMutation,
);

/// Every subscription (served over WebSocket only). Not `Subscription`: that is the billing
/// subscription type.
#[derive(MergedSubscription, Default)]
#[graphql(name = "SubscriptionRoot")]
pub struct SubscriptionRoot(invoices::BillingRunsSubscription);

/// Billfold's executable schema.
pub type BillfoldSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Builds the schema with the limits and production switches of `config`.
pub fn build_schema(services: Services, config: &Config) -> BillfoldSchema {
    let limits = &config.graphql;
    let names = DataLoader::new(
        loaders::CustomerNames(services.customers.clone()),
        tokio::spawn,
    );
    let collections = DataLoader::new(
        loaders::InvoiceCollections(services.payments.clone()),
        tokio::spawn,
    );
    let call_numbers =
        DataLoader::new(loaders::CallNumbers(services.numbers.clone()), tokio::spawn);
    let subscription_customers = DataLoader::new(
        loaders::SubscriptionCustomers(services.customers.clone()),
        tokio::spawn,
    );
    let last_invoices = DataLoader::new(
        loaders::LastInvoiceDates(services.subscriptions.clone()),
        tokio::spawn,
    );
    let automatic_payments = DataLoader::new(
        loaders::AutomaticPayments(services.subscriptions.clone()),
        tokio::spawn,
    );
    let mut builder = builder(limits)
        .data(names)
        .data(automatic_payments)
        .data(last_invoices)
        .data(subscription_customers)
        .data(collections)
        .data(call_numbers)
        .data(services)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .limit_directives(8);
    if config.is_production() {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// Deepest nesting an introspection query may reach. graphql-js's standard introspection query
/// (GraphiQL, graphql-codegen, Postman, schemathesis) nests `ofType` nine levels inside
/// `__schema { types { fields { type … } } }`, past the ordinary depth limit; introspection
/// reads only the static schema, so a fixed higher bound is safe.
pub const INTROSPECTION_MAX_DEPTH: usize = 32;

/// A schema that answers introspection only, without the ordinary depth limit, for queries
/// whose every root field is `__schema`, `__type` or `__typename`; `None` when introspection is
/// off (production). Any other field is refused by the schema itself, so a query routed here by
/// mistake cannot reach a resolver.
pub fn build_introspection_schema(services: Services, config: &Config) -> Option<BillfoldSchema> {
    if config.is_production() {
        return None;
    }
    let limits = &config.graphql;
    Some(
        builder(limits)
            .data(services)
            .introspection_only()
            .limit_depth(INTROSPECTION_MAX_DEPTH)
            .limit_complexity(limits.max_complexity)
            .limit_recursive_depth(INTROSPECTION_MAX_DEPTH)
            .limit_directives(8)
            .finish(),
    )
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder(&GraphqlLimits::default()).finish().sdl()
}

fn builder(limits: &GraphqlLimits) -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .data(limits.clone())
}
