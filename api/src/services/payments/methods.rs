//! Adding, choosing and removing payment methods (an organisation's owners and billing admins,
//! and staff). The card or account goes to the processor; we keep its reference, brand, last
//! four and expiry. Every change writes an audit entry.

use entity::invoice::{self, InvoiceStatus};
use entity::payment_method::{self, MethodKind};
use ids::{CustomerId, PaymentMethodId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::processor::{AttachedMethod, CardDetails, SepaDetails};
use super::{PaymentError, PaymentsService, check_scope};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::PlainWrite;
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};

/// A method to add.
#[derive(Clone, Debug)]
pub enum NewMethod {
    /// A card (sandbox only: with Stripe the card never reaches our server).
    Card(CardDetails),
    /// A bank account for SEPA Direct Debit.
    SepaDebit(SepaDetails),
}

/// A method the processor attached, to save.
pub(super) struct MethodToSave {
    /// Our customer.
    pub customer: CustomerId,
    /// Card or SEPA Direct Debit.
    pub kind: MethodKind,
    /// The processor's customer it is attached to.
    pub processor_customer: String,
    /// What the processor answered.
    pub attached: AttachedMethod,
    /// The account holder of a bank account.
    pub holder_name: Option<String>,
    /// Whether it becomes the default (the first one always does).
    pub make_default: bool,
}

/// What an audit entry keeps of a method.
pub(super) fn audit_view(row: &payment_method::Model) -> serde_json::Value {
    json!({
        "kind": sea_orm::ActiveEnum::to_value(&row.kind),
        "brand": row.brand,
        "last4": row.last4,
        "exp_month": row.exp_month,
        "exp_year": row.exp_year,
        "default": row.is_default,
    })
}

/// Most payment methods an organisation keeps: the list is read whole (the portal's methods
/// page, the console's tab), so it must stay short; a business pays with a few cards and
/// accounts, not dozens.
pub const MAX_METHODS: u64 = 20;

