//! How Billfold sends e-mail: the outbox worker's pace and retries, and the transport.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Secret;

/// The mail outbox and its transport.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mail {
    /// `file` (development: each message written as an `.eml` file) or `smtp`.
    pub transport: MailTransport,
    /// The `file` transport's directory; by default `<data_dir>/outbox`.
    pub outbox_dir: Option<PathBuf>,
    /// The `From` of every message (`Name <address>`); by default the operator's name and
    /// e-mail.
    pub from: Option<String>,
    /// Seconds between two looks at the outbox by `billfold serve`'s worker; 0 turns the worker
    /// off (messages wait in the outbox).
    pub poll_seconds: u64,
    /// Attempts before a message is given up and shown to staff as failed.
    pub max_attempts: u32,
    /// The SMTP server, for the `smtp` transport.
    pub smtp: Smtp,
}

impl Default for Mail {
    fn default() -> Self {
        Self {
            transport: MailTransport::File,
            outbox_dir: None,
            from: None,
            poll_seconds: 5,
            max_attempts: 8,
            smtp: Smtp::default(),
        }
    }
}

/// Where messages go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// `.eml` files in a directory, one per message, named by the message's id.
    File,
    /// An SMTP server.
    Smtp,
}

/// An SMTP server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Smtp {
    /// Host name (also the name its certificate must carry).
    pub host: String,
    /// Port; by default 587 for `starttls`, 465 for `tls`, 25 for `none`.
    pub port: Option<u16>,
    /// `starttls` (upgrade a plain connection, required), `tls` (TLS from the first byte), or
    /// `none` (plain text: a relay on the same machine only).
    pub security: SmtpSecurity,
    /// User name, when the server asks for credentials.
    pub username: Option<String>,
    /// Password for `username`.
    pub password: Option<Secret>,
    /// Seconds to wait for the server at each step before the attempt fails.
    pub timeout_seconds: u64,
}

impl Default for Smtp {
    fn default() -> Self {
        Self {
            host: "localhost".into(),
            port: None,
            security: SmtpSecurity::Starttls,
            username: None,
            password: None,
            timeout_seconds: 30,
        }
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// A plain connection upgraded with `STARTTLS`, which the server must offer.
    Starttls,
    /// TLS from the first byte ("SMTPS").
    Tls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

impl Smtp {
    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }
}
