//! Binding license changes: a preview stores a quote; applying re-checks it with `billing`
//! against the item as it is now and applies exactly it, or refuses.

use billing::{AdditionCharge, LicenseQuote, quote_license_change};
use chrono::{DateTime, Duration, Utc};
use entity::{customer, license, quote, subscription_item, unbilled_charge};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::LicenseError;
use super::quote_book::QuoteBook;
use super::seats::insert_unassigned;
use super::{LicenseItemView, billing_item, billing_item_of, load_view, views_of};
use super::{immediate, overdue};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::accounts;
use crate::services::audit::{self, AuditEntry};
use crate::services::credits::ledger::{self, BalanceChange};
use crate::services::idempotency::IdempotencyKey;
use crate::services::invoices::numbering::Numbering;
use crate::services::subscriptions::MAX_ITEM_QUANTITY;
use crate::services::tenant_state::TenantStates;
use entity::credit_entry::CreditEntryKind;
use ids::{ChargeId, InvoiceId, LicenseId, QuoteId, SubscriptionItemId};

/// How long a quote stays applicable.
pub const QUOTE_VALIDITY: Duration = Duration::minutes(15);

const APPLY_OPERATION: &str = "applyLicenseChange";

/// A stored quote and what `billing` computed.
#[derive(Clone, Debug)]
pub struct StoredQuote {
    /// The row.
    pub row: quote::Model,
    /// The quote itself.
    pub quote: LicenseQuote,
}

/// What applying a quote did; stored with the quote and replayed on a repeat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedChange {
    /// The quote applied.
    pub quote_id: QuoteId,
    /// The item changed.
    pub item_id: SubscriptionItemId,
    /// Seats before, at the moment it was applied.
    pub quantity_before: u32,
    /// Seats after.
    pub quantity_after: u32,
    /// When it was applied.
    pub applied_at: DateTime<Utc>,
    /// The invoice finalised for an addition charged immediately.
    #[serde(default)]
    pub invoice: Option<InvoiceId>,
}

/// Operator rules on license additions.
#[derive(Clone, Copy, Debug, Default)]
pub struct AdditionRules {
    /// Customers may not add licenses while they have an overdue invoice (staff may).
    pub refuse_when_overdue: bool,
}

/// Previews and applies license changes.
#[derive(Clone)]
pub struct LicensesChanges {
    db: Db,
    states: TenantStates,
    quotes: QuoteBook,
    rules: AdditionRules,
    numbering: Numbering,
}

impl LicensesChanges {
    /// A service over `db`, reading tenant states through `states`; additions charged
    /// immediately take their invoice's number from `numbering`. Must be called within a
    /// Tokio runtime: it starts the task that stores quotes.
    pub fn new(db: Db, states: TenantStates, rules: AdditionRules, numbering: Numbering) -> Self {
        let quotes = QuoteBook::start(db.clone());
        Self {
            db,
            states,
            quotes,
            rules,
            numbering,
        }
    }

    /// Quotes adding (`delta > 0`) or removing (`delta < 0`) seats and stores the quote for
    /// [`QUOTE_VALIDITY`]. Viewers may not; removals need as many unassigned seats.
    ///
    /// `organisation` is the actor's own organisation as this request read it when it
    /// authenticated (`SignedIn`), if any: a customer user's item is looked up in that
    /// organisation's state without another read. Staff have none: the item's customer is read.
    pub async fn preview(
        &self,
        actor: &Actor,
        organisation: Option<&customer::Model>,
        item_id: SubscriptionItemId,
        delta: i32,
        now: DateTime<Utc>,
    ) -> ServiceResult<StoredQuote> {
        let actor = actor.authenticated()?;
        let not_found = || ServiceError::from(LicenseError::ItemNotFound);
        let own = organisation.filter(|o| actor.tenant == Some(o.id));
        let customer = match own {
            Some(organisation) => organisation.clone(),
            None => self
                .customer_of_item(actor, item_id)
                .await?
                .ok_or_else(not_found)?,
        };
        let state = self.states.of(actor, &customer, "license item").await?;
        let view = views_of(&state)
            .into_iter()
            .find(|v| v.item.id == item_id)
            .ok_or_else(not_found)?;
        actor.require_billing_write()?;
        check_delta(&view, delta)?;
        if delta > 0 && self.rules.refuse_when_overdue && !actor.role.is_staff() {
            let today = billing::local_date(now, accounts::rows::time_zone(&state.customer)?);
            overdue::refuse_if_overdue(self.db.reads(), &state.customer, today).await?;
        }
        let item = billing_item_of(&state.customer, state.tax.as_ref(), &view)?;
        let quote = quote_license_change(&item, delta, now)
            .map_err(|e| ServiceError::from_billing(e, "input.delta"))?;
        let currency = quote.currency;
        let minor = |m: billing::Money| {
            m.to_minor()
                .map_err(|e| ServiceError::from_billing(e, "input.delta"))
        };
        let row = quote::Model {
            id: QuoteId::new(),
            customer_id: view.item.customer_id,
            item_id: view.item.id,
            delta,
            quote: serde_json::to_string(&quote).map_err(ServiceError::internal)?,
            currency: currency.code().to_owned(),
            amount_due_now_minor: minor(quote.amount_due_now)?,
            amount_next_invoice_minor: minor(quote.amount_next_invoice)?,
            expires_at: now + QUOTE_VALIDITY,
            created_by: actor.user_id,
            created_at: now,
            applied_at: None,
            result: None,
        };
        self.quotes.store(row.clone()).await?;
        Ok(StoredQuote { row, quote })
    }

