//! CSV imports of usage: a file with a header row and one record per row, read whole before
//! anything is recorded, so a file with a bad row is refused whole, every bad row named by its
//! number (the header is row 1).
//!
//! Columns (header names, any order; the first five are required, the others optional):
//! `subscription_item_id`, `quantity`, `from`, `to`, `idempotency_key`, `member_id`, `team_id`,
//! `number`, `properties` (a JSON object). Instants are RFC 3339 or `YYYY-MM-DD HH:MM:SS` (UTC).
//! An unknown column is refused, so a misspelt one is not silently ignored.

use crate::error::ServiceResult;
use crate::services::csv_file;

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
pub const FIRST_ROW: usize = csv_file::FIRST_ROW;

/// Reads a file into records, or refuses it: a missing or unknown column (`BAD_USER_INPUT` on
/// `file`), or rows that cannot be read (each by row number).
pub fn read(bytes: &[u8]) -> ServiceResult<Vec<RecordInput>> {
    csv_file::read_rows(bytes, &COLUMNS, 5, MAX_BATCH, |row| RecordInput {
        subscription_item: row.get(0),
        quantity: row.get(1),
        from: row.get(2),
        to: row.get(3),
        idempotency_key: row.get(4),
        member: row.optional(5),
        team: row.optional(6),
        number: row.optional(7),
        properties: row.optional(8),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;

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
