//! The same uploads and downloads with the documents kept in an S3-compatible bucket (a local
//! `moto_server`, started per test; the tests fail, never pass, without one). Every check of
//! [`super::uploads`] runs again, plus one that reads the bucket directly.

use tests::s3::S3Server;
use tests::{Backend, TestApp};

use super::{sha256, uploads};

/// A server with demo data on `backend`, its documents in `s3`'s bucket.
async fn spawn(backend: &Backend, s3: &S3Server) -> TestApp {
    TestApp::spawn_with(backend, |config| s3.configure(config)).await
}

/// Every vault check against S3 on `backend`.
async fn the_vault_on_s3(backend: Backend) {
    let s3 = S3Server::start();
    let app = spawn(&backend, &s3).await;
    let (id, bytes) = uploads::round_trip(&app).await;
    let acme = app.customer_id("Acme Telecom").await;
    // In the bucket under our key, the very bytes sent.
    let key = format!("vault/{acme}/{id}-{}", sha256(&bytes));
    let config = &app.app.config;
    let stored = s3.object(config, &key, &sha256(&bytes)).await;
    assert_eq!(stored.as_deref(), Some(bytes.as_slice()));
    assert!(s3.object(config, &format!("{key}-not"), "").await.is_none());
    for document in uploads::hostile_names(&app).await {
        let sha = document["sha256"].as_str().expect("sha256");
        let key = format!(
            "vault/{acme}/{}-{sha}",
            document["id"].as_str().expect("id")
        );
        assert!(
            s3.object(config, &key, sha).await.is_some(),
            "{key} in the bucket"
        );
    }
    let app = spawn(&backend, &s3).await;
    uploads::the_size_limit(&app).await;
    let app = spawn(&backend, &s3).await;
    uploads::types_by_content(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vault_on_s3_with_sqlite() {
    the_vault_on_s3(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vault_on_s3_with_postgres() {
    the_vault_on_s3(Backend::postgres()).await;
}
