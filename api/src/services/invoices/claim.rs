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
//! Either way a subscription with several missed periods is claimed once per period (its next
//! invoice date advances with each commit), oldest period first.

use chrono::NaiveDate;
use entity::subscription;
use ids::{CustomerId, SubscriptionId};
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
}

/// Locks the next subscription (billed: active or trialing, next invoice by `as_of`, not in `skip`) in `txn`, or
/// `None` when no unlocked one is left. `skip` holds the subscriptions that already failed in
/// this run: a failure rolls back, so without it the same subscription would be claimed again.
pub(crate) async fn next_due(
    txn: &TenantWrite,
    as_of: NaiveDate,
    skip: &[SubscriptionId],
) -> Result<Option<Claim>, DbErr> {
    let mut select = subscription::Entity::find()
        .select_only()
        .column(subscription::Column::Id)
        .column(subscription::Column::CustomerId)
        .filter(subscription::Column::Status.is_in(subscriptions::rows::BILLED_STATUSES))
        .filter(subscription::Column::NextInvoiceDate.lte(as_of))
        .order_by_asc(subscription::Column::NextInvoiceDate)
        .order_by_asc(subscription::Column::Id)
        .limit(1);
    if !skip.is_empty() {
        select = select.filter(subscription::Column::Id.is_not_in(skip.iter().copied()));
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    Ok(select
        .into_tuple::<(SubscriptionId, CustomerId)>()
        .one(txn)
        .await?
        .map(|(subscription, customer)| Claim {
            subscription,
            customer,
        }))
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
