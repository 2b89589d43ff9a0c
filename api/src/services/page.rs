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

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
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
}

/// One value of a row's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyValue {
    /// An instant, kept to the nanosecond: SQLite stores what it is given, and the tie-break on
    /// equal instants needs the exact stored value.
    Time(DateTime<Utc>),
    /// A UUID.
    Id(Uuid),
}

impl KeyValue {
    fn kind(&self) -> KeyKind {
        match self {
            KeyValue::Time(_) => KeyKind::Time,
            KeyValue::Id(_) => KeyKind::Id,
        }
    }
}

impl From<KeyValue> for Value {
    fn from(value: KeyValue) -> Self {
        match value {
            KeyValue::Time(at) => at.into(),
            KeyValue::Id(id) => id.into(),
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

/// A position in a list: the key values of a row, and the list they belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    list: String,
    key: Vec<KeyValue>,
}

/// First byte of an encoded cursor, so that the encoding can change without misreading the
/// cursors clients still hold.
const CURSOR_VERSION: u8 = 1;
const TAG_TIME: u8 = b't';
const TAG_ID: u8 = b'i';
/// The message for a cursor that cannot be read, unchanged from the UUID cursors.
const MALFORMED: &str = "invalid cursor";

impl Cursor {
    /// The cursor of the row whose key is `key` in the list tagged `list`.
    pub fn new(list: &str, key: Vec<KeyValue>) -> Self {
        Self {
            list: list.to_owned(),
            key,
        }
    }

    /// The list this cursor belongs to.
    pub fn list(&self) -> &str {
        &self.list
    }

    /// The key values of the row it points at.
    pub fn key(&self) -> &[KeyValue] {
        &self.key
    }

    /// The opaque text handed to clients (URL-safe, so the portal can put it in a link).
    pub fn encode(&self) -> String {
        let mut bytes = vec![CURSOR_VERSION];
        // Tags are short constants and keys have two or three parts: one byte each is plenty,
        // and `decode` refuses anything else.
        bytes.push(u8::try_from(self.list.len()).unwrap_or(u8::MAX));
        bytes.extend_from_slice(self.list.as_bytes());
        bytes.push(u8::try_from(self.key.len()).unwrap_or(u8::MAX));
        for value in &self.key {
            match value {
                KeyValue::Time(at) => {
                    bytes.push(TAG_TIME);
                    bytes.extend_from_slice(&at.timestamp().to_be_bytes());
                    bytes.extend_from_slice(&at.timestamp_subsec_nanos().to_be_bytes());
                }
                KeyValue::Id(id) => {
                    bytes.push(TAG_ID);
                    bytes.extend_from_slice(id.as_bytes());
                }
            }
        }
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Reads a cursor from a client; anything `encode` did not produce is refused.
    pub fn decode(text: &str) -> Result<Self, PageError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| PageError::BadCursor(MALFORMED))?;
        Self::from_bytes(&bytes).ok_or(PageError::BadCursor(MALFORMED))
    }

    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut input = Reader(bytes);
        if input.byte()? != CURSOR_VERSION {
            return None;
        }
        let tag_len = usize::from(input.byte()?);
        let list = std::str::from_utf8(input.take(tag_len)?).ok()?.to_owned();
        let parts = input.byte()?;
        let mut key = Vec::with_capacity(usize::from(parts));
        for _ in 0..parts {
            key.push(match input.byte()? {
                TAG_TIME => {
                    let seconds = i64::from_be_bytes(input.take(8)?.try_into().ok()?);
                    let nanos = u32::from_be_bytes(input.take(4)?.try_into().ok()?);
                    KeyValue::Time(DateTime::from_timestamp(seconds, nanos)?)
                }
                TAG_ID => KeyValue::Id(Uuid::from_slice(input.take(16)?).ok()?),
                _ => return None,
            });
        }
        input.0.is_empty().then_some(Self { list, key })
    }
}

/// Consumes a byte slice from the front.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
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
mod tests {
    use super::*;
    use entity::member;
    use sea_orm::{DbBackend, QueryTrait};

    const MEMBERS: Keyset<member::Entity> = Keyset {
        list: "members",
        columns: &[
            (member::Column::CreatedAt, KeyKind::Time),
            (member::Column::Id, KeyKind::Id),
        ],
        direction: Direction::Ascending,
        key: |m| time_key(m.created_at, m.id),
    };

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn request(after: Option<Cursor>) -> PageRequest {
        PageRequest { limit: 2, after }
    }

