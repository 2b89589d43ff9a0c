//! The database, the same code for SQLite and PostgreSQL: connecting, migrating, write
//! transactions and what they must do for the tenant state kept in memory.

mod checkpoint;
mod lookup;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub use checkpoint::Checkpointer;
pub use lookup::UniqueLookup;
pub use write::{PlainWrite, TenantWrite, WriteTransaction};

/// How long a SQLite writer waits for the lock before giving up (another process writing).
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a pooled connection may sit idle before it is pinged on checkout.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// The largest write-ahead log kept on disk once it has been restarted.
const WAL_SIZE_LIMIT_BYTES: &str = "67108864";

/// Connections that read, on SQLite.
const SQLITE_READERS: u32 = 8;
/// Rows a SQLite connection's worker thread reads ahead of the task consuming them (sqlx's
/// default is 50): with 50, a large read (a CSV export's chunk of 5,000 rows) hands over
/// between the worker and the task a hundred times, each a thread wake-up. At most this many
/// rows wait in memory per reading query (~1–2 MB for usage records).
const SQLITE_ROWS_AHEAD: usize = 4_096;
/// Connections of the one PostgreSQL pool that reads and writes.
const POSTGRES_CONNECTIONS: u32 = 16;

/// The database as services use it: reads go to a pool, writes to [`Db::writes`].
///
/// On SQLite only one connection can write at a time. Writers that race for the lock lose to
/// `SQLITE_BUSY` and sleep in SQLite's busy handler (1, 2, 5, 10 … ms), which was most of the
/// preview's tail latency. So SQLite writes go through a pool of exactly one connection: they
/// queue for it in order, in the async runtime, and never sleep; and the read connections are
/// `query_only`, so a write sent to the wrong pool fails loudly instead of racing. On
/// PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    reads: DatabaseConnection,
    writes: DatabaseConnection,
    /// The SQLite database's file, when it is one: what reads past the pool open (the CSV
    /// export's chunks, see `csv_export::sqlite_file`).
    sqlite_file: Option<PathBuf>,
}

impl Db {
    /// Where reads go.
    pub fn reads(&self) -> &DatabaseConnection {
        &self.reads
    }

    /// Where writes go: [`Db::begin_tenant_write`] or [`Db::begin_plain_write`] for a
    /// transaction, or a single autocommit write
    /// (such as storing a quote).
    pub fn writes(&self) -> &DatabaseConnection {
        &self.writes
    }

    /// The SQLite database's file; `None` on PostgreSQL and for an in-memory SQLite database.
    pub fn sqlite_file(&self) -> Option<&Path> {
        self.sqlite_file.as_deref()
    }

    /// This database with every read through the pool, also on a SQLite file: the CSV export
    /// then reads as it does on PostgreSQL, through sqlx (`consumption_bench`'s baseline for
    /// the SQLite file reader).
    pub fn pool_reads_only(&self) -> Db {
        Db {
            sqlite_file: None,
            ..self.clone()
        }
    }

    /// Which database this is.
    pub fn backend(&self) -> DbBackend {
        self.reads.get_database_backend()
    }

    /// Starts a write on a tenant's cached state: its only commit bumps the tenant's revision
    /// (see [`TenantWrite`]).
    pub async fn begin_tenant_write(&self) -> Result<TenantWrite, DbErr> {
        self.begin_write().await.map(TenantWrite::new)
    }

    /// Starts a write outside any tenant's cached state (see [`PlainWrite`]).
    pub async fn begin_plain_write(&self) -> Result<PlainWrite, DbErr> {
        self.begin_write().await.map(PlainWrite::new)
    }

    /// On SQLite, `BEGIN IMMEDIATE` on the writer connection, which takes the write lock up
    /// front: a deferred transaction that upgrades from read to write fails with
    /// `SQLITE_BUSY` under concurrency instead of waiting.
    async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        let options = match self.backend() {
            DbBackend::Sqlite => TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            },
            _ => TransactionOptions::default(),
        };
        self.writes.begin_with_options(options).await
    }
}

/// Connects to `url`. For SQLite: the parent directory of the database file created when
/// missing; WAL journal, a busy timeout, foreign keys on, checkpoints in the background.
pub async fn connect(url: &str) -> Result<Db, DbErr> {
    if !url.starts_with("sqlite:") {
        let pool = Database::connect(pool_options(url, POSTGRES_CONNECTIONS, false)).await?;
        return Ok(Db {
            reads: pool.clone(),
            writes: pool,
            sqlite_file: None,
        });
    }
    let sqlite_file = sqlite_file_path(url).map(PathBuf::from);
    if let Some(path) = &sqlite_file
        && let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    // The writer first: it creates the file and switches it to WAL before readers open it.
    let writes = Database::connect(pool_options(url, 1, false)).await?;
    let reads = Database::connect(pool_options(url, SQLITE_READERS, true)).await?;
    Ok(Db {
        reads,
        writes,
        sqlite_file,
    })
}

fn pool_options(url: &str, connections: u32, read_only: bool) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .max_connections(connections)
        .connect_timeout(Duration::from_secs(10))
        // sqlx pings a connection on every checkout by default: a second round trip per
        // statement (for SQLite, a second hop to the connection's worker thread). Ping only a
        // connection that sat idle long enough for a server or proxy to have dropped it.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        .map_sqlx_sqlite_opts(move |opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                .create_if_missing(true)
                // Checkpoints run in the background (`Checkpointer`), not in whichever request
                // happens to commit the thousandth page of the log.
                .pragma("wal_autocheckpoint", "0")
                // A burst can leave a long log behind; once restarted, keep at most this much.
                .pragma("journal_size_limit", WAL_SIZE_LIMIT_BYTES)
                .pragma("query_only", if read_only { "true" } else { "false" })
                .row_buffer_size(SQLITE_ROWS_AHEAD)
        });
    options
}

/// Applies every pending migration, then brings derived tables a migration created up to the
/// data already there (the running daily totals of usage, computed in Rust by the customer's
/// time zone, which SQL alone cannot).
pub async fn migrate(db: &Db) -> Result<(), DbErr> {
    Migrator::up(db.writes(), None).await?;
    let txn = db.begin_write().await?;
    crate::services::usage::days::backfill_if_needed(&txn)
        .await
        .map_err(|e| DbErr::Custom(format!("backfilling usage_days: {e:?}")))?;
    txn.commit().await
}

/// Whether the database answers. Only the read pool is pinged: on SQLite a ping of the writer
/// would queue behind the writes and make a busy server look down.
pub async fn is_reachable(db: &Db) -> bool {
    db.reads().ping().await.is_ok()
}

/// The file behind a `sqlite://path?…` URL, when it names one: not `:memory:`, nor a named
/// in-memory database (`?mode=memory`), which a file of the same name must not stand in for.
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let in_memory = query.split('&').any(|pair| pair == "mode=memory");
    (!path.is_empty() && path != ":memory:" && !in_memory).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::sqlite_file_path;

    #[test]
    fn finds_the_file_of_a_sqlite_url() {
        assert_eq!(
            sqlite_file_path("sqlite://data/billfold.db?mode=rwc").as_deref(),
            Some("data/billfold.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(
            sqlite_file_path("sqlite://shared?mode=memory&cache=shared"),
            None
        );
        assert_eq!(sqlite_file_path("postgres://x/y"), None);
    }
}
