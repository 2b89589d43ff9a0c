//! Upcoming charges: the invoice the next billing run would build for each subscription,
//! computed by `billing::build_invoice`, the same function the billing run uses.

use std::collections::HashMap;

use billing::{
    BillingCycle, Decimal, Invoice, InvoiceInput, MeteredUsage, Money, Period, PricingModel,
    ProrationItem, RatedUsage, RecurringItem, TaxRate, build_invoice, late_usage_text,
    license_text,
};
use chrono::NaiveDate;
use entity::product::ProductKind;
use entity::{customer, price, product, subscription, subscription_item, unbilled_charge};

use super::arrears::{self, Arrears};
use crate::auth::Actor;
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use crate::services::numbers::invoicing::CallTotal;
use crate::services::tenant_state::{TenantState, TenantStates};
use crate::services::usage::invoicing::UsageTotal;
use crate::services::{accounts, catalog, charges, coupons, subscriptions};
use ids::SubscriptionItemId;

/// The next invoice of one subscription.
#[derive(Clone, Debug)]
pub struct UpcomingInvoice {
    /// The subscription.
    pub subscription: subscription::Model,
    /// When the invoice will be built.
    pub invoice_date: NaiveDate,
    /// The invoice as it would be built today.
    pub invoice: Invoice,
    /// The names of the customer's tax rates by rate (`"20"` -> `"VAT FR"`), for tax shown
    /// per rate.
    pub tax_names: std::collections::BTreeMap<String, String>,
    /// The PO number and notes the invoice will carry (the customer's and the subscription's,
    /// by [`super::finalise::invoice_details`]); the billing run finalises exactly these.
    pub details: super::finalise::InvoiceDetails,
}

/// Upcoming charges.
#[derive(Clone)]
pub struct UpcomingService {
    db: Db,
    states: TenantStates,
}

impl UpcomingService {
    /// A service reading tenant states through `states`, and usage (never cached: it grows
    /// without bound and does not bump the revision) from `db`.
    pub fn new(db: Db, states: TenantStates) -> Self {
        Self { db, states }
    }

    /// The next invoice of each active subscription of a customer, from the customer's state
    /// at the revision of `customer` (a row read in this request). Another tenant answers
    /// `NOT_FOUND`.
    pub async fn for_customer(
        &self,
        actor: &Actor,
        customer: &customer::Model,
    ) -> ServiceResult<Vec<UpcomingInvoice>> {
        let state = self
            .states
            .of(actor.authenticated()?, customer, "customer")
            .await?;
        let arrears = arrears::read_all(self.db.reads(), &state).await?;
        upcoming_invoices(&state, &arrears)
    }
}

/// The next invoice of each billed (active or trialing) subscription in a tenant's state, in
/// the order the billing run builds them ([`billing_order`]): each from the state the ones
/// before it leave, so that credit one invoice uses, or a coupon it uses up, is not shown again
/// on the next. Listed in the state's order (oldest subscription first).
fn upcoming_invoices(
    state: &TenantState,
    arrears: &HashMap<ids::SubscriptionId, Arrears>,
) -> ServiceResult<Vec<UpcomingInvoice>> {
    let mut order: Vec<&subscription::Model> = state
        .subscriptions
        .iter()
        .filter(|s| subscriptions::rows::is_billed(s))
        .collect();
    order.sort_by_key(|s| billing_order(s));
    // What the invoices before change: the credit balance and the coupons' counts.
    let mut left = state.clone();
    let mut upcoming = Vec::with_capacity(order.len());
    for subscription in order {
        let next = next_invoice(
            &left,
            subscription,
            arrears.get(&subscription.id).unwrap_or(&Arrears::default()),
        )?;
        left.customer.credit_balance_minor -= next
            .invoice
            .totals
            .credits_applied
            .to_minor()
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        for applied in left.coupons.iter_mut().filter(|c| {
            c.covers(subscription.id) && next.invoice.coupons_applied.contains(&c.coupon.code)
        }) {
            applied.redemption.periods_applied += 1;
        }
        // A last invoice with nothing pending is no invoice: the subscription just ends.
        if !next.invoice.lines.is_empty() {
            upcoming.push(next);
        }
    }
    upcoming.sort_by_key(|u| u.subscription.id);
    Ok(upcoming)
}

