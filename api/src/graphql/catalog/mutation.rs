//! Catalog mutations (operator staff).

use std::num::NonZeroU64;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use billing::{
    Currency, Interval, LicensePolicy, PricingModel, StairstepTable, TierSpec, TierTable, UnitPrice,
};

use super::types::{
    AdditionCharge, IntervalUnit, Price, PricingModelKind, Product, ProductKind, ProrationUnit,
    Tier,
};
use crate::error::ServiceError;
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::catalog::{NewPrice, NewProduct};

/// Input of `createProduct`.
#[derive(InputObject)]
pub struct CreateProductInput {
    /// Name on invoices ("ADVANCED").
    pub name: String,
    /// Unique short code (letters, digits, `-`, `_`).
    pub code: String,
    /// Kind of product.
    pub kind: ProductKind,
    /// Longer description.
    pub description: Option<String>,
}

/// Result of `createProduct`.
#[derive(SimpleObject)]
pub struct CreateProductPayload {
    /// The new product.
    pub product: Product,
}

/// License rules of a new price.
#[derive(InputObject)]
pub struct LicenseRulesInput {
    /// How partial periods are prorated (default DAY); on any product's price, also how an
    /// item added, removed or re-quantified within a period is prorated.
    #[graphql(default_with = "ProrationUnit::Day")]
    pub proration_unit: ProrationUnit,
    /// When added licenses are charged (default NEXT_INVOICE; IMMEDIATELY finalises an invoice
    /// with the proration when the change is applied).
    #[graphql(default_with = "AdditionCharge::NextInvoice")]
    pub additions_charged: AdditionCharge,
    /// Whether removing a license credits its unused days, tax included, to the customer's
    /// credit balance (default false); on any product's price, also whether removing the item,
    /// lowering its quantity or cancelling the subscription now credits them.
    #[graphql(default)]
    pub credit_removals: bool,
    /// Whether licenses are removed one at a time (default true).
    #[graphql(default = true)]
    pub remove_one_at_a_time: bool,
    /// Fewest licenses (default 1).
    #[graphql(default = 1)]
    pub min_quantity: u32,
    /// Most licenses, if limited.
    pub max_quantity: Option<u32>,
}

/// Input of `createPrice`: a new version of a product's price.
#[derive(InputObject)]
pub struct CreatePriceInput {
    /// The product (`prod_…`).
    pub product_id: ID,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Unit of the billing interval.
    pub interval: IntervalUnit,
    /// Interval units per period (default 1).
    #[graphql(default = 1)]
    pub interval_count: u32,
    /// Pricing model.
    pub model: PricingModelKind,
    /// Unit (PER_UNIT), flat (FLAT) or package (PACKAGE) amount, exact decimal text with up
    /// to 12 decimals, at most 10000000 (so that pricing never overflows).
    pub unit_amount: Option<String>,
    /// Units per package (PACKAGE).
    pub package_size: Option<u32>,
    /// Tier table (GRADUATED, VOLUME, STAIRSTEP).
    pub tiers: Option<Vec<Tier>>,
    /// Whether tax applies (default true).
    #[graphql(default = true)]
    pub taxable: bool,
    /// License rules, for license products; the proration unit and `creditRemovals` also
    /// apply to other products' items changed within a period.
    pub license: Option<LicenseRulesInput>,
}

/// Result of `createPrice`.
#[derive(SimpleObject)]
pub struct CreatePricePayload {
    /// The new price version.
    pub price: Price,
}

/// Input of `moveSubscriptionsToPrice`.
#[derive(InputObject)]
pub struct MoveSubscriptionsToPriceInput {
    /// The version the subscriptions are on (`price_…`).
    pub from_price_id: ID,
    /// The version they move to (`price_…`): same product, currency and billing interval.
    pub to_price_id: ID,
}

/// Result of `moveSubscriptionsToPrice`.
#[derive(SimpleObject)]
pub struct MoveSubscriptionsToPricePayload {
    /// How many subscription items moved (0 when none was on the version).
    pub moved: u64,
    /// The version they are on now.
    pub price: Price,
}

/// Catalog mutations.
#[derive(Default)]
pub struct CatalogMutation;

#[Object]
impl CatalogMutation {
    /// Creates a product (operator staff).
    async fn create_product(
        &self,
        ctx: &Context<'_>,
        input: CreateProductInput,
    ) -> Result<CreateProductPayload> {
        let product = ctx
            .services()
            .catalog
            .create_product(
                ctx.actor(),
                ctx.request_id(),
                NewProduct {
                    name: input.name,
                    code: input.code,
                    kind: input.kind.into(),
                    description: input.description,
                },
            )
            .await?;
        Ok(CreateProductPayload {
            product: Product(product),
        })
    }

