//! SQLite's write-ahead log, copied back into the database file in the background.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use super::{Db, SQLITE_BUSY_TIMEOUT};

/// How often the log is copied back.
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// Log frames (pages) past which the log is also emptied, when no reader holds it.
const WAL_TRUNCATE_FRAMES: i64 = 4096;

/// Copies SQLite's write-ahead log back into the database file, off the request path, for as
/// long as it is held; dropping it stops the task.
///
/// Connections are opened with automatic checkpoints off: otherwise whichever request commits
/// the thousandth page of the log copies it back and waits for the fsync, which set the
/// preview's p99. Without a checkpointer (a one-off command) the log is copied back when the
/// last connection closes, as SQLite always does.
pub struct Checkpointer(tokio::task::JoinHandle<()>);

impl Checkpointer {
    /// Starts checkpointing `db` when it is SQLite (PostgreSQL needs nothing of the kind).
    /// Must be called within a Tokio runtime.
    pub fn start(db: &Db) -> Option<Self> {
        if db.backend() != DbBackend::Sqlite {
            return None;
        }
        let db = db.clone();
        Some(Self(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(CHECKPOINT_INTERVAL);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(error) = checkpoint(&db).await {
                    tracing::warn!(%error, "WAL checkpoint failed; retrying");
                }
            }
        })))
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One round. A PASSIVE checkpoint, on a read connection, copies back what no reader still
/// needs without taking the write lock or waiting for anyone. But under steady load some
/// reader always holds the log, so it is never restarted and grows without bound (measured:
/// 800 MB in a minute of previews), which slows every read. So when it is long, the writer
/// connection (which no writer can be ahead of) tries a TRUNCATE checkpoint with no busy wait:
/// it empties the file if no reader holds it at that instant, and otherwise gives up until
/// the next round.
async fn checkpoint(db: &Db) -> Result<(), DbErr> {
    let frames_in_log = db
        .reads()
        .query_one_raw(pragma("PRAGMA wal_checkpoint(PASSIVE)"))
        .await?
        .map(|row| row.try_get_by_index::<i64>(1))
        .transpose()?
        .unwrap_or(0);
    if frames_in_log > WAL_TRUNCATE_FRAMES {
        truncate_if_free(db.writes()).await?;
    }
    Ok(())
}

/// One call, so the three statements run on the writer's single connection in a row.
async fn truncate_if_free(writer: &DatabaseConnection) -> Result<(), DbErr> {
    let restore = format!("PRAGMA busy_timeout = {}", SQLITE_BUSY_TIMEOUT.as_millis());
    let outcome = writer
        .execute_unprepared(&format!(
            "PRAGMA busy_timeout = 0; PRAGMA wal_checkpoint(TRUNCATE); {restore}"
        ))
        .await;
    if outcome.is_err() {
        // Never leave the writer without its busy timeout.
        writer.execute_unprepared(&restore).await?;
    }
    outcome.map(|_| ())
}

fn pragma(sql: &str) -> Statement {
    Statement::from_string(DbBackend::Sqlite, sql.to_owned())
}
