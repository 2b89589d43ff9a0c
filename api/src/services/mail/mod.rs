//! E-mail: the transactional outbox (messages written with their cause, see [`outbox`]), the
//! worker that sends them ([`deliver`]), what they say ([`compose`]), where they go
//! ([`transport`]), and what customers and staff do with them: choose where invoices go, ask for
//! a copy, see what was sent, retry what failed.

pub mod compose;
pub mod deliver;
pub mod outbox;
pub mod transport;

use chrono::Utc;
use entity::customer;
use entity::outbox_message::{self, MessageKind, MessageStatus};
use ids::{CustomerId, InvoiceId, OutboxMessageId};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
pub use crate::services::documents::Document;
use crate::services::documents::DocumentsService;
use crate::services::input::Email;
use crate::services::page::{Page, PageRequest};
pub use compose::Sender;
pub use deliver::DeliveryReport;
pub use outbox::NewMessage;
pub use transport::Mailer;

/// The outbox, its worker, and delivery settings.
#[derive(Clone)]
pub struct MailService {
    db: Db,
    mailer: Mailer,
    documents: DocumentsService,
    sender: Sender,
    payment_instructions: Option<String>,
    max_attempts: i32,
    clock: Clock,
}

/// Everything the mail service is wired with.
pub struct MailSettings {
    /// The transport.
    pub mailer: Mailer,
    /// `From`, `Reply-To`, signature, portal link.
    pub sender: Sender,
    /// Printed in invoice e-mails with an amount due.
    pub payment_instructions: Option<String>,
    /// Attempts before a message is given up.
    pub max_attempts: u32,
}

/// Where a customer's invoices go: the address and whether they are e-mailed at all.
#[derive(Clone, Debug)]
pub struct InvoiceDelivery {
    /// The address; `None` sends them to the customer's own e-mail address.
    pub email: Option<Email>,
    /// Whether invoices and credit notes are e-mailed.
    pub enabled: bool,
}

impl MailSettings {
    /// The settings `config` gives: transport, sender (the operator, or `mail.from`).
    pub fn from_config(config: &crate::config::Config) -> Result<Self, crate::BoxError> {
        let operator = &config.operator;
        let reply_to: lettre::message::Mailbox = format!("{} <{}>", operator.name, operator.email)
            .parse()
            .map_err(|e| format!("operator.email: {e}"))?;
        let from = match &config.mail.from {
            Some(from) => from.parse().map_err(|e| format!("mail.from: {e}"))?,
            None => reply_to.clone(),
        };
        Ok(Self {
            mailer: Mailer::from_config(&config.mail, config.outbox_dir())?,
            sender: Sender {
                from,
                reply_to,
                name: operator.name.clone(),
                portal_url: config.public_url(),
            },
            payment_instructions: operator.payment_instructions.clone(),
            max_attempts: config.mail.max_attempts,
        })
    }
}

impl MailService {
    /// Wires the service.
    pub fn new(db: Db, documents: DocumentsService, settings: MailSettings, clock: Clock) -> Self {
        Self {
            db,
            mailer: settings.mailer,
            documents,
            sender: settings.sender,
            payment_instructions: settings.payment_instructions,
            max_attempts: i32::try_from(settings.max_attempts).unwrap_or(i32::MAX),
            clock,
        }
    }

