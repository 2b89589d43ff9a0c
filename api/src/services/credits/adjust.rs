//! Staff change a credit balance by hand: a top-up (a prepayment, a goodwill gesture) adds; an
//! adjustment corrects either way. Never below zero; every change audited.

use billing::{Decimal, Money};
use chrono::Utc;
use entity::credit_entry::{self, CreditEntryKind};
use entity::customer;
use ids::{CreditEntryId, CustomerId};
use sea_orm::EntityTrait;
use serde_json::json;

use super::ledger::{BalanceChange, change_balance};
use super::{CreditError, CreditsService};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::accounts::profile::commit_priced;
use crate::services::audit::{self, AuditEntry};
use crate::services::catalog;
use crate::services::idempotency::IdempotencyKey;
use crate::services::input::RequiredText;

/// What kind of manual change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdjustmentKind {
    /// Adds credit: the amount must be positive.
    TopUp,
    /// Corrects the balance: positive or negative, never below zero.
    Adjustment,
}

/// A manual change as staff typed it.
#[derive(Clone, Debug)]
pub struct Adjustment {
    /// The customer.
    pub customer: CustomerId,
    /// Top-up or adjustment.
    pub kind: AdjustmentKind,
    /// Signed decimal text in the customer's currency, e.g. `25.00` or `-5`.
    pub amount: String,
    /// Why, for the ledger.
    pub description: String,
    /// The same key with the same change returns the first entry instead of changing the
    /// balance again (a form sent twice).
    pub idempotency_key: Option<String>,
}

/// The operation an idempotency key of a manual change is stored under.
const ADJUST_OPERATION: &str = "adjustCreditBalance";

impl CreditsService {
    /// Applies a manual change (operator staff) and returns the ledger entry.
    pub async fn adjust(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        adjustment: Adjustment,
    ) -> ServiceResult<credit_entry::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let description =
            RequiredText::parse("input.description", &adjustment.description, 500)?.into_inner();
        let key = adjustment
            .idempotency_key
            .as_deref()
            .map(|k| IdempotencyKey::new(staff, "input.idempotencyKey", k))
            .transpose()?;
        // What the key vouches for: the customer, the kind, the amount and the reason as sent.
        let fingerprint = format!(
            "{:?}",
            (
                adjustment.customer,
                adjustment.kind,
                adjustment.amount.trim(),
                &description
            )
        );
        let txn = self.db.begin_tenant_write().await?;
        if let Some(key) = &key
            && let Some(previous) = key.replay(&txn, ADJUST_OPERATION, &fingerprint).await?
        {
            let id: CreditEntryId = serde_json::from_value(previous["entry"].clone())
                .map_err(ServiceError::internal)?;
            return credit_entry::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or_else(|| ServiceError::corrupt("credit entry", "a replayed entry is gone"));
        }
        let customer = customer::Entity::find_by_id(adjustment.customer)
            .one(&txn)
            .await?
            .ok_or(CreditError::CustomerNotFound)?;
        let currency = catalog::rows::currency(&customer.currency)?;
        let delta = parse_amount(&adjustment.amount, currency, adjustment.kind)?;
        let entry = change_balance(
            &txn,
            BalanceChange {
                customer: customer.id,
                delta,
                kind: match adjustment.kind {
                    AdjustmentKind::TopUp => CreditEntryKind::TopUp,
                    AdjustmentKind::Adjustment => CreditEntryKind::Adjustment,
                },
                description,
                invoice: None,
                credit_note: None,
                quote: None,
                by: Some(staff.user_id),
                field: "input.amount",
            },
            Utc::now(),
        )
        .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(customer.id),
                action: "credit.adjust",
                subject_type: "customer",
                subject_id: customer.id.to_string(),
                before: Some(json!({ "credit_balance": Money::from_minor(customer.credit_balance_minor, currency).amount().to_string() })),
                after: Some(json!({
                    "credit_balance": Money::from_minor(entry.balance_after_minor, currency).amount().to_string(),
                    "change": delta.amount().to_string(),
                    "kind": sea_orm::ActiveEnum::to_value(&entry.kind),
                    "description": entry.description,
                })),
            },
        )
        .await?;
        if let Some(key) = &key {
            key.remember(
                &txn,
                ADJUST_OPERATION,
                &fingerprint,
                json!({ "entry": entry.id }),
                Utc::now(),
            )
            .await
            .map_err(on_unique_violation(|| ServiceError::Conflict {
                message: "this idempotency key is being used by another request".into(),
            }))?;
        }
        commit_priced(txn, &customer).await?;
        Ok(entry)
    }
}

/// The signed amount of a manual change: a decimal with at most the currency's minor units,
/// not zero, and positive for a top-up.
fn parse_amount(
    text: &str,
    currency: billing::Currency,
    kind: AdjustmentKind,
) -> ServiceResult<Money> {
    let bad = |reason: String| CreditError::BadAmount {
        field: "input.amount".into(),
        reason,
    };
    let value: Decimal = text
        .trim()
        .parse()
        .map_err(|_| bad(format!("{text:?} is not a decimal amount")))?;
    let money = Money::new(value, currency).map_err(|e| bad(e.to_string()))?;
    // Beyond any real balance, and a bound that keeps every sum of balances inside `i64`.
    const MAX_MINOR: i64 = 1_000_000_000_000_000;
    if !money.to_minor().is_ok_and(|m| m.abs() <= MAX_MINOR) {
        return Err(bad("the amount is too large".into()).into());
    }
    if money.is_zero() {
        return Err(bad("the amount must not be zero".into()).into());
    }
    if kind == AdjustmentKind::TopUp && money.is_negative() {
        return Err(bad("a top-up adds credit: the amount must be positive".into()).into());
    }
    Ok(money)
}
