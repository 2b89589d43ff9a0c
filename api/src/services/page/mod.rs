//! Keyset pagination over a composite, ordered key — `(created_at, id)` for the lists ordered by
//! time — forward only (`first`/`after`).
//!
//! A page costs one query whatever its position, plus one cheap probe when a cursor is given;
//! rows inserted meanwhile do not shift later pages, and a cursor whose row was deleted still
//! finds the rows after it (the cursor holds key values, not a row reference).
//!
//! Cursors are opaque to clients but not secret: base64url of a small versioned encoding of the
//! list's tag and the key values of the row they point at. The tag stops a cursor of one list
//! from being replayed on another, where its key would be meaningless (or of another type).

mod cursor;

pub use cursor::Cursor;
use cursor::MALFORMED;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, Related, Select, Value,
};
use uuid::Uuid;

use crate::error::ServiceError;

/// The order a list is read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Oldest first.
    Ascending,
    /// Newest first.
    Descending,
}

/// The type of one component of a key, declared by the list so that a cursor whose values do
/// not fit its columns is refused before it reaches SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// An instant (`created_at`).
    Time,
    /// A UUID (the row's id, which breaks ties between equal instants).
    Id,
    /// A calendar day (an invoice's due date).
    Day,
}

/// One value of a row's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyValue {
    /// An instant, kept to the nanosecond: SQLite stores what it is given, and the tie-break on
    /// equal instants needs the exact stored value.
    Time(DateTime<Utc>),
    /// A UUID.
    Id(Uuid),
    /// A calendar day.
    Day(NaiveDate),
}

impl KeyValue {
    fn kind(&self) -> KeyKind {
        match self {
            KeyValue::Time(_) => KeyKind::Time,
            KeyValue::Id(_) => KeyKind::Id,
            KeyValue::Day(_) => KeyKind::Day,
        }
    }
}

impl From<KeyValue> for Value {
    fn from(value: KeyValue) -> Self {
        match value {
            KeyValue::Time(at) => at.into(),
            KeyValue::Id(id) => id.into(),
            KeyValue::Day(day) => day.into(),
        }
    }
}

/// The key of a row of a list ordered by time: `(created_at, id)`.
pub fn time_key(at: DateTime<Utc>, id: impl Into<Uuid>) -> Vec<KeyValue> {
    vec![KeyValue::Time(at), KeyValue::Id(id.into())]
}

/// Why a page could not be read.
#[derive(Debug)]
pub enum PageError {
    /// The `after` cursor is malformed, or belongs to another list.
    BadCursor(&'static str),
    /// The database failed.
    Db(DbErr),
}

impl From<DbErr> for PageError {
    fn from(error: DbErr) -> Self {
        PageError::Db(error)
    }
}

impl From<PageError> for ServiceError {
    fn from(error: PageError) -> Self {
        match error {
            PageError::BadCursor(message) => ServiceError::bad_input("after", message),
            PageError::Db(error) => error.into(),
        }
    }
}

/// A validated request for one page, forward only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// How many rows at most (already checked against the maximum page size).
    pub limit: u64,
    /// Return rows strictly after this position. Checked against the list when the page is
    /// read: only the service knows which list it is.
    pub after: Option<Cursor>,
}

/// One page of rows, each with its cursor.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The rows in list order, each with the cursor that continues after it.
    pub edges: Vec<(Cursor, T)>,
    /// Whether the list has rows before this page's position (see [`Keyset`] for what that
    /// means when the page is empty).
    pub has_previous_page: bool,
    /// Whether more rows follow.
    pub has_next_page: bool,
}

impl<T> Page<T> {
    /// Applies `f` to every row, keeping the cursors and the paging information.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            edges: self
                .edges
                .into_iter()
                .map(|(cursor, item)| (cursor, f(item)))
                .collect(),
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
        }
    }

    /// The rows, in list order.
    pub fn items(&self) -> impl Iterator<Item = &T> {
        self.edges.iter().map(|(_, item)| item)
    }

    /// The rows without their cursors.
    pub fn into_items(self) -> Vec<T> {
        self.edges.into_iter().map(|(_, item)| item).collect()
    }
}

/// How one list is ordered and paged: the columns of its key in order, the direction, and how
/// to read a row's key. The last column must be unique (the id), so the order is total and
/// every row has exactly one position.
///
/// Paging is forward only, so the previous-page flag answers "does the list hold a row before
/// this page's position", i.e. a row at or before the `after` cursor: without a cursor the page
/// starts the list and there is none. It is computed, not guessed from the cursor's presence:
/// a cursor that sorts before every row (its row was deleted, or the list started later) has
/// no previous page. The probe is one `LIMIT 1` query with the keyset predicate inverted.
pub struct Keyset<E: EntityTrait> {
    /// Tag embedded in the list's cursors.
    pub list: &'static str,
    /// Key columns, most significant first, with the kind of value each holds.
    pub columns: &'static [(E::Column, KeyKind)],
    /// The list's order.
    pub direction: Direction,
    /// A row's key values, in the order of `columns`.
    pub key: fn(&E::Model) -> Vec<KeyValue>,
}

