//! CSV imports of calls: a header row and one call per row, read whole before anything is
//! recorded, so a file with a bad row is refused whole, every bad row named by its number (the
//! header is row 1).
//!
//! Columns (header names, any order, all required): `number`, `start`, `duration_seconds`,
//! `direction` (`outbound` or `inbound`), `destination`, `idempotency_key`. An unknown or
//! repeated column is refused, so a misspelt one is not silently ignored.

use super::calls::{CallInput, MAX_BATCH};
use crate::error::{RecordProblem, ServiceError, ServiceResult};

/// The columns of a file.
pub const COLUMNS: [&str; 6] = [
    "number",
    "start",
    "duration_seconds",
    "direction",
    "destination",
    "idempotency_key",
];

/// The row number of the first data row (the header is row 1).
pub const FIRST_ROW: usize = 2;

/// Reads a file into calls, or refuses it: a missing, unknown or repeated column
/// (`BAD_USER_INPUT` on `file`), or rows that cannot be read (each by row number).
pub fn read(bytes: &[u8]) -> ServiceResult<Vec<CallInput>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| ServiceError::bad_input("file", format!("cannot read the header row: {e}")))?
        .clone();
    let mut index = [None; COLUMNS.len()];
    for (position, name) in headers.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}');
        match COLUMNS.iter().position(|c| *c == name) {
            Some(column) if index[column].is_none() => index[column] = Some(position),
            Some(_) => {
                return Err(ServiceError::bad_input(
                    "file",
                    format!("the column `{name}` appears twice"),
                ));
            }
            None => {
                return Err(ServiceError::bad_input(
                    "file",
                    format!("unknown column `{name}` (columns: {})", COLUMNS.join(", ")),
                ));
            }
        }
    }
    if let Some(missing) = (0..COLUMNS.len()).find(|c| index[*c].is_none()) {
        return Err(ServiceError::bad_input(
            "file",
            format!("the column `{}` is required", COLUMNS[missing]),
        ));
    }
    let mut calls = Vec::new();
    let mut problems = Vec::new();
    for (n, row) in reader.records().enumerate() {
        if calls.len() + problems.len() >= MAX_BATCH {
            return Err(ServiceError::bad_input(
                "file",
                format!("a file holds at most {MAX_BATCH} rows: split it"),
            ));
        }
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                problems.push(RecordProblem {
                    position: FIRST_ROW + n,
                    field: "row".into(),
                    message: e.to_string(),
                    not_found: false,
                });
                continue;
            }
        };
        let get = |column: usize| {
            index[column]
                .and_then(|i| row.get(i))
                .map(str::to_owned)
                .unwrap_or_default()
        };
        calls.push(CallInput {
            number: get(0),
            started_at: get(1),
            duration_seconds: get(2),
            direction: get(3),
            destination: get(4),
            idempotency_key: get(5),
        });
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidRecords(problems));
    }
    if calls.is_empty() {
        return Err(ServiceError::bad_input("file", "the file has no rows"));
    }
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_any_order_and_rows_by_number() {
        let file = b"start,number,duration_seconds,direction,destination,idempotency_key\n\
            2026-12-02 09:00:00,+33140000001,61,outbound,+33612345678,a\n";
        let calls = read(file).unwrap();
        assert_eq!(calls[0].number, "+33140000001");
        assert_eq!(calls[0].started_at, "2026-12-02 09:00:00");
        assert_eq!(calls[0].duration_seconds, "61");
        assert!(read(b"number,start\n+331,x\n").is_err());
        assert!(
            read(b"number,start,duration_seconds,direction,destination,idempotency_key,x\n")
                .is_err()
        );
        let ragged =
            read(b"number,start,duration_seconds,direction,destination,idempotency_key\n1,2\n");
        match ragged {
            Err(ServiceError::InvalidRecords(p)) => assert_eq!(p[0].position, 2),
            other => panic!("{other:?}"),
        }
    }
}
