//! Catalog rows to `billing` types (and back to stored enums). Stored values were validated when written, so a row that does not
//! convert is corrupt data: an internal error, never the caller's fault.

use billing::{
    AdditionCharge, Currency, Interval, IntervalUnit, LicensePolicy, LicensePrice, PricingModel,
    ProrationUnit, StairstepTable, TierSpec, TierTable, UnitPrice,
};
use entity::price::PricingModelKind;
use entity::{price, product};
use std::num::NonZeroU64;

use crate::error::{ServiceError, ServiceResult};

fn corrupt(what: &str, detail: impl std::fmt::Display) -> ServiceError {
    ServiceError::corrupt(what, detail)
}

/// A stored currency code.
pub fn currency(code: &str) -> ServiceResult<Currency> {
    Currency::from_code(code).map_err(|e| corrupt("currency", e))
}

/// A stored interval unit as `billing` counts it.
pub fn interval_unit(unit: price::IntervalUnit) -> IntervalUnit {
    match unit {
        price::IntervalUnit::Day => IntervalUnit::Day,
        price::IntervalUnit::Week => IntervalUnit::Week,
        price::IntervalUnit::Month => IntervalUnit::Month,
        price::IntervalUnit::Quarter => IntervalUnit::Quarter,
        price::IntervalUnit::Year => IntervalUnit::Year,
    }
}

/// How an interval unit is stored.
pub fn stored_interval_unit(unit: IntervalUnit) -> price::IntervalUnit {
    match unit {
        IntervalUnit::Day => price::IntervalUnit::Day,
        IntervalUnit::Week => price::IntervalUnit::Week,
        IntervalUnit::Month => price::IntervalUnit::Month,
        IntervalUnit::Quarter => price::IntervalUnit::Quarter,
        IntervalUnit::Year => price::IntervalUnit::Year,
    }
}

/// A stored interval.
pub fn interval(unit: price::IntervalUnit, count: i32) -> ServiceResult<Interval> {
    let count = u32::try_from(count).map_err(|e| corrupt("interval count", e))?;
    Interval::new(interval_unit(unit), count).map_err(|e| corrupt("interval", e))
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
    Ok(match price.model {
        PricingModelKind::Flat => PricingModel::Flat { amount: amount()? },
        PricingModelKind::PerUnit => PricingModel::PerUnit {
            unit_price: amount()?,
        },
        PricingModelKind::Graduated => PricingModel::Graduated {
            tiers: TierTable::new(tiers()?).map_err(|e| corrupt("tiers", e))?,
        },
        PricingModelKind::Volume => PricingModel::Volume {
            tiers: TierTable::new(tiers()?).map_err(|e| corrupt("tiers", e))?,
        },
        PricingModelKind::Stairstep => PricingModel::Stairstep {
            tiers: StairstepTable::new(tiers()?).map_err(|e| corrupt("tiers", e))?,
        },
        PricingModelKind::Package => PricingModel::Package {
            block_size: price
                .package_size
                .and_then(|n| u64::try_from(n).ok())
                .and_then(NonZeroU64::new)
                .ok_or_else(|| corrupt("package size", "missing or zero"))?,
            block_price: amount()?,
        },
    })
}

/// How a pricing model is stored (its amounts and tiers go to other columns).
pub fn model_kind(model: &PricingModel) -> PricingModelKind {
    match model {
        PricingModel::Flat { .. } => PricingModelKind::Flat,
        PricingModel::PerUnit { .. } => PricingModelKind::PerUnit,
        PricingModel::Graduated { .. } => PricingModelKind::Graduated,
        PricingModel::Volume { .. } => PricingModelKind::Volume,
        PricingModel::Stairstep { .. } => PricingModelKind::Stairstep,
        PricingModel::Package { .. } => PricingModelKind::Package,
    }
}

/// A stored proration unit as `billing` applies it.
pub fn proration_unit(unit: price::ProrationUnit) -> ProrationUnit {
    match unit {
        price::ProrationUnit::Day => ProrationUnit::Day,
        price::ProrationUnit::Second => ProrationUnit::Second,
        price::ProrationUnit::None => ProrationUnit::None,
    }
}

/// How a proration unit is stored.
pub fn stored_proration_unit(unit: ProrationUnit) -> price::ProrationUnit {
    match unit {
        ProrationUnit::Day => price::ProrationUnit::Day,
        ProrationUnit::Second => price::ProrationUnit::Second,
        ProrationUnit::None => price::ProrationUnit::None,
    }
}

/// A stored addition rule as `billing` applies it.
pub fn addition_charge(rule: price::AdditionsCharged) -> AdditionCharge {
    match rule {
        price::AdditionsCharged::Immediately => AdditionCharge::Immediately,
        price::AdditionsCharged::NextInvoice => AdditionCharge::NextInvoice,
    }
}

/// How an addition rule is stored.
pub fn stored_addition_charge(rule: AdditionCharge) -> price::AdditionsCharged {
    match rule {
        AdditionCharge::Immediately => price::AdditionsCharged::Immediately,
        AdditionCharge::NextInvoice => price::AdditionsCharged::NextInvoice,
    }
}

/// The license rules of a stored price.
pub fn license_policy(price: &price::Model) -> ServiceResult<LicensePolicy> {
    Ok(LicensePolicy {
        proration: proration_unit(price.proration_unit),
        additions: addition_charge(price.additions_charged),
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
        price_id: price.id.to_string(),
        version: u32::try_from(price.version).map_err(|e| corrupt("version", e))?,
        product_id: product.id.to_string(),
        product_name: product.name.clone(),
        unit_price,
        currency: currency(&price.currency)?,
        interval: interval(price.interval_unit, price.interval_count)?,
        policy: license_policy(price)?,
    })
}
