//! Customers' names by id, many at once: what a list of another thing's rows (documents to
//! review) shows beside each row instead of a bare `cus_…`. No actor is checked here: the
//! caller passes only the customers of rows the actor has already been allowed to read (the
//! GraphQL loader behind `Document.organisationName`).

use std::collections::HashMap;

use entity::{customer, subscription};
use ids::{CustomerId, SubscriptionId};
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

    /// The customer (id and name) of each of `subscriptions`, in two queries; an unknown
    /// subscription is left out.
    pub(crate) async fn customers_of_subscriptions_readable(
        &self,
        subscriptions: &[SubscriptionId],
    ) -> ServiceResult<HashMap<SubscriptionId, (CustomerId, String)>> {
        let owners: Vec<(SubscriptionId, CustomerId)> = subscription::Entity::find()
            .select_only()
            .column(subscription::Column::Id)
            .column(subscription::Column::CustomerId)
            .filter(subscription::Column::Id.is_in(subscriptions.iter().copied()))
            .into_tuple()
            .all(self.db.reads())
            .await?;
        let customers: Vec<CustomerId> = owners.iter().map(|(_, c)| *c).collect();
        let names = self.names_of_readable(&customers).await?;
        Ok(owners
            .into_iter()
            .filter_map(|(s, c)| names.get(&c).map(|name| (s, (c, name.clone()))))
            .collect())
    }
}
