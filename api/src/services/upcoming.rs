//! Upcoming charges: the invoice the next billing run would build for each subscription,
//! computed by `billing::build_invoice`, the same function the billing run uses.

use std::collections::HashMap;

use billing::{
    BillingCycle, Decimal, Invoice, InvoiceInput, Money, Period, PricingModel, ProrationItem,
    RecurringItem, TaxRate, build_invoice, license_text,
};
use chrono::NaiveDate;
use entity::product::ProductKind;
use entity::{customer, price, product, subscription, subscription_item, unbilled_charge};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::convert;
use super::licenses::with_products;
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::ids::{CustomerId, ProductId};

/// The next invoice of one subscription.
#[derive(Clone, Debug)]
pub struct UpcomingInvoice {
    /// The subscription.
    pub subscription: subscription::Model,
    /// When the invoice will be built.
    pub invoice_date: NaiveDate,
    /// The invoice as it would be built today.
    pub invoice: Invoice,
}

/// Upcoming charges.
#[derive(Clone)]
pub struct UpcomingService {
    db: DatabaseConnection,
}

impl UpcomingService {
    /// A service over `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The next invoice of each active subscription of a customer.
    pub async fn for_customer(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<Vec<UpcomingInvoice>> {
        let scope = actor.authenticated()?.scope();
        let Some(customer) = customer::Entity::find_by_id(customer.uuid())
            .filter(scope.condition(customer::Column::Id))
            .one(&self.db)
            .await?
        else {
            return Err(ServiceError::NotFound { entity: "customer" });
        };
        let subscriptions = subscription::Entity::find()
            .filter(subscription::Column::CustomerId.eq(customer.id))
            .filter(subscription::Column::Status.eq("active"))
            .order_by_asc(subscription::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<_> = subscriptions.iter().map(|s| s.id).collect();
        let rows = subscription_item::Entity::find()
            .filter(subscription_item::Column::SubscriptionId.is_in(ids.clone()))
            .order_by_asc(subscription_item::Column::Id)
            .find_also_related(price::Entity)
            .all(&self.db)
            .await?;
        let items = with_products(&self.db, rows).await?;
        let charges = unbilled_charge::Entity::find()
            .filter(unbilled_charge::Column::SubscriptionId.is_in(ids))
            .filter(unbilled_charge::Column::InvoicedAt.is_null())
            .order_by_asc(unbilled_charge::Column::Id)
            .all(&self.db)
            .await?;
        let products_of_items: HashMap<_, _> = items
            .iter()
            .map(|(i, _, p)| (i.id, ProductId::from(p.id).to_string()))
            .collect();

        subscriptions
            .into_iter()
            .map(|subscription| {
                let mine = |item: &&(subscription_item::Model, price::Model, product::Model)| {
                    item.0.subscription_id == subscription.id
                };
                let recurring = items
                    .iter()
                    .filter(mine)
                    .map(|(item, price, product)| recurring_item(&customer, item, price, product))
                    .collect::<ServiceResult<Vec<_>>>()?;
                let prorations = charges
                    .iter()
                    .filter(|c| c.subscription_id == subscription.id && c.kind == "proration")
                    .map(|c| proration_item(c, &products_of_items))
                    .collect::<ServiceResult<Vec<_>>>()?;
                let invoice = build_invoice(&InvoiceInput {
                    currency: convert::currency(&customer.currency)?,
                    period: next_period(&subscription)?,
                    tax_exempt: customer.tax_rate.is_none(),
                    recurring,
                    prorations,
                    metered: Vec::new(),
                    rated_usage: Vec::new(),
                    one_offs: Vec::new(),
                    coupons: Vec::new(),
                    credit_balance: Money::zero(convert::currency(&customer.currency)?),
                })
                .map_err(|e| ServiceError::internal(e.to_string()))?;
                Ok(UpcomingInvoice {
                    invoice_date: subscription.next_invoice_date,
                    subscription,
                    invoice,
                })
            })
            .collect()
    }
}

/// The period after the current one.
fn next_period(subscription: &subscription::Model) -> ServiceResult<Period> {
    let interval = convert::interval(&subscription.interval_unit, subscription.interval_count)?;
    BillingCycle::new(subscription.anchor_date, interval)
        .period_containing(subscription.current_period_end)
        .map_err(|e| ServiceError::internal(e.to_string()))
}

fn recurring_item(
    customer: &customer::Model,
    item: &subscription_item::Model,
    price: &price::Model,
    product: &product::Model,
) -> ServiceResult<RecurringItem> {
    let model = convert::pricing_model(price)?;
    let currency = convert::currency(&price.currency)?;
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
        product_id: ProductId::from(product.id).to_string(),
        description,
        model,
        quantity: Decimal::from(quantity),
        tax_rate: convert::tax_rate(customer, price)?,
    })
}

fn proration_item(
    charge: &unbilled_charge::Model,
    products_of_items: &HashMap<uuid::Uuid, String>,
) -> ServiceResult<ProrationItem> {
    let currency = convert::currency(&charge.currency)?;
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
    })
}
