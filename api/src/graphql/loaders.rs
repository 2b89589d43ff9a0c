//! Batched look-ups for fields that a list would otherwise read once per row: a page of 50
//! documents asks for its organisations' names in one query. No cache: a loader lives as long
//! as the schema, and a name read now must not be served after it changes; what it batches are
//! the loads of one request's fields resolved together.

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
