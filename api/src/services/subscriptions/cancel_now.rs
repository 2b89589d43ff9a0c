//! Staff cancel a subscription now: it ends today (the customer's business date), in one
//! transaction that
//!
//! 1. credits the unused part of the period already billed in advance to the customer's credit
//!    balance, item by item, when the item's price credits removals (the license removal rule,
//!    computed by [`billing::cancellation_credit`]); only an active subscription whose current
//!    period an invoice billed, and only for days from today to that period's end;
//! 2. cancels it (`cancelled`, `cancelAt` today): the billing run never claims it again and
//!    upcoming charges no longer show it;
//! 3. finalises a last invoice of what was pending for it (prorations, unbilled one-time
//!    charges), built by the same [`next_invoice`] that upcoming charges and the billing run
//!    use (a cancelled subscription's next invoice bills no period, only what is pending), and
//!    finalised through the one finalising function; none when nothing was pending.
//!
//! The credit is written before the last invoice is built, so the invoice takes it like any
//! credit: what the customer owes for pending charges is first paid from the unused time.

use billing::{Money, local_date};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::credit_entry::CreditEntryKind;
use entity::subscription::{self, SubscriptionStatus};
use ids::{InvoiceId, SubscriptionId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{SubscriptionError, SubscriptionsService, lock, period_billed, rows};
use crate::auth::Actor;
use crate::db::TenantWrite;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::credits::ledger::{self, BalanceChange};
use crate::services::invoices::arrears;
use crate::services::invoices::finalise::mark_prorations_billed;
use crate::services::invoices::finalise::{Finalised, insert_invoice};
use crate::services::invoices::numbering::{DocumentKind, Numbering};
use crate::services::invoices::upcoming::{UpcomingInvoice, next_invoice};
use crate::services::tenant_state::{self, TenantState};
use crate::services::{accounts, catalog, charges, coupons};

/// What cancelling now did.
#[derive(Clone, Debug)]
pub struct CancelledNow {
    /// The subscription, cancelled.
    pub subscription: subscription::Model,
    /// The last invoice of what was pending, when something was.
    pub invoice: Option<InvoiceId>,
    /// Unused time credited to the balance, tax included (zero when none was).
    pub credited: Money,
}

impl SubscriptionsService {
    /// Cancels a subscription today (operator staff): see the module. `CONFLICT` when it is
    /// already cancelled. A trialing or paused subscription is cancelled without credit.
    pub async fn cancel_now(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: SubscriptionId,
        now: DateTime<Utc>,
    ) -> ServiceResult<CancelledNow> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let row = lock(&txn, id).await?;
        if row.status == SubscriptionStatus::Cancelled {
            return Err(SubscriptionError::AlreadyCancelled.into());
        }
        let state = tenant_state::load(&txn, row.customer_id).await?;
        let customer = &state.customer;
        let tz = accounts::rows::time_zone(customer)?;
        let today = local_date(now, tz);
        let currency = catalog::rows::currency(&customer.currency)?;
        let period = rows::current_period(&row)?;

        let credited = if rows::prorates_changes(&row)
            && period.contains(today)
            && period_billed(&txn, &row).await?
        {
            let items = state
                .items
                .iter()
                .filter(|i| i.item.subscription_id == id)
                .map(|i| {
                    Ok((
                        rows::item_terms(&i.item, &i.price, &i.product, state.tax.as_ref())?,
                        u32::try_from(i.item.quantity).map_err(ServiceError::internal)?,
                    ))
                })
                .collect::<ServiceResult<Vec<_>>>()?;
            billing::cancellation_credit(&items, &period, now, tz, currency)
                .map_err(|e| ServiceError::internal(e.to_string()))?
        } else {
            Money::zero(currency)
        };
        if !credited.is_zero() {
            ledger::change_balance(
                &txn,
                BalanceChange {
                    customer: customer.id,
                    delta: credited,
                    kind: CreditEntryKind::UnusedTime,
                    description: format!(
                        "Unused time of the cancelled subscription, {today} to {}",
                        period.end()
                    ),
                    invoice: None,
                    credit_note: None,
                    quote: None,
                    by: Some(staff.user_id),
                    field: "input.subscriptionId",
                },
                now,
            )
            .await?;
        }
        subscription::Entity::update_many()
            .col_expr(
                subscription::Column::Status,
                Expr::value(SubscriptionStatus::Cancelled),
            )
            .col_expr(subscription::Column::CancelAt, Expr::value(today))
            .filter(subscription::Column::Id.eq(id))
            .exec(&txn)
            .await?;

        // Read again: the balance took the credit and the subscription is cancelled, so its
        // next invoice is what is pending only.
        let state = tenant_state::load(&txn, row.customer_id).await?;
        let cancelled = state
            .subscription(id)
            .cloned()
            .ok_or_else(|| ServiceError::internal("a locked subscription vanished"))?;
        // Its metered usage and calls so far are billed on the last invoice, in arrears as ever: taken
        // (marked with the invoice's id) as it is read, given back if there is no invoice.
        let invoice_id = InvoiceId::new();
        let arrears = arrears::take(&txn, &state, &cancelled, invoice_id).await?;
        let last = next_invoice(&state, &cancelled, &arrears)?;
        let invoice = if last.invoice.lines.is_empty() {
            arrears::release(&txn, &state, invoice_id).await?;
            None
        } else {
            Some(
                finalise_last(
                    &txn,
                    self.numbering,
                    &state,
                    (id, invoice_id),
                    &last,
                    today,
                    now,
                )
                .await?,
            )
        };
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "subscription.cancel_now",
                subject_type: "subscription",
                subject_id: id.to_string(),
                before: Some(
                    json!({ "status": status_text(row.status), "cancel_at": row.cancel_at }),
                ),
                after: Some(json!({
                    "status": "cancelled",
                    "cancel_at": today,
                    "invoice": invoice.map(|i| i.to_string()),
                    "credited": credited.to_string(),
                })),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(CancelledNow {
            subscription: cancelled,
            invoice,
            credited,
        })
    }
}

