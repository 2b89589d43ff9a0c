//! Where a composed message goes: `.eml` files in a directory (development) or an SMTP server.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::BoxError;
use crate::config::{Mail, MailTransport, SmtpSecurity};

/// A failed attempt to hand a message over.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// The server refused the message for good (a 5xx answer): retrying cannot help.
    pub permanent: bool,
    /// What went wrong, for staff (no credentials in it).
    pub message: String,
}

impl SendError {
    fn temporary(message: impl Into<String>) -> Self {
        Self {
            permanent: false,
            message: message.into(),
        }
    }
}

/// The configured transport.
#[derive(Clone)]
pub enum Mailer {
    /// Each message written to `<dir>/<message id>.eml`. A message written twice (a crash
    /// between writing and recording it) is the same file, written again.
    Files(PathBuf),
    /// An SMTP server, through a connection pool.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Files(dir) => write!(f, "Mailer::Files({})", dir.display()),
            // The transport holds the credentials: never printed.
            Mailer::Smtp(_) => f.write_str("Mailer::Smtp"),
        }
    }
}

impl Mailer {
    /// The transport the configuration names; `outbox_dir` is the `file` transport's directory.
    pub fn from_config(mail: &Mail, outbox_dir: PathBuf) -> Result<Self, BoxError> {
        match mail.transport {
            MailTransport::File => Ok(Mailer::Files(outbox_dir)),
            MailTransport::Smtp => {
                let smtp = &mail.smtp;
                let tls = || TlsParameters::new(smtp.host.clone());
                let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    .port(smtp.port())
                    .timeout(Some(Duration::from_secs(smtp.timeout_seconds)));
                let builder = match smtp.security {
                    SmtpSecurity::Starttls => builder.tls(Tls::Required(tls()?)),
                    SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls()?)),
                    SmtpSecurity::None => builder.tls(Tls::None),
                };
                let builder = match (&smtp.username, &smtp.password) {
                    (Some(user), Some(password)) => builder
                        .credentials(Credentials::new(user.clone(), password.expose().to_owned())),
                    _ => builder,
                };
                Ok(Mailer::Smtp(builder.build()))
            }
        }
    }

    /// Where development mail goes, for the start-up banner.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Files(dir) => format!("e-mail written as .eml files to {}", dir.display()),
            Mailer::Smtp(_) => "e-mail sent through SMTP".to_owned(),
        }
    }

    /// Hands `message` over; `file_name` names its file for the `file` transport.
    pub async fn send(&self, file_name: &str, message: &Message) -> Result<(), SendError> {
        match self {
            Mailer::Files(dir) => {
                let bytes = message.formatted();
                let path = dir.join(format!("{file_name}.eml"));
                let partial = dir.join(format!(".{file_name}.eml.partial"));
                // Written aside, then renamed: a reader never sees half a message.
                async {
                    tokio::fs::create_dir_all(dir).await?;
                    tokio::fs::write(&partial, bytes).await?;
                    tokio::fs::rename(&partial, &path).await
                }
                .await
                .map_err(|e| SendError::temporary(format!("writing {}: {e}", path.display())))
            }
            Mailer::Smtp(transport) => match transport.send(message.clone()).await {
                Ok(_) => Ok(()),
                Err(error) => Err(SendError {
                    permanent: error.is_permanent(),
                    message: error.to_string(),
                }),
            },
        }
    }
}