/// The order a customer's invoices are built in, by the billing run as by upcoming charges:
/// next invoice date, then subscription id (the run's due order).
pub(crate) fn billing_order(
    subscription: &subscription::Model,
) -> (NaiveDate, ids::SubscriptionId) {
    (subscription.next_invoice_date, subscription.id)
}

/// The invoice of `subscription` for the period after its current one, from a tenant's state:
/// recurring items in advance for that period, and the prorations and one-off charges waiting
/// for it; a subscription cancelled at the end of its period gets a last invoice of what is
/// pending only. `arrears` is the subscription's metered usage and calls not yet invoiced, summed
/// per item or number and service period ([`arrears`]), billed in arrears. The billing run finalises
/// exactly this, so upcoming charges and the invoice agree by construction.
pub(crate) fn next_invoice(
    state: &TenantState,
    subscription: &subscription::Model,
    arrears: &Arrears,
) -> ServiceResult<UpcomingInvoice> {
    let customer = &state.customer;
    let currency = catalog::rows::currency(&customer.currency)?;
    let products_of_items: HashMap<_, _> = state
        .items
        .iter()
        .map(|i| (i.item.id, i.product.id.to_string()))
        .collect();
    // The last invoice of a subscription cancelled at the end of its period bills no new period:
    // only what is pending, for the period that ends.
    let ending = subscriptions::rows::ends_at_next_invoice(subscription);
    let period = if ending {
        subscriptions::rows::current_period(subscription)?
    } else {
        next_period(subscription)?
    };
    let recurring = state
        .items
        .iter()
        .filter(|i| {
            !ending
                && i.item.subscription_id == subscription.id
                && i.product.kind != ProductKind::Metered
        })
        .map(|i| recurring_item(state, &i.item, &i.price, &i.product))
        .collect::<ServiceResult<Vec<_>>>()?;
    let prorations = state
        .unbilled
        .iter()
        .filter(|c| {
            c.subscription_id == subscription.id && c.kind == unbilled_charge::ChargeKind::Proration
        })
        .map(|c| proration_item(c, &products_of_items))
        .collect::<ServiceResult<Vec<_>>>()?;
    let invoice = build_invoice(&InvoiceInput {
        currency,
        period,
        tax_exempt: state.tax.is_none(),
        recurring,
        prorations,
        metered: arrears
            .metered
            .iter()
            .filter(|u| !u.quantity.is_zero())
            .map(|u| metered_usage(state, u))
            .collect::<ServiceResult<Vec<_>>>()?,
        rated_usage: arrears
            .calls
            .iter()
            .map(|c| rated_calls(state, c))
            .collect::<ServiceResult<Vec<_>>>()?,
        one_offs: charges::rows::one_offs_for(state, subscription.id)?,
        coupons: coupons::rows::for_subscription(state, subscription.id, currency)?,
        credit_balance: Money::from_minor(customer.credit_balance_minor, currency),
    })
    .map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(UpcomingInvoice {
        invoice_date: subscription.next_invoice_date,
        subscription: subscription.clone(),
        invoice,
        tax_names: crate::services::tax::names(state.tax.as_ref()),
        details: super::finalise::invoice_details(customer, Some(subscription), None, None),
    })
}

/// The period after the current one.
pub(crate) fn next_period(subscription: &subscription::Model) -> ServiceResult<Period> {
    let interval =
        catalog::rows::interval(subscription.interval_unit, subscription.interval_count)?;
    BillingCycle::new(subscription.anchor_date, interval)
        .period_containing(subscription.current_period_end)
        .map_err(|e| ServiceError::internal(e.to_string()))
}

