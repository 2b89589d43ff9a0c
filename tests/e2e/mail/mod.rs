//! E-mail: every finalised invoice and issued credit note is queued in the outbox in the same
//! transaction, and sent by a worker to a real SMTP server (started by the test) exactly once,
//! across restarts and instances, with retries; customers choose where invoices go and ask for
//! copies, in the API and in the portal.

mod delivery;
mod outbox;
mod portal;

use api::config::{MailTransport, SmtpSecurity};
use mail_parser::{MessageParser, MimeHeaders};
use tests::smtp::{Received, SmtpSink};
use tests::{Backend, TestApp};

/// A server whose mail goes to `sink` over plain SMTP.
pub async fn app_with_smtp(backend: &Backend, sink: &SmtpSink) -> TestApp {
    let port = sink.port();
    TestApp::spawn_with(backend, move |config| {
        config.mail.transport = MailTransport::Smtp;
        config.mail.smtp.host = "127.0.0.1".into();
        config.mail.smtp.port = Some(port);
        config.mail.smtp.security = SmtpSecurity::None;
        config.mail.smtp.timeout_seconds = 10;
    })
    .await
}

/// Declares a test, on SQLite and on PostgreSQL, of a server that sends to a fresh SMTP sink.
#[macro_export]
macro_rules! mail_test {
    ($name:ident, |$app:ident, $sink:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $sink = tests::smtp::SmtpSink::start().await;
                let $app = $crate::mail::app_with_smtp(&tests::Backend::Sqlite, &$sink).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let $sink = tests::smtp::SmtpSink::start().await;
                let backend = tests::Backend::postgres();
                let $app = $crate::mail::app_with_smtp(&backend, &$sink).await;
                $body
            }
        }
    };
}

/// A received message, parsed.
pub struct Parsed {
    /// `Subject`.
    pub subject: String,
    /// `Message-ID`, without angle brackets.
    pub message_id: String,
    /// The text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// Attachments: (file name, content type, bytes).
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

/// Parses what the sink received.
pub fn parse(received: &Received) -> Parsed {
    let message = MessageParser::default()
        .parse(&received.data)
        .expect("a MIME message");
    Parsed {
        subject: message.subject().unwrap_or_default().to_owned(),
        message_id: message.message_id().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html: message
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        attachments: message
            .attachments()
            .map(|a| {
                let content_type = a
                    .content_type()
                    .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or_default()))
                    .unwrap_or_default();
                (
                    a.attachment_name().unwrap_or_default().to_owned(),
                    content_type,
                    a.contents().to_vec(),
                )
            })
            .collect(),
    }
}