    /// The customer of a subscription item, within the actor's scope.
    async fn customer_of_item(
        &self,
        actor: &AuthenticatedActor,
        item_id: SubscriptionItemId,
    ) -> ServiceResult<Option<customer::Model>> {
        Ok(customer::Entity::find()
            .filter(actor.scope().condition(customer::Column::Id))
            .filter(
                customer::Column::Id.in_subquery(
                    Query::select()
                        .column(subscription_item::Column::CustomerId)
                        .from(subscription_item::Entity)
                        .and_where(subscription_item::Column::Id.eq(item_id))
                        .to_owned(),
                ),
            )
            .one_by_key(self.db.reads())
            .await?)
    }

    /// Applies a stored quote exactly, once. The same quote or the same key again returns the
    /// first result; an expired quote answers `QUOTE_EXPIRED`; one that would now cost
    /// something else (or is no longer possible) answers `QUOTE_STALE`.
    pub async fn apply(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        quote_id: QuoteId,
        idempotency_key: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<(StoredQuote, AppliedChange)> {
        let actor = actor.authenticated()?;
        let key = IdempotencyKey::new(actor, "input.idempotencyKey", idempotency_key)?;
        let input = quote_id.to_string();
        let scope = actor.scope();

        let txn = self.db.begin_tenant_write().await?;
        // Lock the quote before reading its state: on PostgreSQL a no-op update takes the row
        // lock, so two applies of one quote run one after the other and the second sees the
        // first's result; on SQLite BEGIN IMMEDIATE already serialises writers.
        let locked = quote::Entity::update_many()
            .col_expr(quote::Column::Delta, Expr::col(quote::Column::Delta))
            .filter(quote::Column::Id.eq(quote_id))
            .filter(scope.condition(quote::Column::CustomerId))
            .exec(&txn)
            .await?;
        if locked.rows_affected == 0 {
            return Err(LicenseError::QuoteNotFound.into());
        }
        let stored = quote::Entity::find_by_id(quote_id)
            .filter(scope.condition(quote::Column::CustomerId))
            .one_by_key(&txn)
            .await?
            .ok_or(LicenseError::QuoteNotFound)?;
        actor.require_billing_write()?;
        if let Some(previous) = key.replay(&txn, APPLY_OPERATION, &input).await? {
            return Ok((parse_quote(stored)?, parse_result(previous)?));
        }
        if let Some(result) = stored.result.clone() {
            // Applied before under another key: the same result, and this key remembers it.
            let result: serde_json::Value =
                serde_json::from_str(&result).map_err(ServiceError::internal)?;
            key.remember(&txn, APPLY_OPERATION, &input, result.clone(), now)
                .await
                .map_err(key_conflict)?;
            // Only the key is new; the bump is harmless and keeps one commit path.
            txn.commit(stored.customer_id).await?;
            return Ok((parse_quote(stored)?, parse_result(result)?));
        }
        if now >= stored.expires_at {
            return Err(LicenseError::QuoteExpired.into());
        }
        let stored = parse_quote(stored)?;
        let item_id = stored.row.item_id;

        // Touch the item first: on PostgreSQL this takes its row lock, so concurrent changes
        // to one item queue here and each re-checks the state the previous one left.
        subscription_item::Entity::update_many()
            .col_expr(
                subscription_item::Column::Version,
                Expr::col(subscription_item::Column::Version).add(1),
            )
            .filter(subscription_item::Column::Id.eq(item_id))
            .filter(scope.condition(subscription_item::Column::CustomerId))
            .exec(&txn)
            .await?;
        let view = load_view(&txn, scope, item_id).await?;
        let current = billing_item(&txn, &view).await?;
        stored
            .quote
            .recheck(&current, now)
            .map_err(LicenseError::QuoteStale)?;
        let delta = stored.quote.delta;
        if delta < 0 && view.unassigned() < delta.unsigned_abs() {
            return Err(LicenseError::SeatsAssignedSinceQuote.into());
        }
        if i64::from(view.item.quantity) + i64::from(delta) > i64::from(MAX_ITEM_QUANTITY) {
            return Err(LicenseError::FullSinceQuote.into());
        }

        let before = current.quantity();
        let after =
            u32::try_from(i64::from(before) + i64::from(delta)).map_err(ServiceError::internal)?;
        if delta > 0 {
            insert_unassigned(
                &txn,
                view.item.id,
                view.item.customer_id,
                delta.unsigned_abs(),
                now,
            )
            .await?;
        } else {
            remove_unassigned_seats(&txn, view.item.id, delta.unsigned_abs()).await?;
        }
        subscription_item::Entity::update_many()
            .col_expr(
                subscription_item::Column::Quantity,
                Expr::value(i32::try_from(after).map_err(ServiceError::internal)?),
            )
            .col_expr(subscription_item::Column::UpdatedAt, Expr::value(now))
            .filter(subscription_item::Column::Id.eq(item_id))
            .exec(&txn)
            .await?;
        let invoice = match (&stored.quote.proration_item, stored.quote.addition_charge) {
            (Some(item), AdditionCharge::Immediately) => Some(
                immediate::invoice_addition(
                    &txn,
                    &self.numbering,
                    view.item.customer_id,
                    view.item.subscription_id,
                    item,
                    now,
                )
                .await?,
            ),
            (Some(_), AdditionCharge::NextInvoice) => {
                if let Some(charge) = unbilled_proration(&stored, &view, now)? {
                    unbilled_charge::Entity::insert(charge)
                        .exec_without_returning(&txn)
                        .await?;
                }
                None
            }
            (None, _) => None,
        };

        let applied = AppliedChange {
            quote_id,
            item_id,
            quantity_before: before,
            quantity_after: after,
            applied_at: now,
            invoice,
        };
        let result = serde_json::to_value(&applied).map_err(ServiceError::internal)?;
        quote::Entity::update_many()
            .col_expr(quote::Column::AppliedAt, Expr::value(now))
            .col_expr(quote::Column::Result, Expr::value(result.to_string()))
            .filter(quote::Column::Id.eq(quote_id))
            .exec(&txn)
            .await?;
        key.remember(&txn, APPLY_OPERATION, &input, result, now)
            .await?;
        let q = &stored.quote;
        if !q.credit_to_balance.is_zero() {
            // The quote said how much: exactly that goes to the balance, in this transaction.
            let seats = delta.unsigned_abs();
            ledger::change_balance(
                &txn,
                BalanceChange {
                    customer: view.item.customer_id,
                    delta: q.credit_to_balance,
                    kind: CreditEntryKind::LicenseRemoval,
                    description: format!(
                        "Unused time of {seats} removed {} license{}",
                        q.product_name,
                        if seats == 1 { "" } else { "s" }
                    ),
                    invoice: None,
                    credit_note: None,
                    quote: Some(quote_id),
                    by: Some(actor.user_id),
                    field: "input.quoteId",
                },
                now,
            )
            .await?;
        }
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(view.item.customer_id),
                action: if delta > 0 {
                    "license.add"
                } else {
                    "license.remove"
                },
                subject_type: "subscription_item",
                subject_id: item_id.to_string(),
                before: Some(json!({ "quantity": before })),
                after: Some(json!({
                    "quantity": after,
                    "quote": quote_id.to_string(),
                    "prorated_unit_amount": q.prorated_unit_amount.to_string(),
                    "amount_due_now": q.amount_due_now.to_string(),
                    "amount_next_invoice": q.amount_next_invoice.to_string(),
                    "credit_to_balance": q.credit_to_balance.to_string(),
                })),
            },
        )
        .await?;
        txn.commit(view.item.customer_id).await?;
        Ok((stored, applied))
    }
}