fn recurring_item(
    state: &TenantState,
    item: &subscription_item::Model,
    price: &price::Model,
    product: &product::Model,
) -> ServiceResult<RecurringItem> {
    let model = subscriptions::rows::item_model(item, price)?;
    let currency = catalog::rows::currency(&price.currency)?;
    let quantity = u64::try_from(item.quantity).unwrap_or(0);
    let description = match (&model, product.kind) {
        (PricingModel::PerUnit { unit_price }, ProductKind::License) => license_text(
            quantity,
            &product.name,
            Money::round(unit_price.value(), currency),
            None,
        ),
        (PricingModel::PerUnit { unit_price }, _) => format!(
            "{quantity} × {} at {} each",
            product.name,
            Money::round(unit_price.value(), currency)
        ),
        _ => format!("{quantity} × {}", product.name),
    };
    Ok(RecurringItem {
        product_id: product.id.to_string(),
        description,
        model,
        quantity: Decimal::from(quantity),
        tax_rate: accounts::rows::tax_rate(state.tax.as_ref(), price)?,
    })
}

/// A metered item's usage over one service period, priced on the period's total by the item's
/// model (for late usage: the whole total less what earlier invoices billed for the period),
/// its line text showing the tier breakdown.
fn metered_usage(state: &TenantState, total: &UsageTotal) -> ServiceResult<MeteredUsage> {
    let i = state
        .items
        .iter()
        .find(|i| i.item.id == total.item)
        .ok_or_else(|| ServiceError::internal("usage of an item not in the state"))?;
    let model = subscriptions::rows::item_model(&i.item, &i.price)?;
    let currency = catalog::rows::currency(&i.price.currency)?;
    let description = late_usage_text(
        &i.product.name,
        total.quantity,
        total.already_billed,
        &model,
        currency,
    )
    .map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(MeteredUsage {
        product_id: i.product.id.to_string(),
        description,
        model,
        quantity: total.quantity,
        already_billed: total.already_billed,
        service_period: total.period,
        tax_rate: accounts::rows::tax_rate(state.tax.as_ref(), &i.price)?,
    })
}

/// A number's calls over one service period: the line of the item renting the number (its
/// product and tax rate), the sum of the calls' costs.
fn rated_calls(state: &TenantState, total: &CallTotal) -> ServiceResult<RatedUsage> {
    let i = state
        .items
        .iter()
        .find(|i| i.item.id == total.item)
        .ok_or_else(|| {
            ServiceError::internal("calls of a number whose item is not in the state")
        })?;
    Ok(total.summary.into_line(
        i.product.id.to_string(),
        &total.e164,
        total.period,
        accounts::rows::tax_rate(state.tax.as_ref(), &i.price)?,
    ))
}

fn proration_item(
    charge: &unbilled_charge::Model,
    products_of_items: &HashMap<SubscriptionItemId, String>,
) -> ServiceResult<ProrationItem> {
    let currency = catalog::rows::currency(&charge.currency)?;
    let tax_rate = charge
        .tax_rate
        .as_deref()
        .map(|r| {
            r.parse::<Decimal>()
                .ok()
                .and_then(|d| TaxRate::new(d).ok())
                .ok_or_else(|| ServiceError::internal(format!("stored tax rate {r} is invalid")))
        })
        .transpose()?;
    Ok(ProrationItem {
        product_id: charge
            .item_id
            .and_then(|id| products_of_items.get(&id).cloned())
            .unwrap_or_default(),
        product_name: charge.product_name.clone(),
        quantity: charge.quantity,
        prorated_unit_amount: Money::from_minor(charge.unit_amount_minor, currency),
        remaining_days: u32::try_from(charge.days.unwrap_or(0)).unwrap_or(0),
        service_period: Period::new(charge.period_start, charge.period_end)
            .map_err(|e| ServiceError::internal(e.to_string()))?,
        tax_rate,
        licenses: charge.licenses,
    })
}
