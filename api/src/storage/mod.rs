//! Where documents are kept: `object_store` over a local directory (the default, under
//! `data/`) or an S3-compatible bucket. Keys name their content (they contain its SHA-256), so
//! an object, once written, is never overwritten with different bytes: a document downloaded a
//! year later is the one first stored.

use std::sync::Arc;

use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use sha2::{Digest, Sha256};

use crate::BoxError;
use crate::config::{Config, StorageBackend};

/// The document store, cheap to clone.
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

/// A storage operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Nothing is stored under the key.
    #[error("no document stored under {0}")]
    Missing(String),
    /// The stored bytes are not the ones recorded (their hash differs): never served.
    #[error("the document stored under {key} does not match its recorded hash")]
    Tampered {
        /// The key read.
        key: String,
    },
    /// The store could not be reached or refused the operation.
    #[error("document storage: {0}")]
    Store(#[from] object_store::Error),
}

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Storage {
    /// The store the configuration names; the local directory is created when missing.
    pub fn from_config(config: &Config) -> Result<Self, BoxError> {
        let store: Arc<dyn ObjectStore> = match config.storage.backend {
            StorageBackend::Local => {
                let dir = config.documents_dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Arc::new(LocalFileSystem::new_with_prefix(&dir)?)
            }
            StorageBackend::S3 => {
                let s3 = &config.storage.s3;
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_allow_http(s3.allow_http);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                if let Some(key) = &s3.access_key_id {
                    builder = builder.with_access_key_id(key.expose());
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret.expose());
                }
                Arc::new(builder.build()?)
            }
        };
        Ok(Self { store })
    }

    /// Stores `bytes` under `key` unless an object is already there. Keys contain their
    /// content's hash, so an object already there holds these very bytes (written by an
    /// earlier attempt or another instance): it is left as it is.
    pub async fn put_new(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        let options = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        match self
            .store
            .put_opts(&Path::from(key), PutPayload::from(bytes), options)
            .await
        {
            Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// The bytes stored under `key`, checked against the SHA-256 recorded for them.
    pub async fn get_verified(&self, key: &str, sha256: &str) -> Result<Vec<u8>, StorageError> {
        let result = match self.store.get(&Path::from(key)).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => {
                return Err(StorageError::Missing(key.to_owned()));
            }
            Err(error) => return Err(error.into()),
        };
        let bytes = result.bytes().await?.to_vec();
        if sha256_hex(&bytes) != sha256 {
            return Err(StorageError::Tampered {
                key: key.to_owned(),
            });
        }
        Ok(bytes)
    }
}
