//! Rows to `billing` types. Stored values were validated when written, so a row that does not
//! convert is corrupt data: an internal error, never the caller's fault.

use billing::{
    AdditionCharge, Currency, Interval, IntervalUnit, LicensePolicy, LicensePrice, Period,
    PricingModel, ProrationUnit, StairstepTable, TaxRate, TierSpec, TierTable, Tz, UnitPrice,
};
use entity::{customer, price, product, subscription};
use std::num::NonZeroU64;

use crate::error::{ServiceError, ServiceResult};
use crate::ids::{PriceId, ProductId};

fn corrupt(what: &str, detail: impl std::fmt::Display) -> ServiceError {
    ServiceError::internal(format!("stored {what} is invalid: {detail}"))
}

/// A stored currency code.
pub fn currency(code: &str) -> ServiceResult<Currency> {
    Currency::from_code(code).map_err(|e| corrupt("currency", e))
}

/// An interval unit by name (`day`, `week`, `month`, `quarter`, `year`).
pub fn interval_unit(name: &str) -> Option<IntervalUnit> {
    Some(match name {
        "day" => IntervalUnit::Day,
        "week" => IntervalUnit::Week,
        "month" => IntervalUnit::Month,
        "quarter" => IntervalUnit::Quarter,
        "year" => IntervalUnit::Year,
        _ => return None,
    })
}

/// The stored name of an interval unit.
pub fn interval_unit_name(unit: IntervalUnit) -> &'static str {
    match unit {
        IntervalUnit::Day => "day",
        IntervalUnit::Week => "week",
        IntervalUnit::Month => "month",
        IntervalUnit::Quarter => "quarter",
        IntervalUnit::Year => "year",
    }
}

/// A stored interval.
pub fn interval(unit: &str, count: i32) -> ServiceResult<Interval> {
    let unit = interval_unit(unit).ok_or_else(|| corrupt("interval", unit))?;
    let count = u32::try_from(count).map_err(|e| corrupt("interval count", e))?;
    Interval::new(unit, count).map_err(|e| corrupt("interval", e))
}

/// The pricing model of a stored price.
pub fn pricing_model(price: &price::Model) -> ServiceResult<PricingModel> {
    let amount = || -> ServiceResult<UnitPrice> {
        price
            .unit_amount
            .as_deref()
            .ok_or_else(|| corrupt("price", "missing unit amount"))?
            .parse()
            .map_err(|e| corrupt("unit amount", e))
    };
    let tiers = || -> ServiceResult<Vec<TierSpec>> {
        serde_json::from_str(price.tiers.as_deref().unwrap_or("[]"))
            .map_err(|e| corrupt("tiers", e))
    };
    Ok(match price.model.as_str() {
        "flat" => PricingModel::Flat { amount: amount()? },
        "per_unit" => PricingModel::PerUnit {
            unit_price: amount()?,
        },
        "graduated" => PricingModel::Graduated {
            tiers: TierTable::new(tiers()?).map_err(|e| corrupt("tiers", e))?,
        },
        "volume" => PricingModel::Volume {
            tiers: TierTable::new(tiers()?).map_err(|e| corrupt("tiers", e))?,
        },
        "stairstep" => PricingModel::Stairstep {
            tiers: StairstepTable::new(tiers()?).map_err(|e| corrupt("tiers", e))?,
        },
        "package" => PricingModel::Package {
            block_size: price
                .package_size
                .and_then(|n| u64::try_from(n).ok())
                .and_then(NonZeroU64::new)
                .ok_or_else(|| corrupt("package size", "missing or zero"))?,
            block_price: amount()?,
        },
        other => return Err(corrupt("pricing model", other)),
    })
}

/// The stored name of a pricing model.
pub fn model_name(model: &PricingModel) -> &'static str {
    match model {
        PricingModel::Flat { .. } => "flat",
        PricingModel::PerUnit { .. } => "per_unit",
        PricingModel::Graduated { .. } => "graduated",
        PricingModel::Volume { .. } => "volume",
        PricingModel::Stairstep { .. } => "stairstep",
        PricingModel::Package { .. } => "package",
    }
}

