//! A local S3-compatible server for the storage tests: PyPI's `moto[server]` (`moto_server`),
//! started on a free port for one test and stopped when the test lets go of it. A machine
//! without it fails the test and says what to install (`.ci/run` installs it): an S3 test never
//! passes without an S3 server.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use api::config::{Config, Secret, StorageBackend};

/// A running `moto_server` and the bucket made for the test.
pub struct S3Server {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// A bucket that exists on it.
    pub bucket: String,
}

impl S3Server {
    /// Starts `moto_server` on a free port and creates a bucket; panics, saying what to
    /// install, when it cannot.
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start moto_server ({e}): the S3 tests need a local S3 server; \
                     install it with `pip install 'moto[server]'`"
                )
            });
        let server = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: format!("billfold-test-{}", uuid::Uuid::now_v7().simple()),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(status) = server.request(&format!("PUT /{} HTTP/1.1", server.bucket)) {
                assert!(
                    status.starts_with("HTTP/1.1 200") || status.starts_with("HTTP/1.0 200"),
                    "moto_server refused to create the bucket: {status}"
                );
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not answer on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends one body-less request line to the server; the status line it answers.
    fn request(&self, line: &str) -> std::io::Result<String> {
        let address = self.endpoint.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(
            stream,
            "{line}\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok(answer.lines().next().unwrap_or_default().to_owned())
    }

    /// Points `config`'s storage at this server's bucket.
    pub fn configure(&self, config: &mut Config) {
        config.storage.backend = StorageBackend::S3;
        config.storage.s3.bucket = self.bucket.clone();
        config.storage.s3.region = "us-east-1".into();
        config.storage.s3.endpoint = Some(self.endpoint.clone());
        config.storage.s3.access_key_id = Some(Secret::new("testing"));
        config.storage.s3.secret_access_key = Some(Secret::new("testing"));
        config.storage.s3.allow_http = true;
    }

    /// The object stored under `key` with SHA-256 `sha256`, read from the bucket by a store of
    /// its own (signed requests, as any S3 client; moto refuses anonymous reads), not through
    /// the vault; `None` when there is none.
    pub async fn object(&self, config: &Config, key: &str, sha256: &str) -> Option<Vec<u8>> {
        let store = api::storage::Storage::from_config(config).expect("an S3 store");
        match store.get_verified(key, sha256).await {
            Ok(bytes) => Some(bytes),
            Err(api::storage::StorageError::Missing(_)) => None,
            Err(error) => panic!("reading {key} from the bucket: {error}"),
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
