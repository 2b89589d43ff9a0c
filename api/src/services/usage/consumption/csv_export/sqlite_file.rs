//! An export's chunks read from the SQLite file through SQLite's own API (rusqlite), on a
//! blocking thread of their own.
//!
//! Through sqlx, each row crosses from the connection's worker thread to the async task as an
//! owned row (every column copied, then decoded by SeaORM): at about 5 µs of CPU a row that
//! was 200,000 rows/s on two cores. Here a row is decoded where SQLite steps to it, from
//! borrowed column values, and a whole chunk crosses at once.
//!
//! The statement is the one the pool would run ([`super::read`] builds it with SeaORM, so a
//! filter is written once): [`bind`] turns its values into what sqlx would have bound (a
//! time as RFC 3339 text, an id as its 16 bytes), or the comparisons would silently change.
//! Each chunk is one statement in autocommit: no read transaction, so no WAL snapshot, is held
//! between chunks. The connection is read-only and the export's own, closed with it.

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use entity::call_record::CallDirection;
use rusqlite::types::{Type, Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags, Row, params_from_iter};
use sea_orm::{Statement, Value};
use uuid::Uuid;

use super::read::{CallRow, RecordRow};
use crate::db::SQLITE_BUSY_TIMEOUT;
use crate::error::{ServiceError, ServiceResult};

/// Opens `path` read-only for one export.
pub(super) fn open(path: &Path) -> ServiceResult<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(failed)?;
    connection
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .map_err(failed)?;
    Ok(connection)
}

/// The rows of `statement`, which selects [`RecordRow`]'s columns in its order.
pub(super) fn records(
    connection: &Connection,
    statement: &Statement,
) -> ServiceResult<Vec<RecordRow>> {
    query(connection, statement, |row| {
        Ok(RecordRow {
            id: id(row, 0)?.into(),
            from_at: time(row, 1)?,
            to_at: time(row, 2)?,
            subscription_item_id: id(row, 3)?.into(),
            quantity: row.get(4)?,
            member_id: optional_id(row, 5)?.map(Into::into),
            team_id: optional_id(row, 6)?.map(Into::into),
            number: row.get(7)?,
            invoice_id: optional_id(row, 8)?.map(Into::into),
        })
    })
}

/// The rows of `statement`, which selects [`CallRow`]'s columns in its order.
pub(super) fn calls(connection: &Connection, statement: &Statement) -> ServiceResult<Vec<CallRow>> {
    query(connection, statement, |row| {
        Ok(CallRow {
            id: id(row, 0)?.into(),
            phone_number_id: id(row, 1)?.into(),
            started_at: time(row, 2)?,
            duration_seconds: row.get(3)?,
            direction: direction(row, 4)?,
            destination: row.get(5)?,
            billed_seconds: row.get(6)?,
            amount_minor: row.get(7)?,
            currency: row.get(8)?,
            invoice_id: optional_id(row, 9)?.map(Into::into),
        })
    })
}

