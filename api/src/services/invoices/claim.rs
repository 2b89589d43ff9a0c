//! Claiming the next due subscription: the one place where the billing run differs between
//! databases.
//!
//! - PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1` inside the worker's write
//!   transaction. Concurrent workers (of this run, of another instance, of a racing run) each
//!   lock a different due subscription and never wait on one another; the lock is held until
//!   the period's transaction commits (the subscription advanced) or rolls back.
//! - SQLite: the same query without the lock clause. A write transaction is `BEGIN IMMEDIATE` on
//!   the single writer connection ([`crate::db`]), so a claim and its period are serialised
//!   with every other write; extra workers simply queue for the writer.
//!
//! Workers claim batches along a keyset ([`DueKey`]) and bill each batch in one transaction
//! ([`super::run`]). Either way a subscription with several missed periods is claimed once per
//! period (its next invoice date advances with each commit), oldest period first.

use chrono::NaiveDate;
use entity::subscription;
use ids::{CustomerId, SubscriptionId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::db::TenantWrite;
use crate::services::subscriptions;

/// A due subscription locked by the caller's transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Claim {
    /// The subscription.
    pub subscription: SubscriptionId,
    /// Its customer.
    pub customer: CustomerId,
    /// Where it stands in the order subscriptions are claimed in.
    pub key: DueKey,
}

/// The order due subscriptions are claimed in: next invoice date, then id. A worker claims
/// after the last key it claimed, so each claim starts where the previous one ended instead
/// of walking again, from the oldest date, the index entries of subscriptions billed meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DueKey {
    /// The subscription's next invoice date.
    pub next_invoice_date: NaiveDate,
    /// The subscription.
    pub subscription: SubscriptionId,
}

/// Locks up to `limit` subscriptions (billed: active or trialing, next invoice by `as_of`, after `after` in
/// [`DueKey`] order, not in `skip`) in `txn`, in that order; empty when no unlocked one is left
/// there. `skip` holds the subscriptions that already failed in this run: a failure rolls
/// back, so without it the same subscription would be claimed again.
pub(crate) async fn next_due(
    txn: &TenantWrite,
    as_of: NaiveDate,
    after: Option<DueKey>,
    skip: &[SubscriptionId],
    limit: u64,
) -> Result<Vec<Claim>, DbErr> {
    let mut select = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Id)
        .column(subscription::Column::CustomerId)
        .column(subscription::Column::NextInvoiceDate)
        .filter(subscription::Column::Status.is_in(subscriptions::rows::BILLED_STATUSES))
        .filter(subscription::Column::NextInvoiceDate.lte(as_of))
        .order_by_asc(subscription::Column::NextInvoiceDate)
        .order_by_asc(subscription::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        // A row comparison, `(next_invoice_date, id) > (d, i)`: PostgreSQL and SQLite both start
        // the index range of `ix_subscriptions_due` there. The equivalent `a > d OR (a = d AND
        // id > i)` is only a filter to PostgreSQL: every claim walked the due index from its
        // first entry, and a run of 100,000 subscriptions slowed down with each batch.
        select = select.filter(
            Expr::tuple([
                Expr::col((subscription::Entity, subscription::Column::NextInvoiceDate)),
                Expr::col((subscription::Entity, subscription::Column::Id)),
            ])
            .gt(Expr::tuple([
                Expr::value(after.next_invoice_date),
                Expr::value(after.subscription),
            ])),
        );
    }
    if !skip.is_empty() {
        select = select.filter(subscription::Column::Id.is_not_in(skip.iter().copied()));
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    Ok(select
        .into_tuple::<(SubscriptionId, CustomerId, NaiveDate)>()
        .all(txn)
        .await?
        .into_iter()
        .map(|(subscription, customer, next_invoice_date)| Claim {
            subscription,
            customer,
            key: DueKey {
                next_invoice_date,
                subscription,
            },
        })
        .collect())
}

/// Whether a subscription not in `skip` is due by `as_of`, locked or not.
pub(crate) async fn any_due(
    txn: &TenantWrite,
    as_of: NaiveDate,
    skip: &[SubscriptionId],
) -> Result<bool, DbErr> {
    let mut select = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Id)
        .filter(subscription::Column::Status.is_in(subscriptions::rows::BILLED_STATUSES))
        .filter(subscription::Column::NextInvoiceDate.lte(as_of));
    if !skip.is_empty() {
        select = select.filter(subscription::Column::Id.is_not_in(skip.iter().copied()));
    }
    Ok(select
        .limit(1)
        .into_tuple::<SubscriptionId>()
        .one(txn)
        .await?
        .is_some())
}

/// How many subscriptions are due by `as_of` (the run's progress counts against it).
pub(crate) async fn count_due<C: ConnectionTrait>(db: &C, as_of: NaiveDate) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    subscription::Entity::find()
        .filter(subscription::Column::Status.is_in(subscriptions::rows::BILLED_STATUSES))
        .filter(subscription::Column::NextInvoiceDate.lte(as_of))
        .count(db)
        .await
}
