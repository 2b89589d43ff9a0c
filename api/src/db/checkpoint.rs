//! SQLite's write-ahead log, copied back into the database file in the background.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use super::{Db, SQLITE_BUSY_TIMEOUT};

/// How often the log is copied back.
const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(1);

/// Log frames (pages) past which the writer restarts the log, when no reader holds it.
const WAL_RESTART_FRAMES: i64 = 4096;

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
/// 800 MB in a minute of previews, and every read slower for it). So when it is long, the
/// writer connection (which no other writer can be ahead of) tries a RESTART checkpoint with no
/// busy wait: if no reader holds the log at that instant, the next write starts again at the
/// beginning of the file, and otherwise it gives up until the next round. RESTART rather than
/// TRUNCATE: the file keeps its size, so writes overwrite blocks instead of growing the file,
/// which on ext4 waits for journal commits (measured: TRUNCATE tripled the preview's p99).
async fn checkpoint(db: &Db) -> Result<(), DbErr> {
    let frames_in_log = db
        .reads()
        .query_one_raw(pragma("PRAGMA wal_checkpoint(PASSIVE)"))
        .await?
        .map(|row| row.try_get_by_index::<i64>(1))
        .transpose()?
        .unwrap_or(0);
    if frames_in_log > WAL_RESTART_FRAMES {
        restart_if_free(db.writes()).await?;
    }
    Ok(())
}

/// One call, so the three statements run on the writer's single connection in a row.
async fn restart_if_free(writer: &DatabaseConnection) -> Result<(), DbErr> {
    let restore = format!("PRAGMA busy_timeout = {}", SQLITE_BUSY_TIMEOUT.as_millis());
    let outcome = writer
        .execute_unprepared(&format!(
            "PRAGMA busy_timeout = 0; PRAGMA wal_checkpoint(RESTART); {restore}"
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
