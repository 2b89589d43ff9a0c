//! `outbox_messages`: the transactional mail outbox. A row is written in the same transaction as
//! what caused it and sent later by a worker that claims it (`api::services::mail`).

use ids::{CustomerId, OutboxMessageId};
use sea_orm::entity::prelude::*;

/// What a message carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum MessageKind {
    /// A finalised invoice, with its PDF; `document_id` is the invoice.
    #[sea_orm(string_value = "invoice")]
    Invoice,
    /// A copy of an invoice someone asked for again; `document_id` is the invoice.
    #[sea_orm(string_value = "invoice_copy")]
    InvoiceCopy,
    /// An issued credit note, with its PDF; `document_id` is the credit note.
    #[sea_orm(string_value = "credit_note")]
    CreditNote,
    /// An invitation to join an organisation; `document_id` is the invitation, `secret` its
    /// token until the message is sent.
    #[sea_orm(string_value = "invitation")]
    Invitation,
    /// A receipt for money received; `document_id` is the payment.
    #[sea_orm(string_value = "payment_receipt")]
    PaymentReceipt,
    /// An automatic charge that failed; `document_id` is the payment attempt.
    #[sea_orm(string_value = "payment_failed")]
    PaymentFailed,
}

/// Where a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MessageStatus {
    /// Waiting to be sent (again) at `next_attempt_at`.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted by the mail server (or written to the outbox directory).
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Given up: refused for good, or every attempt failed (`last_error` says why).
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// One message to one recipient.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_messages")]
pub struct Model {
    /// UUIDv7, exposed as `msg_…`; also the message's `Message-ID`, so that a message sent
    /// twice after a crash is recognisably the same.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: OutboxMessageId,
    /// The customer (tenant) the message is about.
    pub customer_id: CustomerId,
    /// What it carries.
    pub kind: MessageKind,
    /// The invoice, credit note or invitation it carries (see [`MessageKind`]).
    pub document_id: Uuid,
    /// One e-mail address.
    pub recipient: String,
    /// Unique: one message per cause, document and recipient.
    pub dedupe_key: String,
    /// Where it is.
    pub status: MessageStatus,
    /// Sending attempts so far.
    pub attempts: i32,
    /// When it may be claimed (again).
    pub next_attempt_at: DateTimeUtc,
    /// The claim of the worker sending it; only that worker records the outcome.
    pub claim_token: Option<Uuid>,
    /// When the claim lapses (a crashed worker's claim), making the row claimable again.
    pub claimed_until: Option<DateTimeUtc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTimeUtc,
    /// When the mail server accepted it.
    pub sent_at: Option<DateTimeUtc>,
    /// What the e-mail needs and nothing else keeps (an invitation's token), cleared once
    /// the message is sent.
    pub secret: Option<String>,
}

/// Outbox messages have no navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
