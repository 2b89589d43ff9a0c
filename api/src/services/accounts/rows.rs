//! Customer rows to `billing` types. Stored values were validated when written, so a row that
//! does not convert is corrupt data: an internal error, never the caller's fault.

use billing::{TaxRate, Tz};
use entity::{customer, price};

use crate::services::tax::CustomerTax;

use crate::error::{ServiceError, ServiceResult};

/// The tax rate a customer pays on a price: none if the price is not taxable or the customer
/// pays no tax. `tax` is the customer's resolved tax ([`crate::services::tax::resolve`], held
/// by the tenant state): every quote and invoice asks here.
pub fn tax_rate(tax: Option<&CustomerTax>, price: &price::Model) -> ServiceResult<Option<TaxRate>> {
    Ok(tax.filter(|_| price.taxable).map(|t| t.rate))
}

/// The customer's time zone.
pub fn time_zone(customer: &customer::Model) -> ServiceResult<Tz> {
    customer
        .time_zone
        .parse::<Tz>()
        .map_err(|e| ServiceError::corrupt("time zone", e))
}