    /// The clock retries and claims are timed by (real time; tests pin and advance it).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The transport, for the start-up banner.
    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// Sets where `customer`'s invoices and credit notes are e-mailed (its owners and billing
    /// admins, or staff); documents finalised from now on go there. `NOT_FOUND` for another
    /// tenant, `FORBIDDEN` for viewers.
    pub async fn set_invoice_delivery(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: CustomerId,
        delivery: InvoiceDelivery,
    ) -> ServiceResult<customer::Model> {
        let user = actor.authenticated()?;
        if !user.scope().allows(id) {
            return Err(ServiceError::NotFound { entity: "customer" });
        }
        user.require_billing_write()?;
        let txn = self.db.begin_tenant_write().await?;
        let before = customer::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "customer" })?;
        let mut after = before.clone();
        after.invoice_email = delivery.email.map(|e| e.to_string());
        after.email_invoices = delivery.enabled;
        after.updated_at = Utc::now();
        let mut row = before.clone().into_active_model();
        row.invoice_email = Set(after.invoice_email.clone());
        row.email_invoices = Set(after.email_invoices);
        row.updated_at = Set(after.updated_at);
        row.update(&txn).await?;
        let settings = |c: &customer::Model| json!({ "invoice_email": c.invoice_email, "email_invoices": c.email_invoices });
        audit::record(
            &txn,
            Some(user),
            request_id,
            AuditEntry {
                customer: Some(id),
                action: "customer.invoice_delivery",
                subject_type: "customer",
                subject_id: id.to_string(),
                before: Some(settings(&before)),
                after: Some(settings(&after)),
            },
        )
        .await?;
        txn.commit(id).await?;
        after.revision = before.revision + 1;
        Ok(after)
    }

    /// Queues a copy of a finalised invoice: a customer user gets it at their own sign-in
    /// address (so the portal cannot be used to mail anyone else), staff send it to the
    /// customer's invoice address. A copy still waiting for the same recipient is answered
    /// again rather than queued twice. `NOT_FOUND` for another tenant's invoice.
    pub async fn send_invoice_copy(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        invoice: InvoiceId,
    ) -> ServiceResult<outbox_message::Model> {
        let user = actor.authenticated()?;
        let scope = user.scope();
        let row = entity::invoice::Entity::find_by_id(invoice)
            .filter(scope.condition(entity::invoice::Column::CustomerId))
            .filter(entity::invoice::Column::Status.ne(entity::invoice::InvoiceStatus::Draft))
            .one(self.db.reads())
            .await?
            .ok_or(ServiceError::NotFound { entity: "invoice" })?;
        // Staff mail the customer: a change support may not make.
        if user.tenant.is_none() {
            user.require_staff()?;
        }
        let txn = self.db.begin_plain_write().await?;
        let recipient = if user.tenant.is_some() {
            entity::user::Entity::find_by_id(user.user_id)
                .one(&txn)
                .await?
                .ok_or(ServiceError::Unauthenticated)?
                .email
        } else {
            let customer = customer::Entity::find_by_id(row.customer_id)
                .one(&txn)
                .await?
                .ok_or(ServiceError::NotFound { entity: "customer" })?;
            customer
                .invoice_email
                .clone()
                .unwrap_or_else(|| customer.email.clone())
        };
        let waiting = outbox_message::Entity::find()
            .filter(outbox_message::Column::DocumentId.eq(invoice.uuid()))
            .filter(outbox_message::Column::Kind.eq(MessageKind::InvoiceCopy))
            .filter(outbox_message::Column::Recipient.eq(recipient.clone()))
            .filter(outbox_message::Column::Status.eq(MessageStatus::Pending))
            .one(&txn)
            .await?;
        if let Some(waiting) = waiting {
            return Ok(waiting);
        }
        let now = self.clock.now();
        let request = OutboxMessageId::new();
        outbox::enqueue(
            &txn,
            vec![NewMessage::invoice_copy(
                row.customer_id,
                invoice,
                &recipient,
                request,
            )],
            now,
        )
        .await?;
        audit::record(
            &txn,
            Some(user),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "invoice.send_copy",
                subject_type: "invoice",
                subject_id: invoice.to_string(),
                before: None,
                after: Some(json!({ "recipient": recipient })),
            },
        )
        .await?;
        let queued = outbox_message::Entity::find()
            .filter(outbox_message::Column::DocumentId.eq(invoice.uuid()))
            .filter(outbox_message::Column::Kind.eq(MessageKind::InvoiceCopy))
            .filter(outbox_message::Column::Recipient.eq(recipient))
            .filter(outbox_message::Column::Status.eq(MessageStatus::Pending))
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::internal("a queued copy vanished"))?;
        txn.commit().await?;
        Ok(queued)
    }

    /// The messages that carried one document (an invoice's, not its credit notes'; or one
    /// credit note's), oldest first, for its customer's users and staff: another tenant's
    /// document has none. Invoices and credit notes have distinct UUIDs, so the document's is
    /// enough to tell them apart.
    pub async fn messages_about(
        &self,
        actor: &Actor,
        document: Document,
    ) -> ServiceResult<Vec<outbox_message::Model>> {
        let scope = actor.authenticated()?.scope();
        let document = match document {
            Document::Invoice(id) => id.uuid(),
            Document::CreditNote(id) => id.uuid(),
        };
        Ok(outbox_message::Entity::find()
            .filter(scope.condition(outbox_message::Column::CustomerId))
            .filter(outbox_message::Column::DocumentId.eq(document))
            .order_by_asc(outbox_message::Column::Id)
            .all(self.db.reads())
            .await?)
    }

    /// Staff: one page of the outbox, newest first, optionally only messages in `status`
    /// (failed ones are what staff act on).
    pub async fn messages(
        &self,
        actor: &Actor,
        status: Option<MessageStatus>,
        page: &PageRequest,
    ) -> ServiceResult<Page<outbox_message::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = outbox_message::Entity::find();
        if let Some(status) = status {
            select = select.filter(outbox_message::Column::Status.eq(status));
        }
        Ok(crate::services::page::fetch_page(self.db.reads(), select, &MESSAGES, page).await?)
    }

    /// Staff: sends a failed message again now (its attempts start over).
    pub async fn retry(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: OutboxMessageId,
    ) -> ServiceResult<outbox_message::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_plain_write().await?;
        let message = outbox_message::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "message" })?;
        if message.status != MessageStatus::Failed {
            return Err(ServiceError::Conflict {
                message: "only a failed message can be retried; this one is not failed".into(),
            });
        }
        let mut row = message.clone().into_active_model();
        row.status = Set(MessageStatus::Pending);
        row.attempts = Set(0);
        row.next_attempt_at = Set(self.clock.now());
        let updated = row.update(&txn).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(message.customer_id),
                action: "mail.retry",
                subject_type: "outbox_message",
                subject_id: id.to_string(),
                before: Some(json!({ "status": "failed", "last_error": message.last_error })),
                after: Some(json!({ "status": "pending" })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(updated)
    }
}

/// The outbox newest first, by creation time then id.
const MESSAGES: crate::services::page::Keyset<outbox_message::Entity> =
    crate::services::page::Keyset {
        list: "outbox messages",
        columns: &[
            (
                outbox_message::Column::CreatedAt,
                crate::services::page::KeyKind::Time,
            ),
            (
                outbox_message::Column::Id,
                crate::services::page::KeyKind::Id,
            ),
        ],
        direction: crate::services::page::Direction::Descending,
        key: |m| crate::services::page::time_key(m.created_at, m.id),
    };
