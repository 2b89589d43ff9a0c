//! Write transactions as types. Which one a use case opens says whether it changes a tenant's
//! cached state ([`crate::services::tenant_state`]):
//!
//! - [`TenantWrite`]: organisations, subscriptions, seats, charges — whatever the cache holds.
//!   Its only commit path bumps the tenant's revision in the same transaction, so every
//!   in-memory copy of the tenant's state, in this process or another, is known to be old. A
//!   use case that opened one cannot forget the bump: there is no other way to commit it. Which
//!   type a use case opens is still its author's choice (and a reviewer's): the types name it.
//! - [`PlainWrite`]: writes the cache does not hold — the catalog, a new organisation (nothing
//!   cached yet) and its teams, members and users, sign-in audit entries, and, as they come, usage records, billing-run
//!   bookkeeping and the mail outbox. They do not bump the revision, so high-frequency writes
//!   never empty the cache. Lists that grow without bound (usage, invoices, audit) are never
//!   part of the cached state.
//!
//! Both are a `ConnectionTrait`, so queries take `&txn` as they would a plain transaction.
//! Dropping either without committing rolls back.

use entity::customer;
use ids::CustomerId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, ExecResult,
    QueryFilter, QueryResult, Statement,
};

/// A write transaction on a tenant's cached state; see the module docs.
pub struct TenantWrite(DatabaseTransaction);

/// A write transaction outside any tenant's cached state; see the module docs.
pub struct PlainWrite(DatabaseTransaction);

impl TenantWrite {
    pub(super) fn new(txn: DatabaseTransaction) -> Self {
        Self(txn)
    }

    /// Commits, bumping `tenant`'s revision as the transaction's last write: on PostgreSQL it
    /// takes the customer's row lock, and taking it last everywhere keeps the lock order the
    /// same in every transaction. `RecordNotUpdated` when the tenant does not exist.
    pub async fn commit(self, tenant: CustomerId) -> Result<(), DbErr> {
        let bumped = customer::Entity::update_many()
            .col_expr(
                customer::Column::Revision,
                Expr::col(customer::Column::Revision).add(1),
            )
            .filter(customer::Column::Id.eq(tenant))
            .exec(&self.0)
            .await?;
        if bumped.rows_affected != 1 {
            return Err(DbErr::RecordNotUpdated);
        }
        self.0.commit().await
    }

    /// Commits like [`Self::commit`], provided the customer is still billed in the currency
    /// and time zone of `read`, the row this write priced or dated something with. A change of
    /// either committed meanwhile (`updateCustomer`, which locks the row before it checks that
    /// nothing is priced) makes the bump match no row: on PostgreSQL the `UPDATE` waits for
    /// that change's lock and then checks the new row. `Ok(false)`, and nothing written, when
    /// they changed; `RecordNotUpdated` when the tenant does not exist.
    pub async fn commit_as_read(self, read: &customer::Model) -> Result<bool, DbErr> {
        let bumped = customer::Entity::update_many()
            .col_expr(
                customer::Column::Revision,
                Expr::col(customer::Column::Revision).add(1),
            )
            .filter(customer::Column::Id.eq(read.id))
            .filter(customer::Column::Currency.eq(read.currency.as_str()))
            .filter(customer::Column::TimeZone.eq(read.time_zone.as_str()))
            .exec(&self.0)
            .await?;
        if bumped.rows_affected == 1 {
            self.0.commit().await?;
            return Ok(true);
        }
        let exists = customer::Entity::find_by_id(read.id).one(&self.0).await?;
        // Dropping the transaction rolls it back.
        match exists {
            Some(_) => Ok(false),
            None => Err(DbErr::RecordNotUpdated),
        }
    }

    /// Commits a write on several tenants (a billing run's batch), bumping each one's revision
    /// once, in one statement, as the transaction's last write. `RecordNotUpdated` when one of
    /// them does not exist.
    pub async fn commit_tenants(self, tenants: &[CustomerId]) -> Result<(), DbErr> {
        let mut tenants = tenants.to_vec();
        tenants.sort_unstable();
        tenants.dedup();
        if tenants.is_empty() {
            return self.0.commit().await;
        }
        let bumped = customer::Entity::update_many()
            .col_expr(
                customer::Column::Revision,
                Expr::col(customer::Column::Revision).add(1),
            )
            .filter(customer::Column::Id.is_in(tenants.iter().copied()))
            .exec(&self.0)
            .await?;
        if bumped.rows_affected != tenants.len() as u64 {
            return Err(DbErr::RecordNotUpdated);
        }
        self.0.commit().await
    }
}

impl PlainWrite {
    pub(super) fn new(txn: DatabaseTransaction) -> Self {
        Self(txn)
    }

    /// Commits without touching any tenant's revision.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.0.commit().await
    }
}

