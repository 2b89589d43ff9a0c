//! The e-mails Billfold sends, composed from stored rows: a text part and an HTML part saying
//! the same, and the document's PDF attached (invitations have no attachment, only a link).

use askama::Template;
use billing::Money;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};

use crate::error::{ServiceError, ServiceResult};
use crate::services::documents::Pdf;
use crate::services::documents::content::date_text;

/// Who a message comes from and where replies go: the operator.
#[derive(Clone, Debug)]
pub struct Sender {
    /// `From`.
    pub from: Mailbox,
    /// `Reply-To`: the operator's billing address.
    pub reply_to: Mailbox,
    /// The operator's name, signing the message.
    pub name: String,
    /// Where the portal is, for the link to the document.
    pub portal_url: String,
}

/// What a message says, whatever carries it.
struct Body {
    subject: String,
    greeting: String,
    intro: String,
    facts: Vec<(String, String)>,
    instructions: Option<String>,
    link: String,
}

#[derive(Template)]
#[template(path = "mail/invoice.txt")]
struct TextPart<'a> {
    greeting: &'a str,
    intro: &'a str,
    facts: &'a [(String, String)],
    instructions: Option<&'a str>,
    link: &'a str,
    sender: &'a str,
    reply_to: &'a str,
}

#[derive(Template)]
#[template(path = "mail/invoice.html")]
struct HtmlPart<'a> {
    subject: &'a str,
    greeting: &'a str,
    intro: &'a str,
    facts: &'a [(String, String)],
    instructions: Option<&'a str>,
    link: &'a str,
    sender: &'a str,
    reply_to: &'a str,
}

#[derive(Template)]
#[template(path = "mail/payment.txt")]
struct PaymentText<'a> {
    greeting: &'a str,
    intro: &'a str,
    facts: &'a [(String, String)],
    instructions: Option<&'a str>,
    link: &'a str,
    sender: &'a str,
    reply_to: &'a str,
}

#[derive(Template)]
#[template(path = "mail/payment.html")]
struct PaymentHtml<'a> {
    subject: &'a str,
    greeting: &'a str,
    intro: &'a str,
    facts: &'a [(String, String)],
    instructions: Option<&'a str>,
    link: &'a str,
    sender: &'a str,
    reply_to: &'a str,
}

/// What a payment e-mail is about.
pub enum PaymentNotice<'a> {
    /// Money received: a receipt.
    Receipt {
        /// The payment.
        payment: &'a entity::payment::Model,
    },
    /// An automatic charge failed.
    Failed {
        /// The attempt.
        attempt: &'a entity::payment_attempt::Model,
        /// When the next automatic attempt is due, if one is.
        next_attempt: Option<chrono::DateTime<chrono::Utc>>,
    },
}

/// A receipt or a failed-payment notice about `invoice` to `recipient`: text and HTML, no
/// attachment, never more of a card or an account than the label we keep (brand, last four).
pub fn payment_message(
    sender: &Sender,
    message_id: &str,
    recipient: &str,
    invoice: &entity::invoice::Model,
    notice: &PaymentNotice<'_>,
) -> ServiceResult<Message> {
    let number = invoice.number.clone().unwrap_or_default();
    let (subject, intro, facts, instructions) = match notice {
        PaymentNotice::Receipt { payment } => {
            let currency = crate::services::catalog::rows::currency(&payment.currency)?;
            let money = |minor: i64| Money::from_minor(minor, currency).to_string();
            let mut facts = vec![
                ("Invoice".to_owned(), number.clone()),
                ("Amount paid".to_owned(), money(payment.amount_minor)),
                ("Paid with".to_owned(), payment.method_text.clone()),
                (
                    "Date".to_owned(),
                    date_text(payment.created_at.date_naive()),
                ),
            ];
            if let Some(reference) = &payment.reference {
                facts.push(("Reference".to_owned(), reference.clone()));
            }
            (
                format!("Receipt for invoice {number} from {}", sender.name),
                format!("Thank you: we received your payment for invoice {number}."),
                facts,
                None,
            )
        }
        PaymentNotice::Failed {
            attempt,
            next_attempt,
        } => {
            let currency = crate::services::catalog::rows::currency(&attempt.currency)?;
            let money = |minor: i64| Money::from_minor(minor, currency).to_string();
            let reason = attempt
                .failure_message
                .clone()
                .unwrap_or_else(|| "The payment was refused.".to_owned());
            let facts = vec![
                ("Invoice".to_owned(), number.clone()),
                ("Amount".to_owned(), money(attempt.amount_minor)),
                ("Payment method".to_owned(), attempt.method_label.clone()),
                ("Reason".to_owned(), reason),
            ];
            let next = match next_attempt {
                Some(at) => format!(
                    "We will try again on {}. To avoid that, pay the invoice now in your \
                     billing portal, or update your payment method.",
                    date_text(at.date_naive())
                ),
                None => "Please pay the invoice in your billing portal, or update your \
                         payment method."
                    .to_owned(),
            };
            (
                format!("Payment failed for invoice {number} from {}", sender.name),
                format!("We could not collect the payment for invoice {number}."),
                facts,
                Some(next),
            )
        }
    };
    let greeting = greeting(&invoice.billing_snapshot);
    let link = format!("{}/invoice?id={}", sender.portal_url, invoice.id);
    let reply_to = sender.reply_to.email.to_string();
    let text = PaymentText {
        greeting: &greeting,
        intro: &intro,
        facts: &facts,
        instructions: instructions.as_deref(),
        link: &link,
        sender: &sender.name,
        reply_to: &reply_to,
    }
    .render()
    .map_err(ServiceError::internal)?;
    let html = PaymentHtml {
        subject: &subject,
        greeting: &greeting,
        intro: &intro,
        facts: &facts,
        instructions: instructions.as_deref(),
        link: &link,
        sender: &sender.name,
        reply_to: &reply_to,
    }
    .render()
    .map_err(ServiceError::internal)?;
    envelope(sender, message_id, recipient, &subject, text, html, None)
}

