//! One fresh database per test.

use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh database on the PostgreSQL server named by this admin URL.
    Postgres {
        /// URL of a database on the server the test may connect to to create and drop others.
        admin_url: String,
    },
}

impl Backend {
    /// PostgreSQL on the server `TEST_DATABASE_URL` names. The workspace's `.cargo/config.toml`
    /// points it at the local server. Without it the PostgreSQL variant fails and says what to
    /// do: a test never passes without running. To run on SQLite only, filter the variants
    /// out by name: `cargo test --workspace -- --skip ::postgres`.
    pub fn postgres() -> Backend {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => Backend::Postgres { admin_url: url },
            _ => panic!(
                "TEST_DATABASE_URL is not set or empty: point it at a PostgreSQL server \
                 (postgres://postgres@127.0.0.1:5432/postgres), or skip these variants with \
                 `cargo test --workspace -- --skip ::postgres`"
            ),
        }
    }
}

/// A database created for one test.
pub struct TestDatabase {
    url: String,
    kind: Kind,
}

enum Kind {
    Sqlite(#[allow(dead_code)] TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// Creates an empty database on `backend`. Panics with what to do when the server is not
    /// reachable: a test never skips silently.
    pub async fn create(backend: &Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("billfold.db").display()
                );
                TestDatabase {
                    url,
                    kind: Kind::Sqlite(dir),
                }
            }
            Backend::Postgres { admin_url } => {
                let name = format!("billfold_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(admin_url.as_str()).await.unwrap_or_else(|e| {
                    panic!(
                        "cannot reach PostgreSQL at TEST_DATABASE_URL={admin_url}: {e}. Start it, \
                         or run the SQLite variants only: \
                         `cargo test --workspace -- --skip ::postgres`"
                    )
                });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                TestDatabase {
                    url: with_database_name(admin_url, &name),
                    kind: Kind::Postgres {
                        admin_url: admin_url.clone(),
                        name,
                    },
                }
            }
        }
    }

    /// The URL servers connect to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `sqlite` or `postgres`, as the `e2e_test!` variants are named: for telling the two
    /// runs' artefacts apart.
    pub fn backend_name(&self) -> &'static str {
        match self.kind {
            Kind::Sqlite(_) => "sqlite",
            Kind::Postgres { .. } => "postgres",
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Kind::Postgres { admin_url, name } = &self.kind else {
            return;
        };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        // Drop runs inside the test's runtime; the cleanup needs a runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    admin.close().await.ok();
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// `postgres://u@h:5432/postgres?x` with the database name replaced.
fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[prefix_end..].find('/') {
        Some(slash) => &base[..prefix_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database_name;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database_name("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(
            with_database_name("postgres://u@h", "t3"),
            "postgres://u@h/t3"
        );
    }
}
