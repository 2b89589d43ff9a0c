//! CSV imports of calls: a header row and one call per row, read whole before anything is
//! recorded, so a file with a bad row is refused whole, every bad row named by its number (the
//! header is row 1).
//!
//! Columns (header names, any order, all required): `number`, `start`, `duration_seconds`,
//! `direction` (`outbound` or `inbound`), `destination`, `idempotency_key`. An unknown or
//! repeated column is refused, so a misspelt one is not silently ignored.

use super::calls::{CallInput, MAX_BATCH};
use crate::error::ServiceResult;
use crate::services::csv_file;

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
pub const FIRST_ROW: usize = csv_file::FIRST_ROW;

/// Reads a file into calls, or refuses it: a missing, unknown or repeated column
/// (`BAD_USER_INPUT` on `file`), or rows that cannot be read (each by row number).
pub fn read(bytes: &[u8]) -> ServiceResult<Vec<CallInput>> {
    csv_file::read_rows(bytes, &COLUMNS, COLUMNS.len(), MAX_BATCH, |row| CallInput {
        number: row.get(0),
        started_at: row.get(1),
        duration_seconds: row.get(2),
        direction: row.get(3),
        destination: row.get(4),
        idempotency_key: row.get(5),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;

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