#[derive(Template)]
#[template(path = "mail/invitation.txt")]
struct InvitationText<'a> {
    intro: &'a str,
    facts: &'a [(String, String)],
    link: &'a str,
    sender: &'a str,
    reply_to: &'a str,
}

#[derive(Template)]
#[template(path = "mail/invitation.html")]
struct InvitationHtml<'a> {
    subject: &'a str,
    intro: &'a str,
    facts: &'a [(String, String)],
    link: &'a str,
    sender: &'a str,
    reply_to: &'a str,
}

/// The message inviting `recipient` to join `organisation` as `role` (for people: "billing
/// admin"), with the link to the portal's accept page carrying `token`. No attachment.
pub fn invitation_message(
    sender: &Sender,
    message_id: &str,
    recipient: &str,
    organisation: &str,
    role: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
    token: &str,
) -> ServiceResult<Message> {
    let subject = format!("You are invited to {organisation}'s billing portal");
    let intro = format!(
        "You are invited to join {organisation} on {}'s billing portal as {role}.",
        sender.name
    );
    let facts = vec![
        ("Organisation".to_owned(), organisation.to_owned()),
        ("Role".to_owned(), role.to_owned()),
        (
            "Valid until".to_owned(),
            expires_at.format("%-d %B %Y, %H:%M UTC").to_string(),
        ),
    ];
    let link = format!("{}/invitation?token={token}", sender.portal_url);
    let reply_to = sender.reply_to.email.to_string();
    let text = InvitationText {
        intro: &intro,
        facts: &facts,
        link: &link,
        sender: &sender.name,
        reply_to: &reply_to,
    }
    .render()
    .map_err(ServiceError::internal)?;
    let html = InvitationHtml {
        subject: &subject,
        intro: &intro,
        facts: &facts,
        link: &link,
        sender: &sender.name,
        reply_to: &reply_to,
    }
    .render()
    .map_err(ServiceError::internal)?;
    envelope(sender, message_id, recipient, &subject, text, html, None)
}

