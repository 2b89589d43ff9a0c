//! Reading an uploaded CSV file of records (usage, calls): a header row naming the columns in
//! any order, then one record per row, read whole before anything is recorded. A missing,
//! unknown or repeated column refuses the file (`BAD_USER_INPUT` on `file`), so a misspelt one
//! is not silently ignored; rows that cannot be read are refused together, each by its row
//! number (the header is row 1).

use crate::error::{RecordProblem, ServiceError, ServiceResult};

/// The row number of the first data row (the header is row 1).
pub const FIRST_ROW: usize = 2;

/// One data row, its cells found by column (the position in the caller's column list).
pub struct Row<'a> {
    cells: &'a csv::StringRecord,
    index: &'a [Option<usize>],
}

impl Row<'_> {
    /// The cell of `column`, trimmed; empty when the file has no such column.
    pub fn get(&self, column: usize) -> String {
        self.index
            .get(column)
            .copied()
            .flatten()
            .and_then(|i| self.cells.get(i))
            .map(str::to_owned)
            .unwrap_or_default()
    }

    /// The cell of an optional `column`, `None` when empty or absent.
    pub fn optional(&self, column: usize) -> Option<String> {
        Some(self.get(column)).filter(|v| !v.is_empty())
    }
}

/// Reads `bytes` with `columns` (the first `required` of them must be present), turning each
/// row into a record with `build`; at most `max_rows` rows.
pub fn read_rows<T>(
    bytes: &[u8],
    columns: &[&str],
    required: usize,
    max_rows: usize,
    mut build: impl FnMut(&Row<'_>) -> T,
) -> ServiceResult<Vec<T>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| ServiceError::bad_input("file", format!("cannot read the header row: {e}")))?
        .clone();
    let mut index = vec![None; columns.len()];
    for (position, name) in headers.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}');
        match columns.iter().position(|c| *c == name) {
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
                    format!("unknown column `{name}` (columns: {})", columns.join(", ")),
                ));
            }
        }
    }
    if let Some(missing) = (0..required).find(|c| index[*c].is_none()) {
        return Err(ServiceError::bad_input(
            "file",
            format!("the column `{}` is required", columns[missing]),
        ));
    }
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (n, cells) in reader.records().enumerate() {
        if records.len() + problems.len() >= max_rows {
            return Err(ServiceError::bad_input(
                "file",
                format!("a file holds at most {max_rows} rows: split it"),
            ));
        }
        match cells {
            Ok(cells) => records.push(build(&Row {
                cells: &cells,
                index: &index,
            })),
            Err(e) => problems.push(RecordProblem {
                position: FIRST_ROW + n,
                field: "row".into(),
                message: e.to_string(),
                not_found: false,
            }),
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::InvalidRecords(problems));
    }
    if records.is_empty() {
        return Err(ServiceError::bad_input("file", "the file has no rows"));
    }
    Ok(records)
}