/// Both write types query like the transaction they wrap.
macro_rules! delegate_connection {
    ($write:ty) => {
        #[async_trait::async_trait]
        impl ConnectionTrait for $write {
            fn get_database_backend(&self) -> DbBackend {
                self.0.get_database_backend()
            }

            async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
                self.0.execute_raw(stmt).await
            }

            async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
                self.0.execute_unprepared(sql).await
            }

            async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
                self.0.query_one_raw(stmt).await
            }

            async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
                self.0.query_all_raw(stmt).await
            }

            fn support_returning(&self) -> bool {
                self.0.support_returning()
            }
        }
    };
}

delegate_connection!(TenantWrite);
delegate_connection!(PlainWrite);

/// A connection that is certainly inside a write transaction: what code that needs several
/// statements to be atomic (taking a gapless number, say) asks for, where a plain
/// `ConnectionTrait` would also accept an autocommit connection.
pub trait WriteTransaction: ConnectionTrait {}

impl WriteTransaction for TenantWrite {}
impl WriteTransaction for PlainWrite {}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use entity::customer::CustomerStatus;
    use sea_orm::ActiveValue::Set;

    use super::*;
    use crate::db::Db;

    async fn database() -> (tempfile::TempDir, Db, CustomerId) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("w.db").display());
        let db = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let id = CustomerId::new();
        let now = Utc::now();
        customer::Entity::insert(customer::ActiveModel {
            id: Set(id),
            name: Set("Acme".into()),
            company: Set(None),
            email: Set("billing@acme.example".into()),
            currency: Set("EUR".into()),
            time_zone: Set("Europe/Paris".into()),
            status: Set(CustomerStatus::Active),
            tax_rate: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            revision: Set(7),
            credit_balance_minor: Set(0),
            country: Set(None),
            region: Set(None),
            tax_id: Set(None),
            tax_exempt: Set(false),
            payment_terms_days: Set(0),
            po_number: Set(None),
            invoice_email: Set(None),
            email_invoices: Set(true),
            external_reference: Set(None),
            tags: Set("[]".into()),
            billing_interval_unit: Set(entity::price::IntervalUnit::Month),
            billing_interval_count: Set(1),
            invoice_notes: Set(None),
        })
        .exec_without_returning(db.writes())
        .await
        .unwrap();
        (dir, db, id)
    }

    async fn revision(db: &Db, id: CustomerId) -> i64 {
        customer::Entity::find_by_id(id)
            .one(db.reads())
            .await
            .unwrap()
            .map(|c| c.revision)
            .unwrap()
    }

    async fn rename(txn: &impl ConnectionTrait, id: CustomerId, name: &str) {
        customer::Entity::update_many()
            .col_expr(customer::Column::Name, Expr::value(name))
            .filter(customer::Column::Id.eq(id))
            .exec(txn)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_tenant_write_commits_with_the_revision_bumped_and_a_plain_one_without() {
        let (_dir, db, id) = database().await;

        let txn = db.begin_tenant_write().await.unwrap();
        rename(&txn, id, "Acme Telecom").await;
        txn.commit(id).await.unwrap();
        assert_eq!(revision(&db, id).await, 8);

        let txn = db.begin_plain_write().await.unwrap();
        rename(&txn, id, "Acme Telecom SA").await;
        txn.commit().await.unwrap();
        assert_eq!(revision(&db, id).await, 8);
    }

    #[tokio::test]
    async fn a_write_priced_in_a_currency_that_changed_meanwhile_commits_nothing() {
        let (_dir, db, id) = database().await;
        let read = customer::Entity::find_by_id(id)
            .one(db.reads())
            .await
            .unwrap()
            .unwrap();
        // Unchanged: committed, revision bumped.
        let txn = db.begin_tenant_write().await.unwrap();
        rename(&txn, id, "Acme Telecom").await;
        assert!(txn.commit_as_read(&read).await.unwrap());
        assert_eq!(revision(&db, id).await, 8);
        // The currency changed after the row was read: nothing of this write lands.
        customer::Entity::update_many()
            .col_expr(customer::Column::Currency, Expr::value("USD"))
            .filter(customer::Column::Id.eq(id))
            .exec(db.writes())
            .await
            .unwrap();
        let txn = db.begin_tenant_write().await.unwrap();
        rename(&txn, id, "Priced in euros").await;
        assert!(!txn.commit_as_read(&read).await.unwrap());
        let row = customer::Entity::find_by_id(id)
            .one(db.reads())
            .await
            .unwrap()
            .unwrap();
        assert_eq!((row.name.as_str(), row.revision), ("Acme Telecom", 8));
    }

    #[tokio::test]
    async fn a_tenant_write_for_no_tenant_commits_nothing() {
        let (_dir, db, id) = database().await;
        let txn = db.begin_tenant_write().await.unwrap();
        rename(&txn, id, "Lost").await;
        let refused = txn.commit(CustomerId::new()).await;
        assert!(
            matches!(refused, Err(DbErr::RecordNotUpdated)),
            "{refused:?}"
        );
        let row = customer::Entity::find_by_id(id)
            .one(db.reads())
            .await
            .unwrap()
            .unwrap();
        assert_eq!((row.name.as_str(), row.revision), ("Acme", 7));
    }
}
