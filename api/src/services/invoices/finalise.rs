//! Finalising an invoice: the one place an invoice `billing` built is written, numbered and
//! `open`, with its lines. The billing run (a batch of invoices at once), "invoice now" of
//! one-time charges and immediate license invoices all finalise through [`insert_invoices`], in
//! the caller's transaction (which also took the numbers), so every finalised invoice is stored
//! the same way.

use chrono::{DateTime, NaiveDate, Utc};
use entity::invoice::InvoiceStatus;
use entity::{billing_address, customer, invoice, invoice_line, subscription, unbilled_charge};
use ids::{BillingRunId, InvoiceId, InvoiceLineId, SubscriptionId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::crash::{CrashPoint, Crashes};
use crate::db::TenantWrite;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::mail::outbox::{self, NewMessage};
use crate::services::tenant_state::TenantState;

/// Rows per multi-row insert: far under both databases' limit on bound parameters (32,766 on
/// SQLite, 65,535 on PostgreSQL) at the ~25 columns of an invoice row.
const ROWS_PER_INSERT: usize = 500;

/// An invoice `billing` built, with what the stored row adds to it.
pub struct Finalised<'a> {
    /// The customer billed, as read in the finalising transaction (its details are
    /// snapshotted on the invoice).
    pub customer: &'a customer::Model,
    /// The subscription whose period it bills; `None` for an invoice of one-time charges,
    /// which bills no period (the unique key on subscription and period start is for period
    /// invoices only).
    pub subscription: Option<SubscriptionId>,
    /// The subscription whose automatic payment decides whether collection charges it (the
    /// one it bills, or whose license change, cancellation or charges it invoices); `None`
    /// for charges on the customer alone.
    pub collection_subscription: Option<SubscriptionId>,
    /// The new invoice's id.
    pub id: InvoiceId,
    /// The number taken in the same transaction.
    pub number: &'a str,
    /// The customer's tax as the invoice was built with it (the tenant state's), whose names
    /// the invoice keeps for its tax by rate.
    pub tax: Option<&'a crate::services::tax::CustomerTax>,
    /// The customer's default billing address, read with the customer (the tenant state's),
    /// which the invoice keeps in its billing snapshot; `None` when it has none.
    pub billing_address: Option<&'a billing_address::Model>,
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
    /// The recorded billing run finalising it, if one is.
    pub billing_run: Option<BillingRunId>,
}

/// The PO number and notes an invoice carries, as [`invoice_details`] decided them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoiceDetails {
    /// The purchase order number printed on the invoice.
    pub po_number: Option<String>,
    /// The notes printed on the invoice, paragraphs separated by a blank line.
    pub notes: Option<String>,
}

/// What an invoice of `customer` carries, the one rule for every invoice (billing run,
/// cancel-now last invoice, immediate license invoice, "invoice now" charges, upcoming
/// charges): the PO number is the charge's (`charge_po`, "invoice now" only), else the
/// subscription's, else the customer's; the notes are the customer's, then the
/// subscription's, then the charge's, joined by a blank line, blank ones skipped.
pub fn invoice_details(
    customer: &customer::Model,
    subscription: Option<&subscription::Model>,
    charge_po: Option<&str>,
    charge_notes: Option<&str>,
) -> InvoiceDetails {
    fn present(text: Option<&str>) -> Option<&str> {
        text.map(str::trim).filter(|t| !t.is_empty())
    }
    let po_number = present(charge_po)
        .or_else(|| present(subscription.and_then(|s| s.po_number.as_deref())))
        .or_else(|| present(customer.po_number.as_deref()))
        .map(str::to_owned);
    let notes: Vec<&str> = [
        customer.invoice_notes.as_deref(),
        subscription.and_then(|s| s.invoice_notes.as_deref()),
        charge_notes,
    ]
    .into_iter()
    .filter_map(present)
    .collect();
    InvoiceDetails {
        po_number,
        notes: (!notes.is_empty()).then(|| notes.join("\n\n")),
    }
}

/// The day an invoice issued on `issue_date` is due: the issue date plus the customer's
/// payment terms ([`crate::services::tax::due_date`]). The one place the due date is decided.
pub fn due_date(customer: &customer::Model, issue_date: NaiveDate) -> NaiveDate {
    crate::services::tax::due_date(issue_date, customer)
}

/// Writes the finalised invoice and its lines, amounts in minor units as `billing` computed them.
pub async fn insert_invoice(txn: &TenantWrite, f: &Finalised<'_>) -> ServiceResult<()> {
    insert_invoices(txn, std::slice::from_ref(f)).await
}

