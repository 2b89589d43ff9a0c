//! Lookups by unique key that stay prepared on SQLite.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Select, SelectTwo};

/// Reads the row a lookup by a unique key (a primary key or a unique index) selects.
///
/// Use it instead of sea-orm's `one()` whenever the filter names a unique key. `one()` adds
/// `LIMIT ?` with 1 as a bound value, and SQLite (since 3.4x, as bundled here) lets a bound
/// LIMIT steer its planner: the statement is then expired and prepared again, parsed and
/// planned from scratch, every time it is executed. Measured: 15 % of the server's CPU on the
/// overview query, spent re-preparing the one statement that authenticates the request. A
/// lookup by a unique key needs no LIMIT, and its statement stays prepared.
pub trait UniqueLookup {
    /// What one row reads as.
    type Row;

    /// The row, if any. More than one row would be a schema bug: the first is returned and a
    /// debug build panics.
    fn one_by_key<C>(
        self,
        db: &C,
    ) -> impl std::future::Future<Output = Result<Option<Self::Row>, DbErr>> + Send
    where
        C: ConnectionTrait + Sync;
}

impl<E> UniqueLookup for Select<E>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    type Row = E::Model;

    async fn one_by_key<C>(self, db: &C) -> Result<Option<E::Model>, DbErr>
    where
        C: ConnectionTrait + Sync,
    {
        Ok(single(self.all(db).await?))
    }
}

impl<E, F> UniqueLookup for SelectTwo<E, F>
where
    E: EntityTrait,
    F: EntityTrait,
    E::Model: Send + Sync,
    F::Model: Send + Sync,
{
    type Row = (E::Model, Option<F::Model>);

    async fn one_by_key<C>(self, db: &C) -> Result<Option<Self::Row>, DbErr>
    where
        C: ConnectionTrait + Sync,
    {
        Ok(single(self.all(db).await?))
    }
}

fn single<T>(rows: Vec<T>) -> Option<T> {
    debug_assert!(
        rows.len() <= 1,
        "a lookup by unique key found {} rows",
        rows.len()
    );
    rows.into_iter().next()
}
