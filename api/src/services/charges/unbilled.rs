//! Unbilled one-off charges: staff list a customer's and delete one not yet invoiced.

use billing::InvoiceLine;
use entity::{customer, one_off_charge};
use ids::{ChargeId, CustomerId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::ChargesService;
use super::rows::one_off_item;
use crate::auth::Actor;
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::catalog;

/// A charge with its invoice line as it bills today (amount and tax from `billing`).
#[derive(Clone, Debug)]
pub struct ChargeView {
    /// The stored charge.
    pub row: one_off_charge::Model,
    /// Its line.
    pub line: InvoiceLine,
}

/// A charge's line as the customer's invoice would show it.
pub(super) fn view(
    customer: &customer::Model,
    tax: Option<&crate::services::tax::CustomerTax>,
    row: one_off_charge::Model,
) -> ServiceResult<ChargeView> {
    let currency = catalog::rows::currency(&customer.currency)?;
    let line = one_off_item(tax, &row)?
        .line(currency, tax.is_none())
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(ChargeView { row, line })
}

impl ChargesService {
    /// A customer's charges waiting for an invoice, oldest first (operator staff). The list is
    /// bounded in practice: every billing run empties it.
    pub async fn unbilled(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<Vec<ChargeView>> {
        actor.authenticated()?.require_staff_reader()?;
        let db = self.db.reads();
        let customer = find_customer(db, customer).await?;
        let tax = crate::services::tax::resolve(db, &customer).await?;
        one_off_charge::Entity::find()
            .filter(one_off_charge::Column::CustomerId.eq(customer.id))
            .filter(one_off_charge::Column::InvoicedAt.is_null())
            .order_by_asc(one_off_charge::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|row| view(&customer, tax.as_ref(), row))
            .collect()
    }

    /// Charges of a customer by id, in the order given (operator staff): what a create just
    /// stored, invoiced or not.
    pub async fn charges(
        &self,
        actor: &Actor,
        customer: CustomerId,
        ids: &[ChargeId],
    ) -> ServiceResult<Vec<ChargeView>> {
        actor.authenticated()?.require_staff_reader()?;
        let db = self.db.reads();
        let customer = find_customer(db, customer).await?;
        let tax = crate::services::tax::resolve(db, &customer).await?;
        let mut rows = one_off_charge::Entity::find()
            .filter(one_off_charge::Column::CustomerId.eq(customer.id))
            .filter(one_off_charge::Column::Id.is_in(ids.to_vec()))
            .all(db)
            .await?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        rows.into_iter()
            .map(|row| view(&customer, tax.as_ref(), row))
            .collect()
    }

    /// Deletes an unbilled charge (operator staff), with an audit entry. `NOT_FOUND` for an
    /// unknown charge; `CONFLICT` once an invoice took it.
    pub async fn delete_unbilled(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: ChargeId,
    ) -> ServiceResult<ChargeView> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let row = one_off_charge::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "charge" })?;
        let invoiced = || ServiceError::Conflict {
            message: "this charge is already invoiced: correct it with a credit note".into(),
        };
        if row.invoiced_at.is_some() {
            return Err(invoiced());
        }
        // Only while still unbilled: a billing run that took it first wins.
        let deleted = one_off_charge::Entity::delete_many()
            .filter(one_off_charge::Column::Id.eq(id))
            .filter(one_off_charge::Column::InvoicedAt.is_null())
            .exec(&txn)
            .await?;
        if deleted.rows_affected != 1 {
            return Err(invoiced());
        }
        let customer = find_customer(&txn, row.customer_id).await?;
        let tax = crate::services::tax::resolve(&txn, &customer).await?;
        let view = view(&customer, tax.as_ref(), row)?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(customer.id),
                action: "charge.delete",
                subject_type: "charge",
                subject_id: id.to_string(),
                before: Some(audit_json(&view)),
                after: None,
            },
        )
        .await?;
        txn.commit(customer.id).await?;
        Ok(view)
    }
}

/// What the audit log keeps of a charge.
pub(super) fn audit_json(view: &ChargeView) -> serde_json::Value {
    let r = &view.row;
    json!({
        "subscription": r.subscription_id.map(|s| s.to_string()),
        "product": r.product_id.map(|p| p.to_string()),
        "description": r.description,
        "quantity": r.quantity,
        "unit_amount": r.unit_amount,
        "currency": r.currency,
        "taxable": r.taxable,
        "amount": view.line.amount.amount().to_string(),
        "tax": view.line.tax.amount().to_string(),
        "period_start": r.period_start,
        "period_end": r.period_end,
        "invoice": r.invoice_id.map(|i| i.to_string()),
    })
}

/// A customer by id; `NOT_FOUND` when there is none.
pub(super) async fn find_customer<C: ConnectionTrait>(
    db: &C,
    id: CustomerId,
) -> ServiceResult<customer::Model> {
    customer::Entity::find_by_id(id)
        .one_by_key(db)
        .await?
        .ok_or(ServiceError::NotFound { entity: "customer" })
}
