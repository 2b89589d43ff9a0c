//! GraphQL types of e-mail: a message of the outbox as customers and staff see it.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::outbox_message::{self, MessageKind, MessageStatus};

use crate::graphql::context::ContextExt;

/// What an e-mail carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum EmailKind {
    /// A finalised invoice, sent when it was issued.
    Invoice,
    /// A copy of an invoice someone asked for.
    InvoiceCopy,
    /// An issued credit note.
    CreditNote,
    /// An invitation to join an organisation.
    Invitation,
    /// A receipt for a payment.
    PaymentReceipt,
    /// A notice that an automatic payment failed.
    PaymentFailed,
}

/// Where an e-mail is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum EmailStatus {
    /// Waiting to be sent, or to be tried again after a failure.
    Pending,
    /// Accepted by the mail server.
    Sent,
    /// Given up: refused for good, or every attempt failed.
    Failed,
}

impl From<MessageStatus> for EmailStatus {
    fn from(status: MessageStatus) -> Self {
        match status {
            MessageStatus::Pending => EmailStatus::Pending,
            MessageStatus::Sent => EmailStatus::Sent,
            MessageStatus::Failed => EmailStatus::Failed,
        }
    }
}

impl From<EmailStatus> for MessageStatus {
    fn from(status: EmailStatus) -> Self {
        match status {
            EmailStatus::Pending => MessageStatus::Pending,
            EmailStatus::Sent => MessageStatus::Sent,
            EmailStatus::Failed => MessageStatus::Failed,
        }
    }
}

/// One e-mail to one recipient.
pub struct Email(pub outbox_message::Model);

#[Object]
impl Email {
    /// Opaque id (`msg_…`), also the message's `Message-ID`.
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// What it carries.
    async fn kind(&self) -> EmailKind {
        match self.0.kind {
            MessageKind::Invoice => EmailKind::Invoice,
            MessageKind::InvoiceCopy => EmailKind::InvoiceCopy,
            MessageKind::CreditNote => EmailKind::CreditNote,
            MessageKind::Invitation => EmailKind::Invitation,
            MessageKind::PaymentReceipt => EmailKind::PaymentReceipt,
            MessageKind::PaymentFailed => EmailKind::PaymentFailed,
        }
    }
    /// The customer it is about (`cus_…`).
    async fn customer_id(&self) -> ID {
        self.0.customer_id.into()
    }
    /// The invoice (`inv_…`), credit note (`cn_…`), invitation (`ivt_…`), payment (`pay_…`,
    /// a receipt) or payment attempt (`patt_…`, a failed payment) it carries.
    async fn document_id(&self) -> ID {
        match self.0.kind {
            MessageKind::Invoice | MessageKind::InvoiceCopy => {
                ids::InvoiceId::from(self.0.document_id).into()
            }
            MessageKind::CreditNote => ids::CreditNoteId::from(self.0.document_id).into(),
            MessageKind::Invitation => ids::InvitationId::from(self.0.document_id).into(),
            MessageKind::PaymentReceipt => ids::PaymentId::from(self.0.document_id).into(),
            MessageKind::PaymentFailed => ids::PaymentAttemptId::from(self.0.document_id).into(),
        }
    }
    /// The address it goes to.
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }
    /// Where it is.
    async fn status(&self) -> EmailStatus {
        self.0.status.into()
    }
    /// Sending attempts so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// When it was queued.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the mail server accepted it.
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
    /// When it will be tried again, while pending.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == MessageStatus::Pending).then_some(self.0.next_attempt_at)
    }
    /// Why the last attempt failed: operator staff only (it names the mail servers); null
    /// for customers.
    async fn last_error(&self, ctx: &Context<'_>) -> Option<&str> {
        let staff = ctx
            .actor()
            .authenticated()
            .is_ok_and(|user| user.require_staff_reader().is_ok());
        staff.then_some(self.0.last_error.as_deref()).flatten()
    }
}
