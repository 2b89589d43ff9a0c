//! One-off charge rows: resolved from parsed input against the customer, subscription and
//! catalog, and read back as `billing` charges. Every path to an invoice line (preview,
//! "invoice now", upcoming charges, the billing run, the list of unbilled charges) goes through
//! [`one_off_item`], so they cannot disagree.

use std::collections::HashMap;

use billing::{
    AppliedCoupon, Currency, Decimal, InvoiceInput, Money, OneOffCharge, Period, UnitPrice,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::product::ProductKind;
use entity::{customer, one_off_charge, price, product, subscription};
use ids::{ChargeId, InvoiceId, ProductId, SubscriptionId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::input::{Billed, ParsedCharge, ParsedCharges, field};
use crate::db::TenantWrite;
use crate::error::{ServiceError, ServiceResult};
use crate::services::tenant_state::TenantState;
use crate::services::{accounts, catalog};

/// A stored charge as `billing` bills it: its tax rate is the customer's current one when the
/// charge is taxable (as recurring items are taxed at the rate of the day they are billed).
pub fn one_off_item(
    tax: Option<&crate::services::tax::CustomerTax>,
    row: &one_off_charge::Model,
) -> ServiceResult<OneOffCharge> {
    let quantity: Decimal = row
        .quantity
        .parse()
        .map_err(|e| ServiceError::corrupt("charge quantity", e))?;
    let unit_amount: UnitPrice = row
        .unit_amount
        .parse()
        .map_err(|e| ServiceError::corrupt("charge unit amount", e))?;
    let service_period = match (row.period_start, row.period_end) {
        (Some(start), Some(end)) => {
            Some(Period::new(start, end).map_err(|e| ServiceError::corrupt("charge period", e))?)
        }
        _ => None,
    };
    let tax_rate = accounts::rows::taxable_rate(tax, row.taxable);
    Ok(OneOffCharge {
        product_id: row.product_id.map(|p| p.to_string()),
        description: row.description.clone(),
        quantity,
        unit_amount,
        service_period,
        tax_rate,
    })
}

/// The one-offs waiting for the next invoice of `subscription`, as `billing` bills them.
pub(crate) fn one_offs_for(
    state: &TenantState,
    subscription: SubscriptionId,
) -> ServiceResult<Vec<OneOffCharge>> {
    state
        .one_offs
        .iter()
        .filter(|c| c.subscription_id == Some(subscription))
        .map(|c| one_off_item(state.tax.as_ref(), c))
        .collect()
}

/// Marks the one-offs of `subscription` in `state` (exactly those its invoice took) as
/// invoiced by `invoice`, in the finalising transaction. A charge deleted or invoiced since
/// the state was read fails the whole transaction, so the invoice never bills a charge that is
/// gone; the next run reads afresh.
pub(crate) async fn mark_invoiced(
    txn: &TenantWrite,
    state: &TenantState,
    subscription: SubscriptionId,
    invoice: InvoiceId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let taken: Vec<ChargeId> = state
        .one_offs
        .iter()
        .filter(|c| c.subscription_id == Some(subscription))
        .map(|c| c.id)
        .collect();
    if taken.is_empty() {
        return Ok(());
    }
    let marked = one_off_charge::Entity::update_many()
        .col_expr(one_off_charge::Column::InvoicedAt, Expr::value(now))
        .col_expr(one_off_charge::Column::InvoiceId, Expr::value(invoice))
        .filter(one_off_charge::Column::Id.is_in(taken.clone()))
        .filter(one_off_charge::Column::InvoicedAt.is_null())
        .exec(txn)
        .await?;
    if marked.rows_affected != taken.len() as u64 {
        return Err(ServiceError::internal(
            "an unbilled one-off charge changed while its invoice was built",
        ));
    }
    Ok(())
}

/// The invoice "invoice now" builds from `rows`: their lines only, the customer's currency and
/// tax, the one-time coupon given with them if any (`coupons`: none or one, see
/// [`super::coupon`]; the customer's applied coupons are for its subscriptions' invoices), and
/// the customer's credit balance, applied as on every new invoice.
pub fn invoice_now_input(
    customer: &customer::Model,
    tax: Option<&crate::services::tax::CustomerTax>,
    rows: &[one_off_charge::Model],
    issue_date: NaiveDate,
    coupons: Vec<AppliedCoupon>,
) -> ServiceResult<InvoiceInput> {
    let currency = catalog::rows::currency(&customer.currency)?;
    let one_offs = rows
        .iter()
        .map(|r| one_off_item(tax, r))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(InvoiceInput {
        currency,
        period: charges_period(rows, issue_date)?,
        tax_exempt: tax.is_none(),
        recurring: Vec::new(),
        prorations: Vec::new(),
        metered: Vec::new(),
        rated_usage: Vec::new(),
        one_offs,
        coupons,
        credit_balance: Money::from_minor(customer.credit_balance_minor, currency),
    })
}

/// The period an invoice of one-off charges is for: from the earliest start to the latest end
/// of the charges' service periods, or the issue day alone when none has one.
fn charges_period(rows: &[one_off_charge::Model], issue_date: NaiveDate) -> ServiceResult<Period> {
    let start = rows.iter().filter_map(|r| r.period_start).min();
    let end = rows.iter().filter_map(|r| r.period_end).max();
    let (start, end) = match (start, end) {
        (Some(start), Some(end)) => (start, end),
        _ => (
            issue_date,
            issue_date
                .checked_add_days(Days::new(1))
                .ok_or_else(|| ServiceError::internal("issue date out of range"))?,
        ),
    };
    Period::new(start, end).map_err(|e| ServiceError::internal(e.to_string()))
}

/// Resolves parsed charges into rows for `customer` (not yet stored): the subscription named
/// must be the customer's (`NOT_FOUND` otherwise, as for another tenant's) and no service
/// period may start before it; an addon's product must exist (`NOT_FOUND`) and be `one_off`,
/// and without a unit price it takes the product's newest price in the customer's currency; an
/// amount may have no more decimals than the currency. `subscription` is what the rows record
/// (the one whose next invoice takes them, for unbilled charges).
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    state: &TenantState,
    parsed: &ParsedCharges,
    subscription: Option<SubscriptionId>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<one_off_charge::Model>> {
    let customer = &state.customer;
    let currency = catalog::rows::currency(&customer.currency)?;
    let named = named_subscription(state, parsed)?;
    let catalog = Catalog::load(db, parsed, currency).await?;
    parsed
        .charges
        .iter()
        .map(|charge| {
            let i = charge.index;
            if let (Some(sub), Some(period)) = (named, charge.service_period)
                && period.start() < sub.anchor_date
            {
                return Err(ServiceError::bad_input(
                    field(i, "servicePeriodStart"),
                    format!(
                        "must not be before the subscription's start ({})",
                        sub.anchor_date
                    ),
                ));
            }
            let b = billed(charge, &catalog, currency)?;
            Ok(one_off_charge::Model {
                id: ChargeId::new(),
                customer_id: customer.id,
                subscription_id: subscription,
                product_id: b.product,
                description: b.description,
                quantity: b.quantity.to_string(),
                unit_amount: b.unit.to_string(),
                currency: currency.code().to_owned(),
                taxable: b.taxable,
                period_start: charge.service_period.map(|p| p.start()),
                period_end: charge.service_period.map(|p| p.end()),
                created_at: now,
                invoiced_at: None,
                invoice_id: None,
            })
        })
        .collect()
}

/// What one charge bills, with the defaults its product gives.
struct BilledParts {
    product: Option<ProductId>,
    description: String,
    quantity: Decimal,
    unit: UnitPrice,
    taxable: bool,
}

/// A quick charge bills its amount once, untaxed unless said; an addon bills its quantity at
/// the unit price given or else its product's price, described by the product's name and
/// taxed as its price is unless said.
fn billed(
    charge: &ParsedCharge,
    catalog: &Catalog,
    currency: Currency,
) -> ServiceResult<BilledParts> {
    let i = charge.index;
    match &charge.billed {
        Billed::Amount(amount) => {
            Money::new(*amount, currency).map_err(|_| {
                ServiceError::bad_input(
                    field(i, "amount"),
                    format!(
                        "{} amounts have at most {} decimals",
                        currency.code(),
                        currency.minor_units()
                    ),
                )
            })?;
            Ok(BilledParts {
                product: None,
                description: charge.description.clone().unwrap_or_default(),
                quantity: Decimal::ONE,
                unit: UnitPrice::new(*amount)
                    .map_err(|e| ServiceError::from_billing(e, &field(i, "amount")))?,
                taxable: charge.taxable.unwrap_or(false),
            })
        }
        Billed::Addon {
            product,
            quantity,
            unit_price,
        } => {
            let (row, price) = catalog.addon(*product, i)?;
            let unit = match (unit_price, price) {
                (Some(unit), _) => *unit,
                (None, Some(price)) => addon_unit_price(price, i)?,
                (None, None) => {
                    return Err(ServiceError::bad_input(
                        field(i, "productId"),
                        format!(
                            "this product has no {} price: give a unit price",
                            currency.code()
                        ),
                    ));
                }
            };
            Ok(BilledParts {
                product: Some(row.id),
                description: charge
                    .description
                    .clone()
                    .unwrap_or_else(|| row.name.clone()),
                quantity: *quantity,
                unit,
                // Without a price (a unit price given instead), taxable like any product.
                taxable: charge
                    .taxable
                    .unwrap_or_else(|| price.is_none_or(|p| p.taxable)),
            })
        }
    }
}

/// The subscription the input names, which must be the customer's.
pub fn named_subscription<'s>(
    state: &'s TenantState,
    parsed: &ParsedCharges,
) -> ServiceResult<Option<&'s subscription::Model>> {
    parsed
        .subscription
        .map(|id| {
            state.subscription(id).ok_or(ServiceError::NotFound {
                entity: "subscription",
            })
        })
        .transpose()
}

