//! Creating charges: "invoice now" (one invoice, numbered and finalised in one transaction),
//! "add to unbilled charges" (stored for the next invoice of a subscription), and the preview of
//! the invoice "invoice now" would create, through the same code, writing nothing.

use billing::{Invoice, Money, build_invoice, local_date};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::invoice::{self, InvoiceStatus};
use entity::{one_off_charge, subscription};
use ids::{ChargeId, CustomerId, InvoiceId, SubscriptionId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::ChargesService;
use super::coupon::ChargeCoupon;
use super::error::ChargeError;
use super::input::{ChargesEntry, ParsedCharges};
use super::rows::{invoice_now_input, named_subscription, resolve};
use super::unbilled::{audit_json, view};
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::accounts::profile::commit_priced;
use crate::services::audit::{self, AuditEntry};
use crate::services::credits;
use crate::services::idempotency::IdempotencyKey;
use crate::services::invoices::finalise::{Finalised, due_date, insert_invoice, invoice_details};
use crate::services::invoices::numbering::DocumentKind;
use crate::services::tenant_state::{self, TenantState};
use crate::services::{accounts, catalog};

const CREATE_OPERATION: &str = "createCharges";

/// When charges are billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Timing {
    /// On an invoice of their own, finalised now.
    InvoiceNow,
    /// On the next invoice of a subscription.
    Unbilled,
}

/// A request to create charges.
#[derive(Clone, Debug)]
pub struct CreateCharges {
    /// The charges as entered.
    pub entry: ChargesEntry,
    /// When they are billed.
    pub timing: Timing,
    /// Charge even though the customer has unpaid invoices.
    pub confirm_unpaid_invoices: bool,
    /// A client key: the same key with the same input returns the first result.
    pub idempotency_key: Option<String>,
}

/// What creating charges did; stored under the idempotency key and replayed on a repeat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedCharges {
    /// The customer charged.
    pub customer: CustomerId,
    /// The invoice finalised, for "invoice now".
    pub invoice: Option<InvoiceId>,
    /// The charges stored, in input order.
    pub charges: Vec<ChargeId>,
    /// For unbilled charges, the subscription whose next invoice takes them.
    pub subscription: Option<SubscriptionId>,
}

/// The invoice "invoice now" would create.
#[derive(Clone, Debug)]
pub struct ChargesPreview {
    /// The day it would be issued (today in the customer's time zone).
    pub issue_date: NaiveDate,
    /// The day it would be due.
    pub due_date: NaiveDate,
    /// Lines and totals.
    pub invoice: Invoice,
    /// The PO number it would carry: the charges' own, else the subscription's, else the
    /// customer's ([`invoice_details`]).
    pub po_number: Option<String>,
    /// The notes it would carry: the customer's, the subscription's and the charges' own.
    pub notes: Option<String>,
    /// The customer's open invoices, if any: creating the charges will ask for a confirmation.
    pub unpaid: Option<UnpaidInvoices>,
}

/// A customer's open invoices, together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnpaidInvoices {
    /// How many.
    pub count: u64,
    /// What they still ask for.
    pub amount_due: Money,
}

/// Charges resolved and the invoice they make, before anything is written.
struct Prepared {
    rows: Vec<one_off_charge::Model>,
    preview: ChargesPreview,
    /// The coupon that discounts it, to be counted when it is created.
    coupon: Option<ChargeCoupon>,
}

/// Resolves the charges for "invoice now" and builds their invoice: the one path of the
/// preview and of the invoice.
async fn prepare_invoice<C: ConnectionTrait>(
    db: &C,
    state: &TenantState,
    parsed: &ParsedCharges,
    now: DateTime<Utc>,
) -> ServiceResult<Prepared> {
    let customer = &state.customer;
    let rows = resolve(db, state, parsed, parsed.subscription, now).await?;
    let issue_date = local_date(now, accounts::rows::time_zone(customer)?);
    let coupon = match &parsed.coupon {
        Some(reference) => {
            let currency = catalog::rows::currency(&customer.currency)?;
            Some(ChargeCoupon::resolve(db, reference, currency, issue_date).await?)
        }
        None => None,
    };
    let coupons = match &coupon {
        Some(coupon) => vec![coupon.applied(catalog::rows::currency(&customer.currency)?)?],
        None => Vec::new(),
    };
    let invoice = build_invoice(&invoice_now_input(
        customer,
        state.tax.as_ref(),
        &rows,
        issue_date,
        coupons,
    )?)
    .map_err(|e| ServiceError::from_billing(e, "input.charges"))?;
    if let Some(coupon) = &coupon {
        coupon.check_discounted(&invoice)?;
    }
    let details = invoice_details(
        customer,
        parsed.subscription.and_then(|s| state.subscription(s)),
        parsed.po_number.as_deref(),
        parsed.notes.as_deref(),
    );
    Ok(Prepared {
        coupon,
        rows,
        preview: ChargesPreview {
            issue_date,
            due_date: due_date(customer, issue_date),
            invoice,
            po_number: details.po_number,
            notes: details.notes,
            unpaid: None,
        },
    })
}