    #[test]
    fn cursors_round_trip_to_the_nanosecond() {
        let cursor = Cursor::new(
            "members",
            time_key(at("2026-04-02T08:00:00.123456789Z"), Uuid::now_v7()),
        );
        let text = cursor.encode();
        assert!(
            text.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "URL-safe: {text}"
        );
        assert_eq!(Cursor::decode(&text).ok(), Some(cursor));
        let before_epoch = Cursor::new("x", vec![KeyValue::Time(at("1900-01-01T00:00:00Z"))]);
        assert_eq!(
            Cursor::decode(&before_epoch.encode()).ok(),
            Some(before_epoch)
        );
    }

    #[test]
    fn garbage_is_a_bad_cursor() {
        let good = Cursor::new("members", time_key(Utc::now(), Uuid::now_v7())).encode();
        let mut bytes = URL_SAFE_NO_PAD.decode(&good).expect("base64");
        let mut wrong_version = bytes.clone();
        wrong_version[0] = 2;
        let mut bad_nanos = bytes.clone();
        let nanos = 1 + 1 + "members".len() + 1 + 1 + 8;
        bad_nanos[nanos..nanos + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        bytes.push(0);
        let trailing = bytes;
        let truncated = &good[..good.len() - 3];
        let old_uuid_cursor = URL_SAFE_NO_PAD.encode(Uuid::now_v7().as_bytes());
        for text in [
            "",
            "not a cursor",
            "%%%",
            truncated,
            &old_uuid_cursor,
            &URL_SAFE_NO_PAD.encode(wrong_version),
            &URL_SAFE_NO_PAD.encode(bad_nanos),
            &URL_SAFE_NO_PAD.encode(trailing),
        ] {
            assert!(
                matches!(Cursor::decode(text), Err(PageError::BadCursor(_))),
                "{text:?} must be refused"
            );
        }
    }

    #[test]
    fn another_lists_cursor_or_key_shape_is_refused() {
        let id = Uuid::now_v7();
        let teams = Cursor::new("teams", time_key(Utc::now(), id));
        let request = request(Some(teams));
        assert!(matches!(
            MEMBERS.position(&request),
            Err(PageError::BadCursor(_))
        ));
        for key in [
            vec![KeyValue::Id(id)],
            vec![KeyValue::Id(id), KeyValue::Time(Utc::now())],
            vec![
                KeyValue::Time(Utc::now()),
                KeyValue::Id(id),
                KeyValue::Id(id),
            ],
        ] {
            let request = PageRequest {
                limit: 2,
                after: Some(Cursor::new("members", key)),
            };
            assert!(matches!(
                MEMBERS.position(&request),
                Err(PageError::BadCursor(_))
            ));
        }
        let own = PageRequest {
            limit: 2,
            after: Some(Cursor::new("members", time_key(Utc::now(), id))),
        };
        assert!(matches!(MEMBERS.position(&own), Ok(Some(_))));
    }

    #[test]
    fn a_bad_cursor_is_a_bad_input_on_after() {
        let error: ServiceError = PageError::BadCursor(MALFORMED).into();
        assert!(
            matches!(&error, ServiceError::BadInput { field, .. } if field == "after"),
            "{error:?}"
        );
    }

    #[test]
    fn the_keyset_predicate_is_a_portable_row_comparison() {
        let key = time_key(at("2026-04-02T08:00:00Z"), Uuid::nil());
        let scoped = member::Entity::find().filter(member::Column::Name.eq("x"));
        let sql = MEMBERS
            .window(scoped.clone(), Some(&key), 2)
            .build(DbBackend::Postgres)
            .to_string();
        let after = r#"WHERE "members"."name" = 'x' AND ("members"."created_at" > '2026-04-02 08:00:00.000000 +00:00' OR ("members"."created_at" = '2026-04-02 08:00:00.000000 +00:00' AND "members"."id" > '00000000-0000-0000-0000-000000000000')) ORDER BY "members"."created_at" ASC, "members"."id" ASC LIMIT 3"#;
        assert!(sql.ends_with(after), "{sql}");

        // Newest first, the rows at or before the cursor are the later ones.
        let newest_first = Keyset {
            direction: Direction::Descending,
            ..MEMBERS
        };
        let sql = scoped
            .filter(newest_first.beyond(&key, false))
            .build(DbBackend::Sqlite)
            .to_string();
        let before = r#"WHERE "members"."name" = 'x' AND ("members"."created_at" > '2026-04-02 08:00:00.000000 +00:00' OR ("members"."created_at" = '2026-04-02 08:00:00.000000 +00:00' AND "members"."id" >= '00000000-0000-0000-0000-000000000000'))"#;
        assert!(sql.ends_with(before), "{sql}");
    }
}
