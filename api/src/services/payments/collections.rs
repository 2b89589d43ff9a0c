//! The automatic collection (the dunning state) of many invoices at once: what a list of
//! invoices (the console's dunning page) shows beside each row, in one query instead of one
//! per row. No actor is checked here: the caller passes only invoices the actor has already
//! been allowed to read (the GraphQL loader behind `Invoice.dunning`), and a collection
//! belongs to its invoice's organisation.

use std::collections::HashMap;

use entity::invoice_collection;
use ids::InvoiceId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::PaymentsService;
use crate::error::ServiceResult;

impl PaymentsService {
    /// The collections of `invoices`, in one query; an invoice without one is left out.
    pub(crate) async fn collections_of_readable(
        &self,
        invoices: &[InvoiceId],
    ) -> ServiceResult<HashMap<InvoiceId, invoice_collection::Model>> {
        let rows = invoice_collection::Entity::find()
            .filter(invoice_collection::Column::InvoiceId.is_in(invoices.iter().copied()))
            .all(self.db.reads())
            .await?;
        Ok(rows.into_iter().map(|row| (row.invoice_id, row)).collect())
    }
}
