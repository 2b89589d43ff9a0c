//! What operator staff do with payments: record money received outside the processor, refund
//! a payment (through the processor for processor payments), and retry an invoice's
//! collection now. Each writes an audit entry.

use entity::invoice::{self, InvoiceStatus};
use entity::payment::{self, PaymentKind};
use entity::payment_attempt;
use entity::refund::{self, RefundStatus};
use ids::{InvoiceId, PaymentId, RefundId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::attempts::{Automatic, Sent, Started, finish, lock_invoice, refuse_if_in_flight};
use super::{PaymentError, PaymentsService};
use crate::auth::Actor;
use crate::db::PlainWrite;
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::catalog;
use crate::services::invoices::owed::owed_minor;

/// A payment received outside the processor.
#[derive(Clone, Debug)]
pub struct OfflinePayment {
    /// The invoice paid.
    pub invoice: InvoiceId,
    /// Decimal text in the invoice's currency, e.g. `76.80`.
    pub amount: String,
    /// How it was paid (`Bank transfer`).
    pub method: String,
    /// Its reference (a transfer's), if any.
    pub reference: Option<String>,
    /// The caller's idempotency key: the same key answers the first payment.
    pub request_key: Option<String>,
}

/// Minor units of `amount` (decimal text) in `currency`, positive.
fn minor_amount(amount: &str, currency: &str) -> ServiceResult<i64> {
    let currency = catalog::rows::currency(currency)?;
    let bad = || PaymentError::BadAmount(format!("enter a positive amount in {}", currency.code()));
    let value = amount
        .trim()
        .parse::<billing::Decimal>()
        .map_err(|_| bad())?;
    let money = billing::Money::new(value, currency).map_err(|_| bad())?;
    let minor = money.to_minor().map_err(|_| bad())?;
    if minor <= 0 {
        return Err(bad().into());
    }
    Ok(minor)
}

fn text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> ServiceResult<Option<String>> {
    let value = value.trim();
    if value.chars().count() > max || (required && value.is_empty()) {
        return Err(PaymentError::BadText {
            field,
            message: format!("{} to {max} characters", if required { 1 } else { 0 }),
        }
        .into());
    }
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

impl PaymentsService {
    /// Records money received outside the processor (operator staff). It must not be more
    /// than the invoice asks for; once it covers that, the invoice is paid. The receipt is
    /// queued. `CONFLICT` (`PAYMENT_IN_FLIGHT`) while an attempt of the invoice is unfinished.
    pub async fn record_offline(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        input: OfflinePayment,
    ) -> ServiceResult<payment::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let method = text("input.method", &input.method, 200, true)?.unwrap_or_default();
        let reference = match &input.reference {
            Some(r) => text("input.reference", r, 200, false)?,
            None => None,
        };
        let request_key = match &input.request_key {
            Some(key) => Some(text("input.idempotencyKey", key, 200, true)?.unwrap_or_default()),
            None => None,
        };
        let now = self.clock.now();
        let txn = self.db.begin_plain_write().await?;
        if !lock_invoice(&txn, input.invoice).await? {
            return Err(PaymentError::InvoiceNotFound.into());
        }
        if let Some(key) = &request_key {
            let earlier = payment::Entity::find()
                .filter(payment::Column::RequestKey.eq(key.as_str()))
                .one(&txn)
                .await?;
            if let Some(earlier) = earlier {
                if earlier.invoice_id != input.invoice {
                    return Err(ServiceError::Conflict {
                        message: "this idempotency key was used for another payment".into(),
                    });
                }
                txn.commit().await?;
                let same = minor_amount(&input.amount, &earlier.currency)
                    .is_ok_and(|a| a == earlier.amount_minor)
                    && earlier.method_text == method
                    && earlier.reference == reference;
                if !same {
                    return Err(PaymentError::KeyReused.into());
                }
                return Ok(earlier);
            }
        }
        let row = invoice::Entity::find_by_id(input.invoice)
            .one(&txn)
            .await?
            .ok_or(PaymentError::InvoiceNotFound)?;
        if row.status != InvoiceStatus::Open {
            return Err(PaymentError::NotOpen(row.status).into());
        }
        refuse_if_in_flight(&txn, row.id).await?;
        let due = owed_minor(&row)?;
        if due <= 0 {
            return Err(PaymentError::NothingDue.into());
        }
        let amount = minor_amount(&input.amount, &row.currency)?;
        if amount > due {
            let currency = catalog::rows::currency(&row.currency)?;
            return Err(PaymentError::MoreThanDue {
                due: billing::Money::from_minor(due, currency).to_string(),
            }
            .into());
        }
        let payment = payment::Model {
            id: PaymentId::new(),
            invoice_id: row.id,
            customer_id: row.customer_id,
            attempt_id: None,
            kind: PaymentKind::Offline,
            amount_minor: amount,
            refunded_minor: 0,
            currency: row.currency.clone(),
            processor_payment: None,
            method_text: method,
            reference,
            request_key,
            recorded_by: Some(staff.user_id),
            created_at: now,
        };
        self.receive(&txn, &payment, Some(staff), request_id, now)
            .await?;
        txn.commit().await?;
        Ok(payment)
    }

    /// Refunds part or all of a payment (operator staff): at most what was paid less what was
    /// refunded already (`REFUND_TOO_LARGE`). A processor payment is refunded through the
    /// processor with a key of its own; an offline one is recorded as given back by hand.
    ///
    /// Never twice: the caller's `request_key` answers the refund it made the first time (a
    /// different amount or reason with it is `CONFLICT`), and sends that refund again with its
    /// own processor key while its outcome is unknown. Any other refund of a payment with an
    /// unconfirmed one answers `CONFLICT` (`REFUND_IN_FLIGHT`). The refund and its audit entry
    /// are committed before the processor is called.
    pub async fn refund(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: PaymentId,
        amount: &str,
        reason: Option<&str>,
        request_key: Option<&str>,
    ) -> ServiceResult<refund::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let reason = match reason {
            Some(r) => text("input.reason", r, 500, false)?,
            None => None,
        };
        let request_key = match request_key {
            Some(key) => Some(text("input.idempotencyKey", key, 200, true)?.unwrap_or_default()),
            None => None,
        };
        let now = self.clock.now();
        let txn = self.db.begin_plain_write().await?;
        // The payment's row lock: refunds of one payment queue here.
        let locked = payment::Entity::update_many()
            .col_expr(
                payment::Column::RefundedMinor,
                Expr::col(payment::Column::RefundedMinor),
            )
            .filter(payment::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if locked.rows_affected != 1 {
            return Err(PaymentError::PaymentNotFound.into());
        }
        let payment = payment::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(PaymentError::PaymentNotFound)?;
        let amount = minor_amount(amount, &payment.currency)?;
        if let Some(key) = &request_key {
            let earlier = refund::Entity::find()
                .filter(refund::Column::PaymentId.eq(id))
                .filter(refund::Column::RequestKey.eq(key.as_str()))
                .one(&txn)
                .await?;
            if let Some(earlier) = earlier {
                txn.commit().await?;
                if earlier.amount_minor != amount || earlier.reason != reason {
                    return Err(PaymentError::KeyReused.into());
                }
                if earlier.status != RefundStatus::Pending {
                    return Ok(earlier);
                }
                // Its outcome is unknown: send it again, with its own key.
                return self
                    .send_refund(earlier, &payment, Some(staff), request_id)
                    .await;
            }
        }
        let unconfirmed = refund::Entity::find()
            .filter(refund::Column::PaymentId.eq(id))
            .filter(refund::Column::Status.eq(RefundStatus::Pending))
            .count(&txn)
            .await?;
        if unconfirmed > 0 {
            return Err(PaymentError::RefundInFlight.into());
        }
        let currency = catalog::rows::currency(&payment.currency)?;
        let left = billing::refundable(
            billing::Money::from_minor(payment.amount_minor, currency),
            billing::Money::from_minor(payment.refunded_minor, currency),
        )
        .map_err(|e| ServiceError::from_billing(e, "input.amount"))?;
        let too_large = || PaymentError::RefundTooLarge {
            left: left.to_string(),
        };
        if amount
            > left
                .to_minor()
                .map_err(|e| ServiceError::from_billing(e, "input.amount"))?
        {
            return Err(too_large().into());
        }
        // Reserve the amount on the payment; the guard refuses a concurrent refund past it.
        let reserved = payment::Entity::update_many()
            .col_expr(
                payment::Column::RefundedMinor,
                Expr::col(payment::Column::RefundedMinor).add(amount),
            )
            .filter(payment::Column::Id.eq(id))
            .filter(
                Expr::col(payment::Column::RefundedMinor)
                    .add(amount)
                    .lte(Expr::col(payment::Column::AmountMinor)),
            )
            .exec(&txn)
            .await?;
        if reserved.rows_affected != 1 {
            return Err(too_large().into());
        }
        let number = refund::Entity::find()
            .filter(refund::Column::PaymentId.eq(id))
            .count(&txn)
            .await?
            + 1;
        let offline = payment.kind == PaymentKind::Offline;
        let row = refund::Model {
            id: RefundId::new(),
            payment_id: id,
            invoice_id: payment.invoice_id,
            customer_id: payment.customer_id,
            amount_minor: amount,
            currency: payment.currency.clone(),
            status: if offline {
                RefundStatus::Succeeded
            } else {
                RefundStatus::Pending
            },
            idempotency_key: format!("{id}:refund:{number}"),
            request_key,
            processor_refund: None,
            reason,
            failure_message: None,
            created_by: Some(staff.user_id),
            created_at: now,
        };
        refund::Entity::insert(row.clone().into_active_model())
            .exec_without_returning(&txn)
            .await?;
        if offline {
            // Given back by hand: done now.
            owed_again(&txn, payment.invoice_id, amount).await?;
        }
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(payment.customer_id),
                action: "payment.refunded",
                subject_type: "payment",
                subject_id: id.to_string(),
                before: Some(json!({ "refunded_minor": payment.refunded_minor })),
                after: Some(json!({
                    "refunded_minor": payment.refunded_minor + amount,
                    "refund": row.id.to_string(),
                    "status": if offline { "succeeded" } else { "pending" },
                })),
            },
        )
        .await?;
        txn.commit().await?;
        if offline {
            return Ok(row);
        }
        self.send_refund(row, &payment, Some(staff), request_id)
            .await
    }

    /// Charges an open invoice now with its organisation's default method, off session, as
    /// automatic collection would (operator staff): a failure counts in its dunning.
    pub async fn retry_now(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        invoice_id: InvoiceId,
    ) -> ServiceResult<payment_attempt::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        match self
            .start_attempt(Some(staff), invoice_id, None, None, Automatic::Forced)
            .await?
        {
            Started::Answered(attempt) => finish(attempt),
            Started::Run(attempt) => {
                let done = self
                    .run_attempt(attempt, Sent::Never, Some(staff), request_id)
                    .await?;
                finish(done)
            }
            Started::Resume(attempt) => {
                let done = self
                    .run_attempt(attempt, Sent::Maybe, Some(staff), request_id)
                    .await?;
                finish(done)
            }
        }
    }

    /// A payment, for its organisation's users and staff; `NOT_FOUND` for another tenant's.
    pub async fn payment(&self, actor: &Actor, id: PaymentId) -> ServiceResult<payment::Model> {
        let scope = actor.authenticated()?.scope();
        Ok(payment::Entity::find_by_id(id)
            .filter(scope.condition(payment::Column::CustomerId))
            .one(self.db.reads())
            .await?
            .ok_or(PaymentError::PaymentNotFound)?)
    }
}