impl ChargesService {
    /// The invoice "invoice now" would create for these charges, built by the same code;
    /// nothing is written (operator staff).
    pub async fn preview(
        &self,
        actor: &Actor,
        entry: &ChargesEntry,
        now: DateTime<Utc>,
    ) -> ServiceResult<ChargesPreview> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let parsed = ParsedCharges::parse(entry)?;
        let db = self.db.reads();
        let customer = super::unbilled::find_customer(db, parsed.customer).await?;
        let state = self.states.of(staff, &customer, "customer").await?;
        let mut preview = prepare_invoice(db, &state, &parsed, now).await?.preview;
        preview.unpaid = unpaid_invoices(db, &state).await?;
        Ok(preview)
    }

    /// Creates the charges (operator staff): invoiced now, or left for the next invoice of a
    /// subscription. Refused with `UNPAID_INVOICES` while the customer has open invoices,
    /// unless confirmed. One transaction; an audit entry per charge.
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        request: &CreateCharges,
        now: DateTime<Utc>,
    ) -> ServiceResult<CreatedCharges> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let parsed = ParsedCharges::parse(&request.entry)?;
        let key = request
            .idempotency_key
            .as_deref()
            .map(|k| IdempotencyKey::new(staff, "input.idempotencyKey", k))
            .transpose()?;
        // What the key vouches for: every parsed field and the timing (not the confirmation,
        // which only lets the first request through).
        let fingerprint = format!("{:?}", (&parsed, request.timing));

        let txn = self.db.begin_tenant_write().await?;
        if let Some(key) = &key
            && let Some(previous) = key.replay(&txn, CREATE_OPERATION, &fingerprint).await?
        {
            return serde_json::from_value(previous).map_err(ServiceError::internal);
        }
        let state = tenant_state::load(&txn, parsed.customer).await?;
        if parsed.po_number.is_some() && request.timing == Timing::Unbilled {
            return Err(ServiceError::bad_input(
                "input.poNumber",
                "a PO number goes on an invoice: invoice now to set one",
            ));
        }
        if parsed.notes.is_some() && request.timing == Timing::Unbilled {
            return Err(ServiceError::bad_input(
                "input.notes",
                "notes go on an invoice: invoice now to set them",
            ));
        }
        if let Some(coupon) = &parsed.coupon
            && request.timing == Timing::Unbilled
        {
            return Err(ChargeError::CouponNeedsInvoiceNow(coupon.field()).into());
        }
        let (rows, invoice, subscription, coupon) = match request.timing {
            Timing::InvoiceNow => {
                let prepared = prepare_invoice(&txn, &state, &parsed, now).await?;
                (prepared.rows, Some(prepared.preview), None, prepared.coupon)
            }
            Timing::Unbilled => {
                let target = unbilled_target(&state, &parsed)?;
                let rows = resolve(&txn, &state, &parsed, Some(target), now).await?;
                (rows, None, Some(target), None)
            }
        };
        if !request.confirm_unpaid_invoices {
            refuse_unpaid(&txn, &state).await?;
        }
        if let Some(coupon) = &coupon {
            coupon.redeem(&txn).await?;
        }

        let customer = &state.customer;
        let mut number = None;
        let invoice_id = match &invoice {
            Some(preview) => {
                let taken = self
                    .numbering
                    .take_next(&txn, DocumentKind::Invoice, preview.issue_date.year())
                    .await?
                    .to_string();
                let id = InvoiceId::new();
                insert_invoice(
                    &txn,
                    &Finalised {
                        customer,
                        // An invoice of charges bills no subscription period (the unique key
                        // on subscription and period start is the billing run's); its charges
                        // keep their subscription.
                        subscription: None,
                        // Charges on a subscription are paid like it.
                        collection_subscription: parsed.subscription,
                        id,
                        number: &taken,
                        tax: state.tax.as_ref(),
                        billing_address: state.billing_address.as_ref(),
                        issue_date: preview.issue_date,
                        invoice: &preview.invoice,
                        po_number: preview.po_number.as_deref(),
                        notes: preview.notes.as_deref(),
                        crashes: None,
                        billing_run: None,
                    },
                )
                .await?;
                credits::ledger::apply_to_invoice(
                    &txn,
                    customer.id,
                    id,
                    &taken,
                    preview.invoice.totals.credits_applied,
                    now,
                )
                .await?;
                number = Some(taken);
                Some(id)
            }
            None => None,
        };
        let rows: Vec<one_off_charge::Model> = rows
            .into_iter()
            .map(|mut row| {
                if invoice_id.is_some() {
                    row.invoiced_at = Some(now);
                    row.invoice_id = invoice_id;
                }
                row
            })
            .collect();
        one_off_charge::Entity::insert_many(
            rows.iter().cloned().map(one_off_charge::ActiveModel::from),
        )
        .exec_without_returning(&txn)
        .await?;
        for row in &rows {
            let mut after = audit_json(&view(customer, state.tax.as_ref(), row.clone())?);
            after["invoice_number"] = json!(number);
            after["coupon"] = json!(coupon.as_ref().map(ChargeCoupon::code));
            audit::record(
                &txn,
                Some(staff),
                request_id,
                AuditEntry {
                    customer: Some(customer.id),
                    action: "charge.create",
                    subject_type: "charge",
                    subject_id: row.id.to_string(),
                    before: None,
                    after: Some(after),
                },
            )
            .await?;
        }
        let created = CreatedCharges {
            customer: customer.id,
            invoice: invoice_id,
            charges: rows.iter().map(|r| r.id).collect(),
            subscription,
        };
        if let Some(key) = &key {
            let result = serde_json::to_value(&created).map_err(ServiceError::internal)?;
            key.remember(&txn, CREATE_OPERATION, &fingerprint, result, now)
                .await
                .map_err(on_unique_violation(|| ServiceError::Conflict {
                    message: "this idempotency key is being used by another request".into(),
                }))?;
        }
        commit_priced(txn, customer).await?;
        Ok(created)
    }
}