/// The unit price of an addon's stored price: its unit (or flat) amount. Tiered prices have no
/// single unit price: the charge must give one.
fn addon_unit_price(price: &price::Model, index: usize) -> ServiceResult<UnitPrice> {
    match price.model {
        price::PricingModelKind::PerUnit | price::PricingModelKind::Flat => price
            .unit_amount
            .as_deref()
            .ok_or_else(|| ServiceError::corrupt("price", "missing unit amount"))?
            .parse()
            .map_err(|e| ServiceError::corrupt("unit amount", e)),
        _ => Err(ServiceError::bad_input(
            field(index, "unitPrice"),
            "this product's price has tiers: give a unit price",
        )),
    }
}

/// The addon products a request names, with their newest price in the customer's currency.
struct Catalog {
    products: HashMap<ProductId, product::Model>,
    prices: HashMap<ProductId, price::Model>,
}

impl Catalog {
    /// Two queries whatever the number of charges.
    async fn load<C: ConnectionTrait>(
        db: &C,
        parsed: &ParsedCharges,
        currency: Currency,
    ) -> ServiceResult<Self> {
        let ids: Vec<ProductId> = parsed
            .charges
            .iter()
            .filter_map(|c| match c.billed {
                Billed::Addon { product, .. } => Some(product),
                Billed::Amount(_) => None,
            })
            .collect();
        if ids.is_empty() {
            return Ok(Self {
                products: HashMap::new(),
                prices: HashMap::new(),
            });
        }
        let products = product::Entity::find()
            .filter(product::Column::Id.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut prices = HashMap::new();
        // Newest version first: the first seen of each product is the one sold now.
        for price in price::Entity::find()
            .filter(price::Column::ProductId.is_in(ids))
            .filter(price::Column::Currency.eq(currency.code()))
            .order_by_desc(price::Column::Version)
            .all(db)
            .await?
        {
            prices.entry(price.product_id).or_insert(price);
        }
        Ok(Self { products, prices })
    }

    /// The addon's product and price (if it has one in the currency).
    fn addon(
        &self,
        id: ProductId,
        index: usize,
    ) -> ServiceResult<(&product::Model, Option<&price::Model>)> {
        let product = self
            .products
            .get(&id)
            .ok_or(ServiceError::NotFound { entity: "product" })?;
        if product.kind != ProductKind::OneOff {
            return Err(ServiceError::bad_input(
                field(index, "productId"),
                "only a one-off product can be charged as an addon",
            ));
        }
        Ok((product, self.prices.get(&id)))
    }
}
