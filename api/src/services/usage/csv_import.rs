//! CSV imports of usage: a file with a header row and one record per row, read whole before
//! anything is recorded, so a file with a bad row is refused whole, every bad row named by its
//! number (the header is row 1).
//!
//! Columns (header names, any order; the first five are required, the others optional):
//! `subscription_item_id`, `quantity`, `from`, `to`, `idempotency_key`, `member_id`, `team_id`,
//! `number`, `properties` (a JSON object). Instants are RFC 3339 or `YYYY-MM-DD HH:MM:SS` (UTC).
//! An unknown column is refused, so a misspelt one is not silently ignored.

use crate::error::{RecordProblem, ServiceError, ServiceResult};

use super::ingest::{FieldNames, MAX_BATCH, RecordInput};

/// The columns a file may have.
pub const COLUMNS: [&str; 9] = [
    "subscription_item_id",
    "quantity",
    "from",
    "to",
    "idempotency_key",
    "member_id",
    "team_id",
    "number",
    "properties",
];

/// How errors name the fields: the column names.
pub const FIELD_NAMES: FieldNames = FieldNames {
    subscription_item: "subscription_item_id",
    quantity: "quantity",
    from: "from",
    to: "to",
    idempotency_key: "idempotency_key",
};

/// The row number of the first data row (the header is row 1).
pub const FIRST_ROW: usize = 2;

/// Reads a file into records, or refuses it: a missing or unknown column (`BAD_USER_INPUT` on
/// `file`), or rows that cannot be read (each by row number).
pub fn read(bytes: &[u8]) -> ServiceResult<Vec<RecordInput>> {
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
    if let Some(missing) = (0..5).find(|c| index[*c].is_none()) {
        return Err(ServiceError::bad_input(
            "file",
            format!("the column `{}` is required", COLUMNS[missing]),
        ));
    }
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (n, row) in reader.records().enumerate() {
        let row_number = FIRST_ROW + n;
        if records.len() + problems.len() >= MAX_BATCH {
            return Err(ServiceError::bad_input(
                "file",
                format!("a file holds at most {MAX_BATCH} rows: split it"),
            ));
        }
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                problems.push(RecordProblem {
                    position: row_number,
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
        let optional = |column: usize| Some(get(column)).filter(|v| !v.is_empty());
        records.push(RecordInput {
            subscription_item: get(0),
            quantity: get(1),
            from: get(2),
            to: get(3),
            idempotency_key: get(4),
            member: optional(5),
            team: optional(6),
            number: optional(7),
            properties: optional(8),
        });
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidRecords(problems));
    }
    if records.is_empty() {
        return Err(ServiceError::bad_input("file", "the file has no rows"));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_any_order_and_rows_by_number() {
        let file = b"quantity,subscription_item_id,from,to,idempotency_key\n\
            22,si_x,2026-05-01 00:00:00,2026-05-01 23:59:59,a\n";
        let records = read(file).unwrap();
        assert_eq!(records[0].quantity, "22");
        assert_eq!(records[0].subscription_item, "si_x");
        assert!(read(b"quantity,subscription_item_id\n1,si\n").is_err());
        assert!(read(b"quantity,subscription_item_id,from,to,idempotency_key,colour\n").is_err());
        let ragged = read(b"quantity,subscription_item_id,from,to,idempotency_key\n1,2\n");
        match ragged {
            Err(ServiceError::InvalidRecords(p)) => assert_eq!(p[0].position, 2),
            other => panic!("{other:?}"),
        }
    }
}
