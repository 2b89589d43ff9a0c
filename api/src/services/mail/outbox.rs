//! Queuing messages: rows written in the caller's transaction, so a message exists exactly when
//! what caused it was committed. The unique `dedupe_key` makes queuing idempotent: one message
//! per cause, document and recipient, however often the cause's code runs.

use chrono::{DateTime, Utc};
use entity::customer;
use entity::outbox_message::{self, MessageKind, MessageStatus};
use ids::{CreditNoteId, InvoiceId, OutboxMessageId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::error::ServiceResult;

/// Rows per multi-row insert (a billing run queues one message per invoice of its batch).
const ROWS_PER_INSERT: usize = 500;

/// A message to queue.
#[derive(Clone, Debug)]
pub struct NewMessage {
    customer: ids::CustomerId,
    kind: MessageKind,
    document: Uuid,
    recipient: String,
    dedupe_key: String,
    secret: Option<String>,
}

/// Everyone `customer`'s invoices and credit notes are e-mailed to: its invoice address, then
/// `contacts` (its contacts who receive invoices), each address once whatever its case; nobody
/// when the customer receives no invoices by e-mail.
pub fn recipients(customer: &customer::Model, contacts: &[String]) -> Vec<String> {
    let Some(address) = customer.invoice_recipient() else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    std::iter::once(address)
        .chain(contacts.iter().map(String::as_str))
        .filter(|a| seen.insert(a.to_lowercase()))
        .map(str::to_owned)
        .collect()
}

impl NewMessage {
    /// Finalised invoice `invoice` of `customer` to `recipient` (one of [`recipients`]).
    pub fn invoice(customer: &customer::Model, invoice: InvoiceId, recipient: &str) -> Self {
        Self {
            customer: customer.id,
            kind: MessageKind::Invoice,
            document: invoice.uuid(),
            dedupe_key: format!("invoice:{invoice}:{}", recipient.to_lowercase()),
            recipient: recipient.to_owned(),
            secret: None,
        }
    }

    /// Issued credit note `note` of `customer` to `recipient` (one of [`recipients`]).
    pub fn credit_note(customer: &customer::Model, note: CreditNoteId, recipient: &str) -> Self {
        Self {
            customer: customer.id,
            kind: MessageKind::CreditNote,
            document: note.uuid(),
            dedupe_key: format!("credit_note:{note}:{}", recipient.to_lowercase()),
            recipient: recipient.to_owned(),
            secret: None,
        }
    }

    /// A copy of invoice `invoice` someone asked for, to `recipient`. Each request is its own
    /// message (`request` makes its key unique).
    pub fn invoice_copy(
        customer: ids::CustomerId,
        invoice: InvoiceId,
        recipient: &str,
        request: OutboxMessageId,
    ) -> Self {
        Self {
            customer,
            kind: MessageKind::InvoiceCopy,
            document: invoice.uuid(),
            dedupe_key: format!(
                "invoice_copy:{invoice}:{}:{request}",
                recipient.to_lowercase()
            ),
            recipient: recipient.to_owned(),
            secret: None,
        }
    }

    /// Invitation `invitation` of `customer` to `recipient`, with its `token`: kept in the
    /// row only until the message is sent (the invitation keeps its hash only).
    pub fn invitation(
        customer: ids::CustomerId,
        invitation: ids::InvitationId,
        recipient: &str,
        token: &str,
    ) -> Self {
        Self {
            customer,
            kind: MessageKind::Invitation,
            document: invitation.uuid(),
            dedupe_key: format!("invitation:{invitation}"),
            recipient: recipient.to_owned(),
            secret: Some(token.to_owned()),
        }
    }
}

impl NewMessage {
    /// The receipt of payment `payment` of `customer` to `recipient`: one per payment and
    /// recipient.
    pub fn payment_receipt(
        customer: ids::CustomerId,
        payment: ids::PaymentId,
        recipient: &str,
    ) -> Self {
        Self {
            customer,
            kind: MessageKind::PaymentReceipt,
            document: payment.uuid(),
            dedupe_key: format!("payment_receipt:{payment}:{}", recipient.to_lowercase()),
            recipient: recipient.to_owned(),
            secret: None,
        }
    }

    /// The notice that automatic attempt `attempt` of `customer` failed, to `recipient`: one per
    /// attempt and recipient.
    pub fn payment_failed(
        customer: ids::CustomerId,
        attempt: ids::PaymentAttemptId,
        recipient: &str,
    ) -> Self {
        Self {
            customer,
            kind: MessageKind::PaymentFailed,
            document: attempt.uuid(),
            dedupe_key: format!("payment_failed:{attempt}:{}", recipient.to_lowercase()),
            recipient: recipient.to_owned(),
            secret: None,
        }
    }
}

/// Queues `messages` in `txn`, due at `now`; a message already queued for the same cause is
/// left as it is.
pub async fn enqueue<C: ConnectionTrait>(
    txn: &C,
    messages: Vec<NewMessage>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    for chunk in messages.chunks(ROWS_PER_INSERT) {
        let rows = chunk.iter().map(|m| outbox_message::ActiveModel {
            id: Set(OutboxMessageId::new()),
            customer_id: Set(m.customer),
            kind: Set(m.kind),
            document_id: Set(m.document),
            recipient: Set(m.recipient.clone()),
            dedupe_key: Set(m.dedupe_key.clone()),
            status: Set(MessageStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claim_token: Set(None),
            claimed_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
            secret: Set(m.secret.clone()),
        });
        outbox_message::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(outbox_message::Column::DedupeKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