/// The customer's name as the document snapshotted it.
fn greeting(snapshot: &serde_json::Value) -> String {
    snapshot
        .get("name")
        .and_then(serde_json::Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("there")
        .to_owned()
}

/// The message carrying invoice `row` (its PDF attached) to `recipient`.
pub fn invoice_message(
    sender: &Sender,
    message_id: &str,
    recipient: &str,
    row: &entity::invoice::Model,
    pdf: &Pdf,
    payment_instructions: Option<&str>,
) -> ServiceResult<Message> {
    let currency = crate::services::catalog::rows::currency(&row.currency)?;
    let money = |minor: i64| Money::from_minor(minor, currency).to_string();
    let number = row.number.clone().unwrap_or_default();
    let mut facts = vec![
        ("Invoice".to_owned(), number.clone()),
        ("Issued".to_owned(), date_text(row.issue_date)),
        ("Total".to_owned(), money(row.total_minor)),
    ];
    if row.credits_applied_minor != 0 {
        facts.push((
            "Credits applied".to_owned(),
            money(-row.credits_applied_minor),
        ));
    }
    // What is still owed when the e-mail goes out (a payment may have arrived since).
    let still_owed = match row.status {
        entity::invoice::InvoiceStatus::Open => crate::services::invoices::owed::owed_minor(row)?,
        _ => 0,
    };
    if still_owed > 0 {
        facts.push(("Amount due".to_owned(), money(still_owed)));
        facts.push(("Due by".to_owned(), date_text(row.due_date)));
    } else {
        facts.push(("Amount due".to_owned(), money(0)));
    }
    if let Some(po) = &row.po_number {
        facts.push(("PO number".to_owned(), po.clone()));
    }
    let body = Body {
        subject: format!("Invoice {number} from {}", sender.name),
        greeting: greeting(&row.billing_snapshot),
        intro: format!(
            "Please find attached invoice {number} from {}.",
            sender.name
        ),
        facts,
        instructions: (still_owed > 0)
            .then(|| payment_instructions.map(str::to_owned))
            .flatten(),
        link: format!("{}/invoice?id={}", sender.portal_url, row.id),
    };
    compose(sender, message_id, recipient, &body, pdf)
}

/// The message carrying credit note `note` (its PDF attached) to `recipient`.
pub fn credit_note_message(
    sender: &Sender,
    message_id: &str,
    recipient: &str,
    note: &entity::credit_note::Model,
    invoice: &entity::invoice::Model,
    pdf: &Pdf,
) -> ServiceResult<Message> {
    let currency = crate::services::catalog::rows::currency(&note.currency)?;
    let money = |minor: i64| Money::from_minor(minor, currency).to_string();
    let invoice_number = invoice.number.clone().unwrap_or_default();
    let mut facts = vec![
        ("Credit note".to_owned(), note.number.clone()),
        ("Issued".to_owned(), date_text(note.issue_date)),
        ("For invoice".to_owned(), invoice_number.clone()),
        ("Total credited".to_owned(), money(note.total_minor)),
    ];
    if note.applied_to_invoice_minor != 0 {
        facts.push((
            "Taken off the invoice".to_owned(),
            money(note.applied_to_invoice_minor),
        ));
    }
    if note.credited_to_balance_minor != 0 {
        facts.push((
            "Added to your credit balance".to_owned(),
            money(note.credited_to_balance_minor),
        ));
    }
    let body = Body {
        subject: format!(
            "Credit note {} for invoice {invoice_number} from {}",
            note.number, sender.name
        ),
        greeting: greeting(&invoice.billing_snapshot),
        intro: format!(
            "Please find attached credit note {} correcting invoice {invoice_number}. Reason: {}",
            note.number, note.reason
        ),
        facts,
        instructions: None,
        link: format!("{}/invoice?id={}", sender.portal_url, invoice.id),
    };
    compose(sender, message_id, recipient, &body, pdf)
}

fn compose(
    sender: &Sender,
    message_id: &str,
    recipient: &str,
    body: &Body,
    pdf: &Pdf,
) -> ServiceResult<Message> {
    let reply_to = sender.reply_to.email.to_string();
    let text = TextPart {
        greeting: &body.greeting,
        intro: &body.intro,
        facts: &body.facts,
        instructions: body.instructions.as_deref(),
        link: &body.link,
        sender: &sender.name,
        reply_to: &reply_to,
    }
    .render()
    .map_err(ServiceError::internal)?;
    let html = HtmlPart {
        subject: &body.subject,
        greeting: &body.greeting,
        intro: &body.intro,
        facts: &body.facts,
        instructions: body.instructions.as_deref(),
        link: &body.link,
        sender: &sender.name,
        reply_to: &reply_to,
    }
    .render()
    .map_err(ServiceError::internal)?;
    envelope(
        sender,
        message_id,
        recipient,
        &body.subject,
        text,
        html,
        Some(pdf),
    )
}

/// The one place a message is addressed: our message id, the sender and its reply-to, the
/// recipient, the subject, the text and HTML parts as alternatives, and the PDF when there is
/// one.
fn envelope(
    sender: &Sender,
    message_id: &str,
    recipient: &str,
    subject: &str,
    text: String,
    html: String,
    pdf: Option<&Pdf>,
) -> ServiceResult<Message> {
    let to: Mailbox = recipient
        .parse()
        .map_err(|e| ServiceError::internal(format!("outbox recipient {recipient:?}: {e}")))?;
    let builder = Message::builder()
        .message_id(Some(format!("<{message_id}@billfold>")))
        .from(sender.from.clone())
        .reply_to(sender.reply_to.clone())
        .to(to)
        .subject(subject);
    let body = MultiPart::alternative_plain_html(text, html);
    match pdf {
        None => builder.multipart(body),
        Some(pdf) => {
            let pdf_type = ContentType::parse("application/pdf").map_err(ServiceError::internal)?;
            builder.multipart(MultiPart::mixed().multipart(body).singlepart(
                Attachment::new(pdf.filename.clone()).body(pdf.bytes.clone(), pdf_type),
            ))
        }
    }
    .map_err(ServiceError::internal)
}
