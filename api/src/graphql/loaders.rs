//! Batched look-ups for fields that a list would otherwise read once per row: a page of 50
//! documents asks for its organisations' names in one query. The loader is the schema's, so
//! it batches the loads that arrive together, of one request or of several: no cache (a name
//! read now must not be served after it changes), and each caller gets only the keys it asked
//! for. A failed batch fails the fields of every request in it.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use ids::CustomerId;

use crate::services::accounts::CustomersService;

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