/// The subscription whose next invoice takes unbilled charges: the one named, which must be
/// active (a cancelled or paused one has no next invoice to wait for), or else the customer's
/// oldest active subscription. With none, the charges cannot wait: invoice them now.
fn unbilled_target(state: &TenantState, parsed: &ParsedCharges) -> ServiceResult<SubscriptionId> {
    let active = |s: &&subscription::Model| s.status == subscription::SubscriptionStatus::Active;
    match named_subscription(state, parsed)? {
        Some(named) if active(&named) => Ok(named.id),
        Some(_) => Err(ServiceError::bad_input(
            "input.subscriptionId",
            "this subscription is not active, so it has no next invoice: invoice now instead",
        )),
        // Subscriptions are read oldest first (UUIDv7 ids).
        None => state
            .subscriptions
            .iter()
            .find(active)
            .map(|s| s.id)
            .ok_or_else(|| {
                ServiceError::bad_input(
                    "input.timing",
                    "this customer has no active subscription whose next invoice could take \
                     the charges: invoice now instead",
                )
            }),
    }
}

/// The customer's open invoices, if it has any.
async fn unpaid_invoices<C: ConnectionTrait>(
    db: &C,
    state: &TenantState,
) -> ServiceResult<Option<UnpaidInvoices>> {
    let open = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(state.customer.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Open))
        .all(db)
        .await?;
    if open.is_empty() {
        return Ok(None);
    }
    let currency = catalog::rows::currency(&state.customer.currency)?;
    let minor = open.iter().try_fold(0i64, |sum, i| {
        sum.checked_add(crate::services::invoices::owed::owed_minor(i)?)
            .ok_or_else(|| ServiceError::internal("unpaid total overflows"))
    })?;
    Ok(Some(UnpaidInvoices {
        count: open.len() as u64,
        amount_due: Money::from_minor(minor, currency),
    }))
}

/// `UNPAID_INVOICES` when the customer has open invoices, with their count and what they ask
/// for together.
async fn refuse_unpaid<C: ConnectionTrait>(db: &C, state: &TenantState) -> ServiceResult<()> {
    match unpaid_invoices(db, state).await? {
        None => Ok(()),
        Some(unpaid) => Err(ServiceError::UnpaidInvoices {
            count: unpaid.count,
            amount_due: unpaid.amount_due.amount().to_string(),
            currency: unpaid.amount_due.currency().code().to_owned(),
            formatted: unpaid.amount_due.to_string(),
        }),
    }
}