/// Finalises the last invoice (`id`) of a subscription cancelled now, issued `today`, and marks what
/// it took as billed: the same steps as the billing run's last invoice of a cancellation. It
/// carries the PO number and notes the upcoming invoice showed.
async fn finalise_last(
    txn: &TenantWrite,
    numbering: Numbering,
    state: &TenantState,
    (subscription, id): (SubscriptionId, InvoiceId),
    last: &UpcomingInvoice,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> ServiceResult<InvoiceId> {
    let invoice = &last.invoice;
    let number = numbering
        .take_next(txn, DocumentKind::Invoice, today.year())
        .await?
        .to_string();
    insert_invoice(
        txn,
        &Finalised {
            customer: &state.customer,
            // It bills no period: the unique key on (subscription, period start) is for
            // period invoices, and the current period may have one already.
            subscription: None,
            collection_subscription: Some(subscription),
            id,
            number: &number,
            tax: state.tax.as_ref(),
            billing_address: state.billing_address.as_ref(),
            issue_date: today,
            invoice,
            po_number: last.details.po_number.as_deref(),
            notes: last.details.notes.as_deref(),
            crashes: None,
            billing_run: None,
        },
    )
    .await?;
    mark_prorations_billed(txn, state, subscription, id, now).await?;
    ledger::apply_to_invoice(
        txn,
        state.customer.id,
        id,
        &number,
        invoice.totals.credits_applied,
        now,
    )
    .await?;
    charges::rows::mark_invoiced(txn, state, subscription, id, now).await?;
    coupons::record_redemptions(txn, state, subscription, invoice).await?;
    Ok(id)
}

/// A status as stored, for audit entries.
pub(super) fn status_text(status: SubscriptionStatus) -> &'static str {
    match status {
        SubscriptionStatus::Trialing => "trialing",
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::Paused => "paused",
        SubscriptionStatus::Cancelled => "cancelled",
    }
}
