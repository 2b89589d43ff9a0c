//! Billing runs: every subscription whose next invoice is due gets, for each period that is due,
//! exactly the invoice its upcoming charges showed, finalised (numbered, `open`) in one
//! transaction that also marks the prorations and one-off charges it took and advances the
//! subscription.
//!
//! Exactly once: the subscription's row is locked first (a no-op update, which on PostgreSQL
//! queues a concurrent run behind this one, and then finds the subscription advanced; SQLite's
//! single writer serialises runs anyway), and a unique index on (subscription, period start)
//! refuses a second invoice for a period whatever happens. Nothing is written until the commit,
//! so a crash leaves no half-written invoice and, numbers being taken in the same transaction,
//! no gap in the numbers: a rerun finishes the work.
//!
//! Not yet here (issue 10 goes on): worker claims with `FOR UPDATE SKIP LOCKED`, coupons,
//! credits, payment terms for the due date, and staff or scheduled runs.

use chrono::{Datelike, NaiveDate, Utc};
use entity::{subscription, unbilled_charge};
use ids::{CustomerId, InvoiceId, SubscriptionId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::finalise::{Finalised, insert_invoice};
use super::numbering::{DocumentKind, take_next};
use super::upcoming::next_invoice;
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::{charges, credits, tenant_state};

/// One invoice a run finalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BilledPeriod {
    /// The customer.
    pub customer: CustomerId,
    /// The subscription.
    pub subscription: SubscriptionId,
    /// The invoice.
    pub invoice: InvoiceId,
    /// Its number.
    pub number: String,
    /// First day of the period it bills.
    pub period_start: NaiveDate,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// The invoices finalised, in the order they were.
    pub invoiced: Vec<BilledPeriod>,
    /// Subscriptions whose next period could not be billed, with why (logged too). The run goes
    /// on with the others; nothing of a failed period is written, so the next run retries it.
    pub failed: Vec<(SubscriptionId, String)>,
}

/// Billing runs.
#[derive(Clone)]
pub struct BillingRuns {
    db: Db,
}

/// What billing one period of a subscription came to.
enum Outcome {
    Billed(BilledPeriod),
    NotDue,
}

impl BillingRuns {
    /// Runs over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Bills every period due by `as_of` (the business date): one invoice per subscription and
    /// period, oldest period first, so a subscription that missed several periods gets one
    /// invoice for each. Running it again bills nothing twice. One subscription's failure is
    /// reported and does not stop the others; only failing to list the due ones is an error.
    pub async fn run(&self, as_of: NaiveDate) -> ServiceResult<RunReport> {
        let due: Vec<(SubscriptionId, CustomerId)> = subscription::Entity::find()
            .select_only()
            .column(subscription::Column::Id)
            .column(subscription::Column::CustomerId)
            .filter(subscription::Column::Status.eq(subscription::SubscriptionStatus::Active))
            .filter(subscription::Column::NextInvoiceDate.lte(as_of))
            .order_by_asc(subscription::Column::Id)
            .into_tuple()
            .all(self.db.reads())
            .await?;
        let mut report = RunReport::default();
        for (subscription, customer) in due {
            loop {
                match self.bill_next_period(customer, subscription, as_of).await {
                    Ok(Outcome::Billed(billed)) => report.invoiced.push(billed),
                    Ok(Outcome::NotDue) => break,
                    Err(error) => {
                        tracing::error!(%subscription, ?error, "billing a period failed");
                        report.failed.push((subscription, format!("{error:?}")));
                        break;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Bills the subscription's next period if it is due by `as_of`, in one transaction.
    async fn bill_next_period(
        &self,
        customer: CustomerId,
        subscription: SubscriptionId,
        as_of: NaiveDate,
    ) -> ServiceResult<Outcome> {
        let txn = self.db.begin_tenant_write().await?;
        let locked = subscription::Entity::update_many()
            .col_expr(
                subscription::Column::NextInvoiceDate,
                Expr::col(subscription::Column::NextInvoiceDate),
            )
            .filter(subscription::Column::Id.eq(subscription))
            .filter(subscription::Column::Status.eq(subscription::SubscriptionStatus::Active))
            .filter(subscription::Column::NextInvoiceDate.lte(as_of))
            .exec(&txn)
            .await?;
        if locked.rows_affected == 0 {
            return Ok(Outcome::NotDue);
        }
        let state = tenant_state::load(&txn, customer).await?;
        let row = state
            .subscriptions
            .iter()
            .find(|s| s.id == subscription)
            .ok_or_else(|| ServiceError::internal("a locked subscription vanished"))?;
        let upcoming = next_invoice(&state, row)?;
        let period = upcoming.invoice.period;
        let issue_date = row.next_invoice_date;
        let number = take_next(&txn, DocumentKind::Invoice, issue_date.year()).await?;
        let invoice = InvoiceId::new();
        insert_invoice(
            &txn,
            &Finalised {
                customer: &state.customer,
                subscription: Some(row.id),
                id: invoice,
                number: &number.to_string(),
                issue_date,
                invoice: &upcoming.invoice,
                po_number: None,
                notes: None,
            },
        )
        .await?;
        // The prorations this invoice took are billed: the next upcoming invoice starts afresh.
        let taken: Vec<_> = state
            .unbilled
            .iter()
            .filter(|c| {
                c.subscription_id == subscription
                    && c.kind == unbilled_charge::ChargeKind::Proration
            })
            .map(|c| c.id)
            .collect();
        if !taken.is_empty() {
            unbilled_charge::Entity::update_many()
                .col_expr(unbilled_charge::Column::InvoicedAt, Expr::value(Utc::now()))
                .col_expr(unbilled_charge::Column::InvoiceId, Expr::value(invoice))
                .filter(unbilled_charge::Column::Id.is_in(taken))
                .exec(&txn)
                .await?;
        }
        credits::ledger::apply_to_invoice(
            &txn,
            customer,
            invoice,
            &number.to_string(),
            upcoming.invoice.totals.credits_applied,
            Utc::now(),
        )
        .await?;
        charges::rows::mark_invoiced(&txn, &state, subscription, invoice, Utc::now()).await?;
        crate::services::coupons::record_redemptions(&txn, &state, subscription, &upcoming.invoice)
            .await?;
        subscription::Entity::update_many()
            .col_expr(
                subscription::Column::CurrentPeriodStart,
                Expr::value(period.start()),
            )
            .col_expr(
                subscription::Column::CurrentPeriodEnd,
                Expr::value(period.end()),
            )
            .col_expr(
                subscription::Column::NextInvoiceDate,
                Expr::value(period.end()),
            )
            .filter(subscription::Column::Id.eq(subscription))
            .exec(&txn)
            .await?;
        txn.commit(customer).await?;
        Ok(Outcome::Billed(BilledPeriod {
            customer,
            subscription,
            invoice,
            number: number.to_string(),
            period_start: period.start(),
        }))
    }
}
