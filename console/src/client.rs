//! Typed execution of the console's operations. How a GraphQL error becomes what a page shows
//! is the `web` crate's ([`web::api::ApiError`]), shared with the portal.

use graphql_client::GraphQLQuery;

use crate::Console;
use crate::transport::ImportKind;

/// Why an operation did not give data.
pub use web::api::ApiError as ConsoleError;

impl Console {
    /// Runs operation `Q` with `variables` as the holder of `session`.
    pub(crate) async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
        session: Option<&str>,
    ) -> Result<Q::ResponseData, ConsoleError> {
        let request = web::api::request::<Q>(variables)?;
        web::api::decode::<Q>(self.transport.execute(request, session).await)
    }
}

/// What an import of a CSV file did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ImportOutcome {
    /// Recorded.
    Imported(ImportCounts),
    /// Refused whole for these rows: nothing was recorded.
    BadRows {
        /// The API's summary ("2 bad rows, nothing was imported").
        message: String,
        /// Every bad row, in order.
        rows: Vec<BadRow>,
    },
}

/// The counts of a recorded import.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub(crate) struct ImportCounts {
    /// Records in the file.
    pub received: u64,
    /// Records written.
    pub inserted: u64,
    /// Records skipped: their key was recorded before.
    pub duplicates: u64,
    /// Calls written without a rate (call imports only).
    pub unrated: Option<u64>,
}

/// One refused row of a file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub(crate) struct BadRow {
    /// The row's number in the file, the header being row 1.
    pub row: u64,
    /// The column at fault.
    pub column: String,
    /// Why.
    pub message: String,
}

impl Console {
    /// Imports a CSV file of `kind` as the holder of `session`. A file with bad rows is an
    /// outcome to show, not an error; any other refusal (a role, a file that is no CSV) is.
    pub(crate) async fn import(
        &self,
        kind: ImportKind,
        csv: Vec<u8>,
        session: &str,
    ) -> Result<ImportOutcome, ConsoleError> {
        let raw = self
            .transport
            .import(kind, csv, session)
            .await
            .map_err(|e| ConsoleError::Internal(format!("transport: {e}")))?;
        if let Some(error) = raw["errors"].get(0)
            && let Some(rows) = error["extensions"].get("rows")
        {
            let rows = serde_json::from_value(rows.clone())
                .map_err(|e| ConsoleError::Internal(format!("an import answered {raw}: {e}")))?;
            let message = error["message"].as_str().unwrap_or_default().to_owned();
            return Ok(ImportOutcome::BadRows { message, rows });
        }
        if raw.get("errors").is_some() {
            web::api::refusal_or_data(raw)?;
            return Err(ConsoleError::Internal(
                "an import refused without an error".into(),
            ));
        }
        serde_json::from_value(raw.clone())
            .map(ImportOutcome::Imported)
            .map_err(|e| ConsoleError::Internal(format!("an import answered {raw}: {e}")))
    }
}
