//! Batched look-ups for fields that a list would otherwise read once per row: a page of 50
//! documents asks for its organisations' names in one query, a page of 50 receivables for
//! their automatic collections in one, a page of unrated calls for their numbers in two. The loader is the schema's, so
//! it batches the loads that arrive together, of one request or of several: no cache (a name
//! read now must not be served after it changes), and each caller gets only the keys it asked
//! for. A failed batch fails the fields of every request in it.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::invoice_collection;
use ids::{CustomerId, InvoiceId, PhoneNumberId, SubscriptionId};

use crate::services::accounts::CustomersService;
use crate::services::numbers::NumbersService;
use crate::services::payments::PaymentsService;
use crate::services::subscriptions::SubscriptionsService;

/// Customers' names by id, for rows the actor was already allowed to read (see
/// `CustomersService::names_of_readable`).
pub struct CustomerNames(pub CustomersService);

impl Loader<CustomerId> for CustomerNames {
    type Value = String;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[CustomerId]) -> Result<HashMap<CustomerId, String>, Self::Error> {
        Ok(self.0.names_of_readable(keys).await?)
    }
}

/// Invoices' automatic collections (their dunning) by invoice id, for invoices the actor was
/// already allowed to read (see `PaymentsService::collections_of_readable`).
pub struct InvoiceCollections(pub PaymentsService);

impl Loader<InvoiceId> for InvoiceCollections {
    type Value = invoice_collection::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[InvoiceId],
    ) -> Result<HashMap<InvoiceId, invoice_collection::Model>, Self::Error> {
        Ok(self.0.collections_of_readable(keys).await?)
    }
}

/// Telephone numbers as a call shows them, (E.164, tariff name) by number id, for calls the
/// actor was already allowed to read (see `NumbersService::numbers_with_tariffs_of_readable`).
pub struct CallNumbers(pub NumbersService);

impl Loader<PhoneNumberId> for CallNumbers {
    type Value = (String, String);
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PhoneNumberId],
    ) -> Result<HashMap<PhoneNumberId, (String, String)>, Self::Error> {
        Ok(self.0.numbers_with_tariffs_of_readable(keys).await?)
    }
}

/// Subscriptions' customers, (id, name) by subscription id, for rows the actor was already
/// allowed to read (a billing run's failures; see
/// `CustomersService::customers_of_subscriptions_readable`).
pub struct SubscriptionCustomers(pub CustomersService);

impl Loader<SubscriptionId> for SubscriptionCustomers {
    type Value = (CustomerId, String);
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[SubscriptionId],
    ) -> Result<HashMap<SubscriptionId, (CustomerId, String)>, Self::Error> {
        Ok(self.0.customers_of_subscriptions_readable(keys).await?)
    }
}

/// Subscriptions' last invoice dates by subscription id, for subscriptions the actor was
/// already allowed to read (see `SubscriptionsService::last_invoice_dates_of_readable`).
pub struct LastInvoiceDates(pub SubscriptionsService);

impl Loader<SubscriptionId> for LastInvoiceDates {
    type Value = chrono::NaiveDate;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[SubscriptionId],
    ) -> Result<HashMap<SubscriptionId, chrono::NaiveDate>, Self::Error> {
        Ok(self.0.last_invoice_dates_of_readable(keys).await?)
    }
}

/// Subscriptions' automatic payment switch by subscription id, for subscriptions of invoices the
/// actor was already allowed to read (see
/// `SubscriptionsService::automatic_payment_of_readable`).
pub struct AutomaticPayments(pub SubscriptionsService);

impl Loader<SubscriptionId> for AutomaticPayments {
    type Value = bool;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[SubscriptionId],
    ) -> Result<HashMap<SubscriptionId, bool>, Self::Error> {
        Ok(self.0.automatic_payment_of_readable(keys).await?)
    }
}
