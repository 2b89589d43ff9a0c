//! Customers' names by id, many at once: what a list of another thing's rows (documents to
//! review) shows beside each row instead of a bare `cus_…`. No actor is checked here: the
//! caller passes only the customers of rows the actor has already been allowed to read (the
//! GraphQL loader behind `Document.organisationName`).

use std::collections::HashMap;

use entity::customer;
use ids::CustomerId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::CustomersService;
use crate::error::ServiceResult;

impl CustomersService {
    /// The names of `ids`, in one query; an unknown id is left out.
    pub(crate) async fn names_of_readable(
        &self,
        ids: &[CustomerId],
    ) -> ServiceResult<HashMap<CustomerId, String>> {
        let rows: Vec<(CustomerId, String)> = customer::Entity::find()
            .select_only()
            .column(customer::Column::Id)
            .column(customer::Column::Name)
            .filter(customer::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(self.db.reads())
            .await?;
        Ok(rows.into_iter().collect())
    }
}