/// Runs `statement` and decodes each row with `decode`.
fn query<T>(
    connection: &Connection,
    statement: &Statement,
    decode: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> ServiceResult<Vec<T>> {
    let values = bind(statement)?;
    let mut prepared = connection.prepare(&statement.sql).map_err(failed)?;
    let rows = prepared
        .query_map(params_from_iter(values), |row| decode(row))
        .map_err(failed)?;
    rows.collect::<rusqlite::Result<Vec<T>>>().map_err(failed)
}

/// `statement`'s values as sqlx binds them on SQLite (see sea-query-sqlx): the text of a time
/// is what the rows hold, so `from_at >= ?` compares like with like.
fn bind(statement: &Statement) -> ServiceResult<Vec<SqlValue>> {
    let Some(values) = &statement.values else {
        return Ok(Vec::new());
    };
    values.0.iter().map(sql_value).collect()
}

/// One value; a kind the export's statements never bind is refused rather than guessed at.
fn sql_value(value: &Value) -> ServiceResult<SqlValue> {
    let null = SqlValue::Null;
    Ok(match value {
        Value::Bool(b) => b.map_or(null, |b| SqlValue::Integer(i64::from(b))),
        Value::Int(i) => i.map_or(null, |i| SqlValue::Integer(i64::from(i))),
        Value::BigInt(i) => i.map_or(null, SqlValue::Integer),
        Value::Unsigned(i) => i.map_or(null, |i| SqlValue::Integer(i64::from(i))),
        Value::BigUnsigned(i) => match i {
            Some(i) => SqlValue::Integer(i64::try_from(*i).map_err(|_| unsupported(value))?),
            None => null,
        },
        Value::String(s) => s.clone().map_or(null, SqlValue::Text),
        Value::Bytes(b) => b.clone().map_or(null, SqlValue::Blob),
        Value::Uuid(u) => u.map_or(null, |u| SqlValue::Blob(u.as_bytes().to_vec())),
        Value::ChronoDateTimeUtc(t) => t.map_or(null, |t| SqlValue::Text(rfc3339(t))),
        _ => return Err(unsupported(value)),
    })
}

/// A time as sqlx writes it to SQLite.
fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// The time in column `index`: RFC 3339 text as sqlx writes it, parsed without a format
/// string; any other form SQLite knows through rusqlite's (slower) parser.
fn time(row: &Row<'_>, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    if let ValueRef::Text(text) = row.get_ref(index)?
        && let Ok(text) = std::str::from_utf8(text)
        && let Ok(at) = DateTime::parse_from_rfc3339(text)
    {
        return Ok(at.with_timezone(&Utc));
    }
    row.get(index)
}

/// The id in column `index` (16 bytes, as sqlx writes a UUID).
fn id(row: &Row<'_>, index: usize) -> rusqlite::Result<Uuid> {
    optional_id(row, index)?.ok_or(rusqlite::Error::InvalidColumnType(
        index,
        "id".to_owned(),
        Type::Null,
    ))
}

/// The id in column `index`, or none for NULL.
fn optional_id(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Uuid>> {
    match row.get_ref(index)? {
        ValueRef::Null => Ok(None),
        ValueRef::Blob(bytes) => Uuid::from_slice(bytes)
            .map(Some)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Blob, Box::new(e))),
        other => Err(rusqlite::Error::InvalidColumnType(
            index,
            "id".to_owned(),
            other.data_type(),
        )),
    }
}

/// A call's direction, stored as its SeaORM string value.
fn direction(row: &Row<'_>, index: usize) -> rusqlite::Result<CallDirection> {
    match row.get_ref(index)?.as_str()? {
        "outbound" => Ok(CallDirection::Outbound),
        "inbound" => Ok(CallDirection::Inbound),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            index,
            Type::Text,
            format!("no call direction is called {other:?}").into(),
        )),
    }
}

fn unsupported(value: &Value) -> ServiceError {
    ServiceError::internal(format!("an export cannot bind {value:?} on SQLite"))
}

fn failed(error: rusqlite::Error) -> ServiceError {
    ServiceError::internal(format!("reading an export from SQLite: {error}"))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_time_is_bound_as_sqlx_writes_it() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 23, 0, 0).unwrap();
        let value = sql_value(&Value::ChronoDateTimeUtc(Some(at))).unwrap();
        assert_eq!(
            value,
            SqlValue::Text("2026-03-01T23:00:00+00:00".to_owned())
        );
        let with_millis = at + chrono::Duration::milliseconds(250);
        assert_eq!(rfc3339(with_millis), "2026-03-01T23:00:00.250+00:00");
    }

    #[test]
    fn an_id_is_bound_as_its_bytes_and_null_stays_null() {
        let id = Uuid::now_v7();
        assert_eq!(
            sql_value(&Value::Uuid(Some(id))).unwrap(),
            SqlValue::Blob(id.as_bytes().to_vec())
        );
        assert_eq!(sql_value(&Value::Uuid(None)).unwrap(), SqlValue::Null);
        assert_eq!(
            sql_value(&Value::BigInt(Some(5000))).unwrap(),
            SqlValue::Integer(5000)
        );
    }

    #[test]
    fn a_value_it_cannot_bind_is_refused() {
        assert!(sql_value(&Value::Char(Some('x'))).is_err());
    }
}