impl PaymentsService {
    /// `TOO_MANY_PAYMENT_METHODS` when `customer` already keeps [`MAX_METHODS`] methods:
    /// checked before the processor is asked to save another. (A setup finished at the
    /// processor is always recorded, so several begun at once may pass the bound by a few.)
    pub(super) async fn ensure_room_for_a_method(&self, customer: CustomerId) -> ServiceResult<()> {
        let kept = payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(customer))
            .count(self.db.reads())
            .await?;
        if kept >= MAX_METHODS {
            return Err(PaymentError::TooManyMethods.into());
        }
        Ok(())
    }

    /// Adds a method to `customer` at the processor, then here; the first method becomes the
    /// default, a later one when `make_default`. `NOT_FOUND` for another tenant, `FORBIDDEN`
    /// for viewers, `BAD_USER_INPUT` (`INVALID_CARD`, `INVALID_IBAN`, …) for what the
    /// processor refuses, `TOO_MANY_PAYMENT_METHODS` past [`MAX_METHODS`].
    pub async fn add_method(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        method: NewMethod,
        make_default: bool,
    ) -> ServiceResult<payment_method::Model> {
        check_scope(actor, customer)?;
        let user = actor.authenticated()?;
        user.require_billing_write()?;
        let holder = match &method {
            NewMethod::SepaDebit(account) => {
                let name = account.holder_name.trim();
                if name.is_empty() || name.chars().count() > 200 {
                    return Err(PaymentError::BadText {
                        field: "input.holderName",
                        message: "enter the account holder's name (at most 200 characters)".into(),
                    }
                    .into());
                }
                Some(name.to_owned())
            }
            NewMethod::Card(_) => None,
        };
        self.ensure_room_for_a_method(customer).await?;
        let processor_customer = self.processor_customer(customer).await?;
        let now = self.clock.now();
        let (kind, attached): (MethodKind, AttachedMethod) = match &method {
            NewMethod::Card(card) => (
                MethodKind::Card,
                self.processor
                    .attach_card(&processor_customer, card, now)
                    .await
                    .map_err(PaymentError::Processor)?,
            ),
            NewMethod::SepaDebit(account) => (
                MethodKind::SepaDebit,
                self.processor
                    .attach_sepa_debit(&processor_customer, account)
                    .await
                    .map_err(PaymentError::Processor)?,
            ),
        };
        let txn = self.db.begin_plain_write().await?;
        let model = self
            .insert_method_in(
                &txn,
                Some(user),
                request_id,
                MethodToSave {
                    customer,
                    kind,
                    processor_customer,
                    attached,
                    holder_name: holder,
                    make_default,
                },
            )
            .await?;
        txn.commit().await?;
        Ok(model)
    }

    /// The processor's customer for `customer`: the one its methods already use, else a new
    /// one.
    pub(super) async fn processor_customer(&self, customer: CustomerId) -> ServiceResult<String> {
        let row = entity::customer::Entity::find_by_id(customer)
            .one(self.db.reads())
            .await?
            .ok_or(PaymentError::CustomerNotFound)?;
        let existing = payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(customer))
            .filter(payment_method::Column::Processor.eq(self.processor.name()))
            .one(self.db.reads())
            .await?;
        Ok(match existing {
            Some(m) => m.processor_customer,
            None => self
                .processor
                .create_customer(customer, &row.email)
                .await
                .map_err(PaymentError::Processor)?,
        })
    }

    /// Saves a method the processor attached, in the caller's transaction, with its audit
    /// entry; the first method becomes the default. A method the processor already gave us
    /// (a setup recorded by the portal and again by its webhook) answers the saved one.
    pub(super) async fn insert_method_in(
        &self,
        txn: &PlainWrite,
        user: Option<&AuthenticatedActor>,
        request_id: Option<&str>,
        save: MethodToSave,
    ) -> ServiceResult<payment_method::Model> {
        let MethodToSave {
            customer,
            kind,
            processor_customer,
            attached,
            holder_name,
            make_default,
        } = save;
        let saved = payment_method::Entity::find()
            .filter(payment_method::Column::Processor.eq(self.processor.name()))
            .filter(payment_method::Column::ProcessorMethod.eq(attached.reference.as_str()))
            .one(txn)
            .await?;
        if let Some(saved) = saved {
            return Ok(saved);
        }
        let has_default = payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(customer))
            .filter(payment_method::Column::IsDefault.eq(true))
            .count(txn)
            .await?
            > 0;
        let is_default = make_default || !has_default;
        if is_default {
            payment_method::Entity::update_many()
                .col_expr(payment_method::Column::IsDefault, Expr::value(false))
                .filter(payment_method::Column::CustomerId.eq(customer))
                .exec(txn)
                .await?;
        }
        let model = payment_method::Model {
            id: PaymentMethodId::new(),
            customer_id: customer,
            kind,
            processor: self.processor.name().to_owned(),
            processor_customer,
            processor_method: attached.reference,
            brand: attached.brand,
            last4: attached.last4,
            exp_month: attached.exp_month,
            exp_year: attached.exp_year,
            holder_name,
            is_default,
            created_at: self.clock.now(),
        };
        payment_method::Entity::insert(model.clone().into_active_model())
            .exec_without_returning(txn)
            .await?;
        audit::record(
            txn,
            user,
            request_id,
            AuditEntry {
                customer: Some(customer),
                action: "payment_method.added",
                subject_type: "payment_method",
                subject_id: model.id.to_string(),
                before: None,
                after: Some(audit_view(&model)),
            },
        )
        .await?;
        Ok(model)
    }

    async fn scoped_method(
        &self,
        actor: &Actor,
        id: PaymentMethodId,
    ) -> ServiceResult<payment_method::Model> {
        let scope = actor.authenticated()?.scope();
        Ok(payment_method::Entity::find_by_id(id)
            .filter(scope.condition(payment_method::Column::CustomerId))
            .one(self.db.reads())
            .await?
            .ok_or(PaymentError::MethodNotFound)?)
    }

    /// Makes a method its organisation's default (the one automatic collection charges).
    pub async fn set_default(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: PaymentMethodId,
    ) -> ServiceResult<payment_method::Model> {
        let method = self.scoped_method(actor, id).await?;
        let user = actor.authenticated()?;
        user.require_billing_write()?;
        let txn = self.db.begin_plain_write().await?;
        let before = payment_method::Entity::find()
            .filter(payment_method::Column::CustomerId.eq(method.customer_id))
            .filter(payment_method::Column::IsDefault.eq(true))
            .one(&txn)
            .await?;
        payment_method::Entity::update_many()
            .col_expr(payment_method::Column::IsDefault, Expr::value(false))
            .filter(payment_method::Column::CustomerId.eq(method.customer_id))
            .exec(&txn)
            .await?;
        let updated = payment_method::Entity::update_many()
            .col_expr(payment_method::Column::IsDefault, Expr::value(true))
            .filter(payment_method::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(PaymentError::MethodNotFound.into());
        }
        audit::record(
            &txn,
            Some(user),
            request_id,
            AuditEntry {
                customer: Some(method.customer_id),
                action: "payment_method.default",
                subject_type: "payment_method",
                subject_id: id.to_string(),
                before: Some(json!({ "default": before.map(|m| m.id.to_string()) })),
                after: Some(json!({ "default": id.to_string() })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(payment_method::Model {
            is_default: true,
            ..method
        })
    }

    /// Removes a method, here and at the processor. Refused (`DEFAULT_METHOD_IN_USE`) while it
    /// is the default and an open invoice with an amount due relies on it (one whose
    /// subscription's automatic payment is off does not).
    pub async fn remove_method(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: PaymentMethodId,
    ) -> ServiceResult<payment_method::Model> {
        let method = self.scoped_method(actor, id).await?;
        let user = actor.authenticated()?;
        user.require_billing_write()?;
        let txn = self.db.begin_plain_write().await?;
        let row = payment_method::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(PaymentError::MethodNotFound)?;
        if row.is_default {
            let relying = invoice::Entity::find()
                .filter(invoice::Column::CustomerId.eq(method.customer_id))
                .filter(invoice::Column::Status.eq(InvoiceStatus::Open))
                .filter(crate::services::invoices::owed::still_owed())
                // One paid by transfer (its subscription's automatic payment is off) does not
                // rely on the default method.
                .filter(super::collection::collected_automatically_condition())
                .count(&txn)
                .await?;
            if relying > 0 {
                return Err(PaymentError::DefaultInUse.into());
            }
        }
        payment_method::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            Some(user),
            request_id,
            AuditEntry {
                customer: Some(method.customer_id),
                action: "payment_method.removed",
                subject_type: "payment_method",
                subject_id: id.to_string(),
                before: Some(audit_view(&row)),
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        if let Err(error) = self.processor.detach(&row.processor_method).await {
            // Removed here: it is never charged again. The processor keeps it until told.
            tracing::warn!(method = %id, ?error, "detaching a payment method failed");
        }
        Ok(row)
    }
}