/// Rules that need the seats, not just the price: removals take unassigned seats only, and no
/// item grows past [`MAX_ITEM_QUANTITY`].
fn check_delta(view: &LicenseItemView, delta: i32) -> ServiceResult<()> {
    if delta < 0 && view.unassigned() < delta.unsigned_abs() {
        return Err(LicenseError::RemovesAssignedSeats.into());
    }
    let after = i64::from(view.item.quantity) + i64::from(delta);
    if after > i64::from(MAX_ITEM_QUANTITY) {
        return Err(LicenseError::TooManySeats.into());
    }
    Ok(())
}

/// Deletes `count` unassigned seats, newest first.
async fn remove_unassigned_seats<C: sea_orm::ConnectionTrait>(
    db: &C,
    item: SubscriptionItemId,
    count: u32,
) -> ServiceResult<()> {
    let ids: Vec<LicenseId> = license::Entity::find()
        .select_only()
        .column(license::Column::Id)
        .filter(license::Column::ItemId.eq(item))
        .filter(license::Column::MemberId.is_null())
        .order_by_desc(license::Column::Id)
        .limit(u64::from(count))
        .into_tuple()
        .all(db)
        .await?;
    if ids.len() != count as usize {
        return Err(LicenseError::SeatsAssignedSinceQuote.into());
    }
    // Only still-free seats go: a seat assigned meanwhile makes the removal stale.
    let deleted = license::Entity::delete_many()
        .filter(license::Column::Id.is_in(ids))
        .filter(license::Column::MemberId.is_null())
        .exec(db)
        .await?;
    if deleted.rows_affected != u64::from(count) {
        return Err(LicenseError::SeatsAssignedSinceQuote.into());
    }
    Ok(())
}