/// A proration unit by name.
pub fn proration_unit(name: &str) -> Option<ProrationUnit> {
    Some(match name {
        "day" => ProrationUnit::Day,
        "second" => ProrationUnit::Second,
        "none" => ProrationUnit::None,
        _ => return None,
    })
}

/// The stored name of a proration unit.
pub fn proration_unit_name(unit: ProrationUnit) -> &'static str {
    match unit {
        ProrationUnit::Day => "day",
        ProrationUnit::Second => "second",
        ProrationUnit::None => "none",
    }
}

/// An addition charge rule by name.
pub fn addition_charge(name: &str) -> Option<AdditionCharge> {
    Some(match name {
        "immediately" => AdditionCharge::Immediately,
        "next_invoice" => AdditionCharge::NextInvoice,
        _ => return None,
    })
}

/// The stored name of an addition charge rule.
pub fn addition_charge_name(rule: AdditionCharge) -> &'static str {
    match rule {
        AdditionCharge::Immediately => "immediately",
        AdditionCharge::NextInvoice => "next_invoice",
    }
}

/// The license rules of a stored price.
pub fn license_policy(price: &price::Model) -> ServiceResult<LicensePolicy> {
    Ok(LicensePolicy {
        proration: proration_unit(&price.proration_unit)
            .ok_or_else(|| corrupt("proration unit", &price.proration_unit))?,
        additions: addition_charge(&price.additions_charged)
            .ok_or_else(|| corrupt("addition rule", &price.additions_charged))?,
        credit_removals: price.credit_removals,
        remove_one_at_a_time: price.remove_one_at_a_time,
        min_quantity: u32::try_from(price.min_quantity).map_err(|e| corrupt("minimum", e))?,
        max_quantity: price
            .max_quantity
            .map(u32::try_from)
            .transpose()
            .map_err(|e| corrupt("maximum", e))?,
    })
}

/// A license price as `billing` quotes it. Only per-unit prices sell licenses.
pub fn license_price(
    price: &price::Model,
    product: &product::Model,
) -> ServiceResult<LicensePrice> {
    let PricingModel::PerUnit { unit_price } = pricing_model(price)? else {
        return Err(corrupt("license price", "licenses are priced per unit"));
    };
    Ok(LicensePrice {
        price_id: PriceId::from(price.id).to_string(),
        version: u32::try_from(price.version).map_err(|e| corrupt("version", e))?,
        product_id: ProductId::from(product.id).to_string(),
        product_name: product.name.clone(),
        unit_price,
        currency: currency(&price.currency)?,
        interval: interval(&price.interval_unit, price.interval_count)?,
        policy: license_policy(price)?,
    })
}

/// The tax rate a customer pays on a price: none if the price is not taxable or the customer
/// has no rate.
pub fn tax_rate(
    customer: &customer::Model,
    price: &price::Model,
) -> ServiceResult<Option<TaxRate>> {
    if !price.taxable {
        return Ok(None);
    }
    customer
        .tax_rate
        .as_deref()
        .map(|rate| {
            rate.parse::<billing::Decimal>()
                .ok()
                .and_then(|d| TaxRate::new(d).ok())
                .ok_or_else(|| corrupt("tax rate", rate))
        })
        .transpose()
}

/// The customer's time zone.
pub fn time_zone(customer: &customer::Model) -> ServiceResult<Tz> {
    customer
        .time_zone
        .parse::<Tz>()
        .map_err(|e| corrupt("time zone", e))
}

/// The current period of a subscription.
pub fn current_period(subscription: &subscription::Model) -> ServiceResult<Period> {
    Period::new(
        subscription.current_period_start,
        subscription.current_period_end,
    )
    .map_err(|e| corrupt("period", e))
}
