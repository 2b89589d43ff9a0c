//! Additions charged immediately: applying the quote finalises an invoice with exactly the
//! quote's proration line, in the applying transaction, so what is charged is what the quote
//! said was due now. The customer's credit balance pays what it can, as on every new invoice.
//! No coupon applies: the quote is binding, and it was computed without one.

use billing::{InvoiceInput, Money, ProrationItem, build_invoice, local_date};
use chrono::{DateTime, Datelike, Utc};
use entity::{customer, subscription};
use ids::{CustomerId, InvoiceId, SubscriptionId};
use sea_orm::EntityTrait;

use crate::db::TenantWrite;
use crate::error::{ServiceError, ServiceResult};
use crate::services::accounts;
use crate::services::credits::ledger;
use crate::services::invoices::finalise::{Finalised, insert_invoice, invoice_details};
use crate::services::invoices::numbering::{DocumentKind, Numbering};

/// Finalises the invoice of an immediately charged addition; returns its id.
///
/// It bills no subscription period (`subscription: None`): the proration's service period may
/// start on a period's first day, which the period invoice already holds. It carries the
/// PO number and notes of the customer and of `subscription` (the item's).
pub(super) async fn invoice_addition(
    txn: &TenantWrite,
    numbering: &Numbering,
    customer: CustomerId,
    subscription: SubscriptionId,
    item: &ProrationItem,
    now: DateTime<Utc>,
) -> ServiceResult<InvoiceId> {
    let customer = customer::Entity::find_by_id(customer)
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound { entity: "customer" })?;
    let address = accounts::addresses::default_of(txn, customer.id).await?;
    let subscription = subscription::Entity::find_by_id(subscription)
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound {
            entity: "subscription",
        })?;
    let details = invoice_details(&customer, Some(&subscription), None, None);
    let currency = item.prorated_unit_amount.currency();
    let invoice = build_invoice(&InvoiceInput {
        currency,
        period: item.service_period,
        // The quote's item already carries the customer's rate, or none when exempt.
        tax_exempt: false,
        recurring: Vec::new(),
        prorations: vec![item.clone()],
        metered: Vec::new(),
        rated_usage: Vec::new(),
        one_offs: Vec::new(),
        coupons: Vec::new(),
        credit_balance: Money::from_minor(customer.credit_balance_minor, currency),
    })
    .map_err(|e| ServiceError::internal(format!("immediate license invoice: {e}")))?;
    let today = local_date(now, accounts::rows::time_zone(&customer)?);
    let number = numbering
        .take_next(txn, DocumentKind::Invoice, today.year())
        .await?
        .to_string();
    let id = InvoiceId::new();
    // The names of the customer's rates, for the invoice's tax by rate.
    let tax = crate::services::tax::resolve(txn, &customer).await?;
    insert_invoice(
        txn,
        &Finalised {
            customer: &customer,
            subscription: None,
            // Paid like the subscription whose license it bills.
            collection_subscription: Some(subscription.id),
            id,
            number: &number,
            tax: tax.as_ref(),
            billing_address: address.as_ref(),
            issue_date: today,
            invoice: &invoice,
            po_number: details.po_number.as_deref(),
            notes: details.notes.as_deref(),
            crashes: None,
            billing_run: None,
        },
    )
    .await?;
    ledger::apply_to_invoice(
        txn,
        customer.id,
        id,
        &number,
        invoice.totals.credits_applied,
        now,
    )
    .await?;
    Ok(id)
}
