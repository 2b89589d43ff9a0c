//! Reading what the development mail transport wrote: the `.eml` files of a test server's
//! outbox directory, sent by running the outbox worker once.

use mail_parser::MessageParser;

use crate::TestApp;

/// One e-mail as written to the outbox directory.
#[derive(Clone, Debug)]
pub struct Mail {
    /// `To`.
    pub to: String,
    /// `Subject`.
    pub subject: String,
    /// The text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// Sends what the outbox holds now, then reads every e-mail written so far, oldest first.
pub async fn delivered(app: &TestApp) -> Vec<Mail> {
    app.app
        .services
        .mail
        .deliver_due()
        .await
        .expect("the outbox is delivered");
    let dir = app.data_dir().join("outbox");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    // Named `msg_<UUIDv7>.eml`: by name is the order they were queued in.
    let mut paths: Vec<_> = entries.map(|e| e.expect("entry").path()).collect();
    paths.sort();
    let mut mails = Vec::new();
    for path in paths {
        let bytes = std::fs::read(path).expect("read an .eml file");
        let message = MessageParser::default()
            .parse(&bytes)
            .expect("a MIME message");
        let to = message
            .to()
            .and_then(|to| to.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned();
        mails.push(Mail {
            to,
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message
                .body_text(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            html: message
                .body_html(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
        });
    }
    mails
}

/// The link of the latest invitation e-mailed to `email` (sending the outbox first), as the
/// invitee would click it: `<public_url>/invitation?token=…`.
pub async fn invitation_link(app: &TestApp, email: &str) -> String {
    let mails = delivered(app).await;
    let links: Vec<String> = mails
        .iter()
        .filter(|m| m.to.eq_ignore_ascii_case(email) && m.subject.contains("invited"))
        .filter_map(|m| {
            m.text
                .lines()
                .find(|l| l.contains("/invitation?token="))
                .map(|l| l.trim().to_owned())
        })
        .collect();
    links
        .last()
        .cloned()
        .unwrap_or_else(|| panic!("no invitation e-mailed to {email} among {mails:?}"))
}

/// The token of an invitation link.
pub fn token_of(link: &str) -> String {
    link.split_once("token=")
        .map(|(_, token)| token.to_owned())
        .unwrap_or_else(|| panic!("no token in {link}"))
}
