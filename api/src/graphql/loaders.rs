//! Batched look-ups for fields that a list would otherwise read once per row: a page of 50
//! documents asks for its organisations' names in one query, a page of 50 receivables for
//! their automatic collections in one. The loader is the schema's, so
//! it batches the loads that arrive together, of one request or of several: no cache (a name
//! read now must not be served after it changes), and each caller gets only the keys it asked
//! for. A failed batch fails the fields of every request in it.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::invoice_collection;
use ids::{CustomerId, InvoiceId};

use crate::services::accounts::CustomersService;
use crate::services::payments::PaymentsService;

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