/// Writes finalised invoices and their lines with a few multi-row inserts whatever their
/// number, amounts in minor units as `billing` computed them, and queues each invoice's e-mail
/// to its customer's invoice address. A second invoice for one
/// subscription period fails the whole statement (the unique key), and with it the caller's
/// transaction.
pub async fn insert_invoices(txn: &TenantWrite, invoices: &[Finalised<'_>]) -> ServiceResult<()> {
    let Some(first) = invoices.first() else {
        return Ok(());
    };
    let now = Utc::now();
    let rows = invoices
        .iter()
        .map(|f| invoice_row(f, now))
        .collect::<ServiceResult<Vec<_>>>()?;
    for chunk in chunks(rows) {
        invoice::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await
            .map_err(on_unique_violation(|| {
                ServiceError::internal("a second invoice for one subscription period was refused")
            }))?;
    }
    if let Some(crashes) = first.crashes {
        crashes.at(CrashPoint::AfterInvoiceRow)?;
    }
    let mut lines = Vec::new();
    for f in invoices {
        for (position, line) in f.invoice.lines.iter().enumerate() {
            lines.push(line_row(f, position, line)?);
        }
    }
    for chunk in chunks(lines) {
        invoice_line::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    if let Some(crashes) = first.crashes {
        crashes.at(CrashPoint::AfterLines)?;
    }
    // Each invoice's e-mails are queued with it: they exist exactly when the invoice does.
    let mut customers: Vec<_> = invoices.iter().map(|f| f.customer.id).collect();
    customers.sort();
    customers.dedup();
    let contacts =
        crate::services::accounts::contacts::invoice_recipients_many(txn, &customers).await?;
    let messages = invoices
        .iter()
        .flat_map(|f| {
            let contacts = contacts.get(&f.customer.id).map_or(&[][..], Vec::as_slice);
            outbox::recipients(f.customer, contacts)
                .into_iter()
                .map(|to| NewMessage::invoice(f.customer, f.id, &to))
        })
        .collect();
    outbox::enqueue(txn, messages, now).await?;
    Ok(())
}

/// `rows` in inserts of at most [`ROWS_PER_INSERT`].
fn chunks<T>(mut rows: Vec<T>) -> Vec<Vec<T>> {
    let mut chunks = Vec::new();
    while rows.len() > ROWS_PER_INSERT {
        let rest = rows.split_off(ROWS_PER_INSERT);
        chunks.push(std::mem::replace(&mut rows, rest));
    }
    if !rows.is_empty() {
        chunks.push(rows);
    }
    chunks
}

/// An amount as the minor units it is stored in.
fn minor(m: billing::Money) -> ServiceResult<i64> {
    m.to_minor()
        .map_err(|e| ServiceError::internal(format!("invoice amount: {e}")))
}

/// The stored row of a finalised invoice, with the customer's billing snapshot.
fn invoice_row(
    f: &Finalised<'_>,
    now: chrono::DateTime<Utc>,
) -> ServiceResult<invoice::ActiveModel> {
    let invoice = f.invoice;
    let customer = f.customer;
    let totals = &invoice.totals;
    Ok(invoice::ActiveModel {
        id: Set(f.id),
        customer_id: Set(customer.id),
        subscription_id: Set(f.subscription),
        collection_subscription_id: Set(f.collection_subscription),
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
        amount_paid_minor: Set(0),
        billing_snapshot: Set(billing_snapshot(f)),
        created_at: Set(now),
        finalised_at: Set(Some(now)),
        po_number: Set(f.po_number.map(str::to_owned)),
        notes: Set(f.notes.map(str::to_owned)),
        pdf_sha256: Set(None),
        billing_run_id: Set(f.billing_run),
    })
}

/// What the invoice keeps of its customer as it was at finalisation: who, the tax names, and
/// the default billing address (`billing_address`, absent when the customer has none).
fn billing_snapshot(f: &Finalised<'_>) -> serde_json::Value {
    let customer = f.customer;
    let mut snapshot = json!({
        "name": customer.name,
        "company": customer.company,
        "email": customer.email,
        "currency": customer.currency,
        "time_zone": customer.time_zone,
        "tax_rate": customer.tax_rate,
        "tax_names": crate::services::tax::names(f.tax),
        "country": customer.country,
        "tax_id": customer.tax_id,
    });
    if let Some(address) = f.billing_address {
        snapshot["billing_address"] = crate::services::accounts::addresses::snapshot(address);
    }
    snapshot
}

/// The stored row of an invoice's line at `position`.
fn line_row(
    f: &Finalised<'_>,
    position: usize,
    line: &billing::InvoiceLine,
) -> ServiceResult<invoice_line::ActiveModel> {
    Ok(invoice_line::ActiveModel {
        id: Set(InvoiceLineId::new()),
        invoice_id: Set(f.id),
        customer_id: Set(f.customer.id),
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
}

/// Marks the prorations of `subscription` that its invoice took (those in `state`) as billed
/// by `invoice`: the next upcoming invoice starts afresh.
pub(crate) async fn mark_prorations_billed(
    txn: &TenantWrite,
    state: &TenantState,
    subscription: SubscriptionId,
    invoice: InvoiceId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let taken: Vec<_> = state
        .unbilled
        .iter()
        .filter(|c| {
            c.subscription_id == subscription && c.kind == unbilled_charge::ChargeKind::Proration
        })
        .map(|c| c.id)
        .collect();
    if !taken.is_empty() {
        unbilled_charge::Entity::update_many()
            .col_expr(unbilled_charge::Column::InvoicedAt, Expr::value(now))
            .col_expr(unbilled_charge::Column::InvoiceId, Expr::value(invoice))
            .filter(unbilled_charge::Column::Id.is_in(taken))
            .exec(txn)
            .await?;
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

#[cfg(test)]
mod tests {
    use entity::customer::CustomerStatus;
    use entity::price::IntervalUnit;
    use entity::subscription::SubscriptionStatus;
    use ids::CustomerId;

    use super::*;

    fn customer(po: Option<&str>, notes: Option<&str>) -> customer::Model {
        customer::Model {
            id: CustomerId::new(),
            name: "Acme".into(),
            company: None,
            email: "a@b.co".into(),
            currency: "EUR".into(),
            time_zone: "Europe/Paris".into(),
            status: CustomerStatus::Active,
            tax_rate: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            revision: 0,
            credit_balance_minor: 0,
            country: None,
            region: None,
            tax_id: None,
            tax_exempt: false,
            payment_terms_days: 0,
            po_number: po.map(Into::into),
            invoice_notes: notes.map(Into::into),
            invoice_email: None,
            email_invoices: true,
            external_reference: None,
            tags: "[]".into(),
            billing_interval_unit: entity::price::IntervalUnit::Month,
            billing_interval_count: 1,
        }
    }

    fn subscription(
        customer: &customer::Model,
        po: Option<&str>,
        notes: Option<&str>,
    ) -> subscription::Model {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        subscription::Model {
            id: SubscriptionId::new(),
            customer_id: customer.id,
            status: SubscriptionStatus::Active,
            interval_unit: IntervalUnit::Month,
            interval_count: 1,
            anchor_date: day,
            current_period_start: day,
            current_period_end: day,
            next_invoice_date: day,
            cancel_at: None,
            created_at: Utc::now(),
            po_number: po.map(Into::into),
            invoice_notes: notes.map(Into::into),
            automatic_payment: true,
        }
    }

    fn details(po: Option<&str>, notes: Option<&str>) -> InvoiceDetails {
        InvoiceDetails {
            po_number: po.map(Into::into),
            notes: notes.map(Into::into),
        }
    }

    #[test]
    fn the_charge_po_wins_then_the_subscription_then_the_customer() {
        let c = customer(Some("PO-C"), None);
        let s = subscription(&c, Some("PO-S"), None);
        let bare = subscription(&c, None, None);
        assert_eq!(
            invoice_details(&c, Some(&s), Some("PO-X"), None),
            details(Some("PO-X"), None)
        );
        assert_eq!(
            invoice_details(&c, Some(&s), None, None),
            details(Some("PO-S"), None)
        );
        assert_eq!(
            invoice_details(&c, Some(&bare), None, None),
            details(Some("PO-C"), None)
        );
        assert_eq!(
            invoice_details(&c, None, Some("  "), None),
            details(Some("PO-C"), None)
        );
        assert_eq!(
            invoice_details(&customer(None, None), None, None, None),
            details(None, None)
        );
    }

    #[test]
    fn notes_go_customer_subscription_charge_skipping_blank_ones() {
        let c = customer(None, Some("Customer"));
        let s = subscription(&c, None, Some("Subscription"));
        assert_eq!(
            invoice_details(&c, Some(&s), None, Some("Charge")),
            details(None, Some("Customer\n\nSubscription\n\nCharge"))
        );
        let blank = subscription(&c, None, Some(" "));
        assert_eq!(
            invoice_details(&c, Some(&blank), None, Some("Charge")),
            details(None, Some("Customer\n\nCharge"))
        );
        assert_eq!(
            invoice_details(&customer(None, None), Some(&s), None, None),
            details(None, Some("Subscription"))
        );
    }
}