/// The proration an applied addition charged on the next invoice leaves for it.
fn unbilled_proration(
    stored: &StoredQuote,
    view: &LicenseItemView,
    now: DateTime<Utc>,
) -> ServiceResult<Option<unbilled_charge::ActiveModel>> {
    let Some(item) = &stored.quote.proration_item else {
        return Ok(None);
    };
    Ok(Some(unbilled_charge::ActiveModel {
        id: Set(ChargeId::new()),
        customer_id: Set(view.item.customer_id),
        subscription_id: Set(view.item.subscription_id),
        item_id: Set(Some(view.item.id)),
        quote_id: Set(Some(stored.row.id)),
        kind: Set(unbilled_charge::ChargeKind::Proration),
        product_name: Set(item.product_name.clone()),
        quantity: Set(item.quantity),
        unit_amount_minor: Set(item
            .prorated_unit_amount
            .to_minor()
            .map_err(|e| ServiceError::internal(e.to_string()))?),
        days: Set(Some(
            i32::try_from(item.remaining_days).map_err(ServiceError::internal)?,
        )),
        currency: Set(stored.row.currency.clone()),
        tax_rate: Set(item.tax_rate.map(|r| r.0.value().to_string())),
        period_start: Set(item.service_period.start()),
        period_end: Set(item.service_period.end()),
        created_at: Set(now),
        invoiced_at: Set(None),
        invoice_id: Set(None),
        licenses: Set(true),
    }))
}

/// The same idempotency key used at the same moment for another request: a conflict, not an
/// internal error.
fn key_conflict(error: sea_orm::DbErr) -> ServiceError {
    on_unique_violation(|| LicenseError::KeyReused.into())(error)
}

fn parse_quote(row: quote::Model) -> ServiceResult<StoredQuote> {
    let quote = serde_json::from_str(&row.quote).map_err(ServiceError::internal)?;
    Ok(StoredQuote { row, quote })
}

fn parse_result(value: serde_json::Value) -> ServiceResult<AppliedChange> {
    serde_json::from_value(value).map_err(ServiceError::internal)
}
