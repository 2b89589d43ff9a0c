//! Keyset pagination over time-ordered UUIDv7 primary keys: a page costs one query whatever its
//! position, and rows inserted meanwhile do not shift later pages.

use sea_orm::sea_query::IntoCondition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

/// A validated request for one page, forward only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// How many rows at most (already checked against the maximum page size).
    pub limit: u64,
    /// Return rows strictly after this key.
    pub after: Option<Uuid>,
}

/// One page of rows.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The rows, in key order.
    pub items: Vec<T>,
    /// Whether more rows follow.
    pub has_next_page: bool,
}

impl<T> Page<T> {
    /// Applies `f` to every row, keeping the paging information.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_next_page: self.has_next_page,
        }
    }
}

/// Fetches one page of `select`, ordered by the UUID key `key`: `limit + 1` rows are read to
/// learn whether another page follows.
pub async fn fetch_page<E, C>(
    db: &C,
    select: Select<E>,
    key: E::Column,
    request: PageRequest,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut select = select.order_by_asc(key).limit(request.limit + 1);
    if let Some(after) = request.after {
        select = select.filter(key.gt(after).into_condition());
    }
    let mut items = select.all(db).await?;
    let has_next_page = items.len() as u64 > request.limit;
    items.truncate(usize::try_from(request.limit).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next_page,
    })
}
