//! Finalising an invoice: the one place an invoice `billing` built is written, numbered and
//! `open`, with its lines. The billing run and "invoice now" of one-time charges both finalise
//! through [`insert_invoice`], in the caller's transaction (which also took the number), so
//! every finalised invoice is stored the same way.

use chrono::{NaiveDate, Utc};
use entity::invoice::InvoiceStatus;
use entity::{customer, invoice, invoice_line};
use ids::{InvoiceId, InvoiceLineId, SubscriptionId};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use super::crash::{CrashPoint, Crashes};
use crate::db::TenantWrite;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};

/// An invoice `billing` built, with what the stored row adds to it.
pub struct Finalised<'a> {
    /// The customer billed, as read in the finalising transaction (its details are
    /// snapshotted on the invoice).
    pub customer: &'a customer::Model,
    /// The subscription whose period it bills; `None` for an invoice of one-time charges,
    /// which bills no period (the unique key on subscription and period start is for period
    /// invoices only).
    pub subscription: Option<SubscriptionId>,
    /// The new invoice's id.
    pub id: InvoiceId,
    /// The number taken in the same transaction.
    pub number: &'a str,
    /// The day it is issued; the due date follows from it ([`due_date`]).
    pub issue_date: NaiveDate,
    /// Lines and totals, as `billing` computed them.
    pub invoice: &'a billing::Invoice,
    /// The customer's purchase order number, printed on the invoice.
    pub po_number: Option<&'a str>,
    /// Free text printed on the invoice.
    pub notes: Option<&'a str>,
    /// The billing run's test crash points (after the invoice row, after the lines); `None`
    /// elsewhere.
    pub(crate) crashes: Option<&'a Crashes>,
}

/// The day an invoice issued on `issue_date` is due: the issue date plus the customer's
/// payment terms ([`crate::services::tax::due_date`]). The one place the due date is decided.
pub fn due_date(customer: &customer::Model, issue_date: NaiveDate) -> NaiveDate {
    crate::services::tax::due_date(issue_date, customer)
}

/// Writes the finalised invoice and its lines, amounts in minor units as `billing` computed them.
pub async fn insert_invoice(txn: &TenantWrite, f: &Finalised<'_>) -> ServiceResult<()> {
    let invoice = f.invoice;
    let customer = f.customer;
    let minor = |m: billing::Money| {
        m.to_minor()
            .map_err(|e| ServiceError::internal(format!("invoice amount: {e}")))
    };
    let totals = &invoice.totals;
    let now = Utc::now();
    // The names of the customer's tax rates as of finalisation, for the invoice's tax by rate.
    let tax = crate::services::tax::resolve(txn, customer).await?;
    invoice::Entity::insert(invoice::ActiveModel {
        id: Set(f.id),
        customer_id: Set(customer.id),
        subscription_id: Set(f.subscription),
        number: Set(Some(f.number.to_owned())),
        status: Set(InvoiceStatus::Open),
        currency: Set(invoice.currency.code().to_owned()),
        period_start: Set(invoice.period.start()),
        period_end: Set(invoice.period.end()),
        issue_date: Set(f.issue_date),
        due_date: Set(due_date(customer, f.issue_date)),
        subtotal_minor: Set(minor(totals.subtotal)?),
        discount_minor: Set(minor(totals.discount)?),
        tax_minor: Set(minor(totals.tax)?),
        total_minor: Set(minor(totals.total)?),
        credits_applied_minor: Set(minor(totals.credits_applied)?),
        amount_due_minor: Set(minor(totals.amount_due)?),
        billing_snapshot: Set(json!({
            "name": customer.name,
            "company": customer.company,
            "email": customer.email,
            "currency": customer.currency,
            "time_zone": customer.time_zone,
            "tax_rate": customer.tax_rate,
            "tax_names": crate::services::tax::names(tax.as_ref()),
        })),
        created_at: Set(now),
        finalised_at: Set(Some(now)),
        po_number: Set(f.po_number.map(str::to_owned)),
        notes: Set(f.notes.map(str::to_owned)),
    })
    .exec_without_returning(txn)
    .await
    .map_err(on_unique_violation(|| {
        ServiceError::internal("a second invoice for one subscription period was refused")
    }))?;
    if let Some(crashes) = f.crashes {
        crashes.at(CrashPoint::AfterInvoiceRow)?;
    }
    let lines = invoice
        .lines
        .iter()
        .enumerate()
        .map(|(position, line)| {
            Ok(invoice_line::ActiveModel {
                id: Set(InvoiceLineId::new()),
                invoice_id: Set(f.id),
                customer_id: Set(customer.id),
                position: Set(i32::try_from(position).map_err(ServiceError::internal)?),
                kind: Set(stored_kind(line.kind)),
                description: Set(line.description.clone()),
                product_id: Set(line.product_id.clone()),
                quantity: Set(line.quantity.to_string()),
                unit_amount: Set(line.unit_amount.map(|a| a.to_string())),
                amount_minor: Set(minor(line.amount)?),
                tax_minor: Set(minor(line.tax)?),
                tax_rate: Set(line.tax_rate.map(|r| r.0.value().to_string())),
                period_start: Set(line.service_period.map(|p| p.start())),
                period_end: Set(line.service_period.map(|p| p.end())),
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    if !lines.is_empty() {
        invoice_line::Entity::insert_many(lines)
            .exec_without_returning(txn)
            .await?;
    }
    if let Some(crashes) = f.crashes {
        crashes.at(CrashPoint::AfterLines)?;
    }
    Ok(())
}

/// The stored kind of a line.
fn stored_kind(kind: billing::LineKind) -> invoice_line::LineKind {
    use billing::LineKind as Kind;
    match kind {
        Kind::Recurring => invoice_line::LineKind::Recurring,
        Kind::Proration => invoice_line::LineKind::Proration,
        Kind::Usage => invoice_line::LineKind::Usage,
        Kind::OneOff => invoice_line::LineKind::OneOff,
        Kind::Discount => invoice_line::LineKind::Discount,
        Kind::Credit => invoice_line::LineKind::Credit,
    }
}

/// A stored line's kind as `billing` names it.
pub(crate) fn stored_kind_to_billing(kind: invoice_line::LineKind) -> billing::LineKind {
    use billing::LineKind as Kind;
    match kind {
        invoice_line::LineKind::Recurring => Kind::Recurring,
        invoice_line::LineKind::Proration => Kind::Proration,
        invoice_line::LineKind::Usage => Kind::Usage,
        invoice_line::LineKind::OneOff => Kind::OneOff,
        invoice_line::LineKind::Discount => Kind::Discount,
        invoice_line::LineKind::Credit => Kind::Credit,
    }
}
