//! Payments: the organisation's payment methods ([`methods`]), attempts to collect an invoice
//! that never charge twice ([`attempts`]), automatic collection and dunning ([`collection`]),
//! and staff's offline payments, refunds and retries ([`staff`]). Money moves only through the
//! [`processor::PaymentProcessor`]; the default one is the [`sandbox`].
//!
//! None of this is part of the cached tenant state: every write is a plain write.

pub mod attempts;
pub mod authentication;
pub mod collection;
mod collections;
mod error;
mod expiry;
pub mod methods;
pub mod outside_refunds;
pub mod processor;
mod reconcile;
mod refund_sending;
pub mod sandbox;
pub mod setup;
pub mod staff;
pub mod stripe;
pub mod validate;
pub mod webhooks;

use std::sync::Arc;

pub use error::PaymentError;

use entity::invoice_collection::{self, CollectionState};
use entity::{payment, payment_attempt, payment_method, refund};
use ids::{CustomerId, InvoiceId, PaymentAttemptId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::Actor;
use crate::clock::Clock;
use crate::config::{AfterLastRetry, Payments};
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use processor::PaymentProcessor;

/// The dunning queue: invoices whose automatic collection failed, next attempt first.
const DUNNING: Keyset<invoice_collection::Entity> = Keyset {
    list: "dunning_queue",
    columns: &[
        (invoice_collection::Column::NextAttemptAt, KeyKind::Time),
        (invoice_collection::Column::InvoiceId, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |c| time_key(c.next_attempt_at, c.invoice_id),
};

/// How collection behaves (from `payments.*` in the configuration).
#[derive(Clone, Debug)]
pub struct PaymentSettings {
    /// Days between automatic retries.
    pub retry_days: Vec<u32>,
    /// What becomes of an invoice whose last retry failed.
    pub after_last_retry: AfterLastRetry,
    /// How long the caller that started an attempt owns it.
    pub lease: chrono::Duration,
    /// How long a payment waits for its customer's authentication before it is cancelled.
    pub authentication_expiry: chrono::Duration,
    /// Stripe's publishable key, handed to Stripe.js in the customer's browser (public by
    /// design), when payments go through Stripe.
    pub publishable_key: Option<String>,
}

impl PaymentSettings {
    /// The settings of `config`.
    pub fn from_config(config: &Payments) -> Self {
        Self {
            retry_days: config.retry_days.clone(),
            after_last_retry: config.after_last_retry,
            lease: chrono::Duration::seconds(
                i64::try_from(config.attempt_lease_seconds).unwrap_or(120),
            ),
            authentication_expiry: chrono::Duration::hours(
                i64::try_from(config.authentication_expiry_hours).unwrap_or(24),
            ),
            publishable_key: (config.processor == crate::config::ProcessorKind::Stripe)
                .then(|| config.stripe.publishable_key.clone())
                .flatten(),
        }
    }
}

/// An invoice's payment history, as its page shows it.
#[derive(Clone, Debug, Default)]
pub struct InvoicePayments {
    /// Attempts, oldest first.
    pub attempts: Vec<payment_attempt::Model>,
    /// Payments received, oldest first.
    pub payments: Vec<payment::Model>,
    /// Refunds, oldest first.
    pub refunds: Vec<refund::Model>,
    /// Its collection state, when automatic collection failed.
    pub collection: Option<invoice_collection::Model>,
    /// What it still asks for (its amount due less payments received), minor units; zero
    /// unless it is open.
    pub outstanding_minor: i64,
}

/// Payment methods, attempts, collection, refunds.
#[derive(Clone)]
pub struct PaymentsService {
    db: Db,
    processor: Arc<dyn PaymentProcessor>,
    clock: Clock,
    settings: PaymentSettings,
}

impl PaymentsService {
    /// A service over `db` moving money through `processor`.
    pub fn new(
        db: Db,
        processor: Arc<dyn PaymentProcessor>,
        clock: Clock,
        settings: PaymentSettings,
    ) -> Self {
        Self {
            db,
            processor,
            clock,
            settings,
        }
    }

    /// The same service with another processor (tests wrap the sandbox to simulate crashes).
    pub fn with_processor(&self, processor: Arc<dyn PaymentProcessor>) -> Self {
        Self {
            processor,
            ..self.clone()
        }
    }

    /// The processor in use.
    pub fn processor(&self) -> &Arc<dyn PaymentProcessor> {
        &self.processor
    }

    /// The payment methods of `customer`, default first, then oldest first.
    pub async fn methods(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<Vec<payment_method::Model>> {
        let scope = actor.authenticated()?.scope();
        if !scope.allows(customer) {
            return Ok(Vec::new());
        }
        Ok(payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(customer))
            .order_by_desc(payment_method::Column::IsDefault)
            .order_by_asc(payment_method::Column::CreatedAt)
            .order_by_asc(payment_method::Column::Id)
            .all(self.db.reads())
            .await?)
    }

    /// The attempts, payments and refunds of an invoice (its organisation's users and staff;
    /// another tenant's invoice has none).
    pub async fn of_invoice(
        &self,
        actor: &Actor,
        invoice: InvoiceId,
    ) -> ServiceResult<InvoicePayments> {
        let scope = actor.authenticated()?.scope();
        let db = self.db.reads();
        let attempts = payment_attempt::Entity::find()
            .filter(scope.condition(payment_attempt::Column::CustomerId))
            .filter(payment_attempt::Column::InvoiceId.eq(invoice))
            .order_by_asc(payment_attempt::Column::Number)
            .all(db)
            .await?;
        let payments = payment::Entity::find()
            .filter(scope.condition(payment::Column::CustomerId))
            .filter(payment::Column::InvoiceId.eq(invoice))
            .order_by_asc(payment::Column::CreatedAt)
            .order_by_asc(payment::Column::Id)
            .all(db)
            .await?;
        let refunds = refund::Entity::find()
            .filter(scope.condition(refund::Column::CustomerId))
            .filter(refund::Column::InvoiceId.eq(invoice))
            .order_by_asc(refund::Column::CreatedAt)
            .order_by_asc(refund::Column::Id)
            .all(db)
            .await?;
        let collection = invoice_collection::Entity::find_by_id(invoice)
            .filter(scope.condition(invoice_collection::Column::CustomerId))
            .one(db)
            .await?;
        let row = entity::invoice::Entity::find_by_id(invoice)
            .filter(scope.condition(entity::invoice::Column::CustomerId))
            .one(db)
            .await?;
        let outstanding_minor = match row {
            Some(row) if row.status == entity::invoice::InvoiceStatus::Open => {
                crate::services::invoices::owed::owed_minor(&row)?
            }
            _ => 0,
        };
        Ok(InvoicePayments {
            outstanding_minor,
            attempts,
            payments,
            refunds,
            collection,
        })
    }

    /// One payment attempt (its organisation's users and staff): what the authentication page
    /// shows. `NOT_FOUND` for another tenant's.
    pub async fn attempt(
        &self,
        actor: &Actor,
        id: PaymentAttemptId,
    ) -> ServiceResult<payment_attempt::Model> {
        let scope = actor.authenticated()?.scope();
        Ok(payment_attempt::Entity::find_by_id(id)
            .filter(scope.condition(payment_attempt::Column::CustomerId))
            .one(self.db.reads())
            .await?
            .ok_or(PaymentError::AttemptNotFound)?)
    }

    /// Staff: the invoices whose automatic collection failed, the next attempt first (those
    /// whose retries are exhausted by the time they gave up), only while the invoice is open.
    pub async fn dunning_queue(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> ServiceResult<Page<invoice_collection::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let open = entity::invoice::Entity::find()
            .filter(entity::invoice::Column::Status.eq(entity::invoice::InvoiceStatus::Open))
            .filter(crate::services::invoices::owed::still_owed());
        use sea_orm::QuerySelect;
        let select = invoice_collection::Entity::find().filter(
            invoice_collection::Column::InvoiceId.in_subquery(sea_orm::QueryTrait::into_query(
                open.select_only().column(entity::invoice::Column::Id),
            )),
        );
        Ok(fetch_page(self.db.reads(), select, &DUNNING, &page).await?)
    }

    /// Whether an invoice's automatic collection is scheduled (for display).
    pub fn is_scheduled(collection: &invoice_collection::Model) -> bool {
        collection.state == CollectionState::Scheduled
    }
}

/// A method as a person reads it: `Visa •••• 4242`, `SEPA Direct Debit •••• 3000`.
pub fn method_label(method: &payment_method::Model) -> String {
    match method.kind {
        payment_method::MethodKind::Card => {
            let brand = match method.brand.as_deref() {
                Some("visa") => "Visa".to_owned(),
                Some("mastercard") => "Mastercard".to_owned(),
                Some("amex") => "American Express".to_owned(),
                Some(other) => other.to_owned(),
                None => "Card".to_owned(),
            };
            format!("{brand} •••• {}", method.last4)
        }
        payment_method::MethodKind::SepaDebit => {
            format!("SEPA Direct Debit •••• {}", method.last4)
        }
    }
}

/// `NOT_FOUND` unless the actor may see `customer`.
fn check_scope(actor: &Actor, customer: CustomerId) -> ServiceResult<()> {
    if actor.authenticated()?.scope().allows(customer) {
        Ok(())
    } else {
        Err(ServiceError::from(PaymentError::CustomerNotFound))
    }
}