    /// Creates the next version of a product's price; subscriptions keep the version they have
    /// (operator staff).
    async fn create_price(
        &self,
        ctx: &Context<'_>,
        input: CreatePriceInput,
    ) -> Result<CreatePricePayload> {
        let new = parse_price(input)?;
        let price = ctx
            .services()
            .catalog
            .create_price(ctx.actor(), ctx.request_id(), new)
            .await?;
        Ok(CreatePricePayload {
            price: Price(price),
        })
    }

    /// Moves every item of a subscription that is not cancelled from one version of a
    /// product's price to another (operator staff), each move audited on its customer. The
    /// next invoice bills the new version: charges already invoiced stay, usage not yet
    /// invoiced is rated at the new version, an item's own unit price stays. Both versions
    /// must share currency and billing interval (`BAD_USER_INPUT` on `input.toPriceId`).
    async fn move_subscriptions_to_price(
        &self,
        ctx: &Context<'_>,
        input: MoveSubscriptionsToPriceInput,
    ) -> Result<MoveSubscriptionsToPricePayload> {
        let from = parse_id(&input.from_price_id, "input.fromPriceId")?;
        let to = parse_id(&input.to_price_id, "input.toPriceId")?;
        let done = ctx
            .services()
            .catalog
            .move_subscriptions(ctx.actor(), ctx.request_id(), from, to)
            .await?;
        Ok(MoveSubscriptionsToPricePayload {
            moved: done.moved,
            price: Price(done.target),
        })
    }
}

/// Parses the input into a price valid by construction, naming the field at fault.
fn parse_price(input: CreatePriceInput) -> Result<NewPrice, ServiceError> {
    let bad = |field: &str, e: billing::Error| ServiceError::from_billing(e, field);
    let currency = Currency::from_code(&input.currency).map_err(|e| bad("input.currency", e))?;
    let interval = Interval::new(input.interval.into(), input.interval_count)
        .map_err(|e| bad("input.intervalCount", e))?;
    let amount = || -> Result<UnitPrice, ServiceError> {
        input
            .unit_amount
            .as_deref()
            .ok_or_else(|| ServiceError::bad_input("input.unitAmount", "required for this model"))?
            .parse::<UnitPrice>()
            .map_err(|e| bad("input.unitAmount", e))
    };
    let tiers = || -> Result<Vec<TierSpec>, ServiceError> {
        input
            .tiers
            .as_ref()
            .ok_or_else(|| ServiceError::bad_input("input.tiers", "required for this model"))?
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let field = |name: &str| format!("input.tiers.{i}.{name}");
                Ok(TierSpec {
                    from: u64::from(t.from),
                    to: t.to.map(u64::from),
                    unit_price: t
                        .unit_amount
                        .parse()
                        .map_err(|e| bad(&field("unitAmount"), e))?,
                    flat_fee: t.flat_fee.parse().map_err(|e| bad(&field("flatFee"), e))?,
                })
            })
            .collect()
    };
    let model = match input.model {
        PricingModelKind::Flat => PricingModel::Flat { amount: amount()? },
        PricingModelKind::PerUnit => PricingModel::PerUnit {
            unit_price: amount()?,
        },
        PricingModelKind::Graduated => PricingModel::Graduated {
            tiers: TierTable::new(tiers()?).map_err(|e| bad("input.tiers", e))?,
        },
        PricingModelKind::Volume => PricingModel::Volume {
            tiers: TierTable::new(tiers()?).map_err(|e| bad("input.tiers", e))?,
        },
        PricingModelKind::Stairstep => PricingModel::Stairstep {
            tiers: StairstepTable::new(tiers()?).map_err(|e| bad("input.tiers", e))?,
        },
        PricingModelKind::Package => PricingModel::Package {
            block_size: input
                .package_size
                .and_then(|n| NonZeroU64::new(u64::from(n)))
                .ok_or_else(|| {
                    ServiceError::bad_input("input.packageSize", "a package holds at least 1 unit")
                })?,
            block_price: amount()?,
        },
    };
    let policy = input
        .license
        .map_or_else(LicensePolicy::default, |rules| LicensePolicy {
            proration: match rules.proration_unit {
                ProrationUnit::Day => billing::ProrationUnit::Day,
                ProrationUnit::Second => billing::ProrationUnit::Second,
                ProrationUnit::None => billing::ProrationUnit::None,
            },
            additions: match rules.additions_charged {
                AdditionCharge::Immediately => billing::AdditionCharge::Immediately,
                AdditionCharge::NextInvoice => billing::AdditionCharge::NextInvoice,
            },
            credit_removals: rules.credit_removals,
            remove_one_at_a_time: rules.remove_one_at_a_time,
            min_quantity: rules.min_quantity,
            max_quantity: rules.max_quantity,
        });
    Ok(NewPrice {
        product: parse_id(&input.product_id, "input.productId")?,
        currency,
        interval,
        model,
        taxable: input.taxable,
        policy,
    })
}