impl<E: EntityTrait> Keyset<E> {
    /// The cursor of `row`.
    pub fn cursor(&self, row: &E::Model) -> Cursor {
        Cursor::new(self.list, (self.key)(row))
    }

    /// The key values of the request's cursor, refused unless the cursor is one of this list's.
    fn position<'a>(&self, request: &'a PageRequest) -> Result<Option<&'a [KeyValue]>, PageError> {
        let Some(cursor) = &request.after else {
            return Ok(None);
        };
        if cursor.list != self.list {
            return Err(PageError::BadCursor("the cursor belongs to another list"));
        }
        let fits = cursor.key.len() == self.columns.len()
            && cursor
                .key
                .iter()
                .zip(self.columns)
                .all(|(value, (_, kind))| value.kind() == *kind);
        if !fits {
            return Err(PageError::BadCursor(MALFORMED));
        }
        Ok(Some(&cursor.key))
    }

    /// Rows strictly after `key` in list order (`forward`), or at or before it (`!forward`):
    /// the row comparison `(a, b) > (x, y)` spelled `a > x OR (a = x AND b > y)`, which both
    /// SQLite and PostgreSQL run, and which stays correct for descending lists.
    fn beyond(&self, key: &[KeyValue], forward: bool) -> Condition {
        let ascending = self.direction == Direction::Ascending;
        let mut any = Condition::any();
        for (i, ((column, _), value)) in self.columns.iter().zip(key).enumerate() {
            let mut all = Condition::all();
            for ((equal, _), prefix) in self.columns.iter().zip(key).take(i) {
                all = all.add(equal.eq(*prefix));
            }
            let last = i + 1 == self.columns.len();
            let comparison = match (forward == ascending, !forward && last) {
                (true, false) => column.gt(*value),
                (true, true) => column.gte(*value),
                (false, false) => column.lt(*value),
                (false, true) => column.lte(*value),
            };
            any = any.add(all.add(comparison));
        }
        any
    }

    /// `select` ordered by the key, after the cursor, one row more than the page so that the
    /// extra row tells whether another page follows.
    fn window(&self, select: Select<E>, after: Option<&[KeyValue]>, limit: u64) -> Select<E> {
        let order = match self.direction {
            Direction::Ascending => Order::Asc,
            Direction::Descending => Order::Desc,
        };
        let mut select = select;
        for (column, _) in self.columns {
            select = select.order_by(*column, order.clone());
        }
        if let Some(key) = after {
            select = select.filter(self.beyond(key, true).into_condition());
        }
        select.limit(limit.saturating_add(1))
    }

    /// Whether `select` holds a row at or before `after` (none without a cursor).
    async fn has_rows_before<C: ConnectionTrait>(
        &self,
        db: &C,
        select: Select<E>,
        after: Option<&[KeyValue]>,
    ) -> Result<bool, DbErr> {
        let Some(key) = after else {
            return Ok(false);
        };
        let probe = select
            .filter(self.beyond(key, false))
            .select_only()
            .expr(Expr::val(1))
            .limit(1)
            .into_tuple::<i32>()
            .one(db)
            .await?;
        Ok(probe.is_some())
    }

    /// Cuts the `limit + 1` rows the window read into a page.
    fn page<R>(
        &self,
        mut rows: Vec<R>,
        limit: u64,
        has_previous_page: bool,
        model: impl Fn(&R) -> &E::Model,
    ) -> Page<R> {
        let has_next_page = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Page {
            edges: rows
                .into_iter()
                .map(|row| (self.cursor(model(&row)), row))
                .collect(),
            has_previous_page,
            has_next_page,
        }
    }
}

/// Fetches one page of `select` in the order of `keyset`.
pub async fn fetch_page<E, C>(
    db: &C,
    select: Select<E>,
    keyset: &Keyset<E>,
    request: &PageRequest,
) -> Result<Page<E::Model>, PageError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let after = keyset.position(request)?;
    let has_previous_page = keyset.has_rows_before(db, select.clone(), after).await?;
    let rows = keyset.window(select, after, request.limit).all(db).await?;
    Ok(keyset.page(rows, request.limit, has_previous_page, |row| row))
}

/// Fetches one page of `select` in the order of `keyset`, each row with its related `F` row,
/// joined in the same query.
pub async fn fetch_page_also_related<E, F, C>(
    db: &C,
    select: Select<E>,
    keyset: &Keyset<E>,
    request: &PageRequest,
    related: F,
) -> Result<Page<(E::Model, Option<F::Model>)>, PageError>
where
    E: EntityTrait + Related<F>,
    F: EntityTrait,
    C: ConnectionTrait,
{
    let after = keyset.position(request)?;
    let has_previous_page = keyset.has_rows_before(db, select.clone(), after).await?;
    let rows = keyset
        .window(select, after, request.limit)
        .find_also_related(related)
        .all(db)
        .await?;
    Ok(keyset.page(rows, request.limit, has_previous_page, |(row, _)| row))
}

#[cfg(test)]
mod tests;