/// Money given back on an invoice that is still open is owed again: the invoice's amount paid
/// goes down by the refund (never below zero). A settled invoice stays settled: refunding a paid
/// invoice's payment is the operator's decision (usually with a credit note), not a new debt.
pub(super) async fn owed_again(
    txn: &PlainWrite,
    invoice_id: InvoiceId,
    refunded: i64,
) -> ServiceResult<()> {
    lock_invoice(txn, invoice_id).await?;
    let Some(row) = invoice::Entity::find_by_id(invoice_id).one(txn).await? else {
        return Ok(());
    };
    if row.status != InvoiceStatus::Open {
        return Ok(());
    }
    let currency = catalog::rows::currency(&row.currency)?;
    // What is left of the amount paid once `refunded` of it went back.
    let paid = billing::refundable(
        billing::Money::from_minor(row.amount_paid_minor, currency),
        billing::Money::from_minor(refunded, currency),
    )
    .and_then(|m| m.to_minor())
    .map_err(|e| ServiceError::from_billing(e, "input.amount"))?;
    invoice::Entity::update_many()
        .col_expr(invoice::Column::AmountPaidMinor, Expr::value(paid))
        .filter(invoice::Column::Id.eq(invoice_id))
        .exec(txn)
        .await?;
    Ok(())
}
