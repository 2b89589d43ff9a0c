//! Customer rows to `billing` types. Stored values were validated when written, so a row that
//! does not convert is corrupt data: an internal error, never the caller's fault.

use billing::{TaxRate, Tz};
use entity::{customer, price};

use crate::error::{ServiceError, ServiceResult};

/// The tax rate a customer pays on a price: none if the price is not taxable or the customer
/// has no rate.
pub fn tax_rate(
    customer: &customer::Model,
    price: &price::Model,
) -> ServiceResult<Option<TaxRate>> {
    if !price.taxable {
        return Ok(None);
    }
    customer_tax_rate(customer)
}

/// The customer's tax rate, for a taxable charge; none when the customer has no rate.
pub fn customer_tax_rate(customer: &customer::Model) -> ServiceResult<Option<TaxRate>> {
    customer
        .tax_rate
        .as_deref()
        .map(|rate| {
            rate.parse::<billing::Decimal>()
                .ok()
                .and_then(|d| TaxRate::new(d).ok())
                .ok_or_else(|| ServiceError::corrupt("tax rate", rate))
        })
        .transpose()
}

/// The customer's time zone.
pub fn time_zone(customer: &customer::Model) -> ServiceResult<Tz> {
    customer
        .time_zone
        .parse::<Tz>()
        .map_err(|e| ServiceError::corrupt("time zone", e))
}
