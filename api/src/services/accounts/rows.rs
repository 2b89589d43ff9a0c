//! Customer rows to `billing` types. Stored values were validated when written, so a row that
//! does not convert is corrupt data: an internal error, never the caller's fault.

use billing::{TaxRate, Tz};
use entity::{customer, price};

use crate::error::{ServiceError, ServiceResult};
use crate::services::tax::CustomerTax;

/// The tax rate a customer pays on a price: none if the price is not taxable or the customer
/// pays no tax. `tax` is the customer's resolved tax ([`crate::services::tax::resolve`], held
/// by the tenant state): every quote and invoice asks here.
pub fn tax_rate(tax: Option<&CustomerTax>, price: &price::Model) -> ServiceResult<Option<TaxRate>> {
    Ok(taxable_rate(tax, price.taxable))
}

/// The tax rate a customer pays on a charge that is `taxable` or not (a one-time charge has
/// its own flag and no price): the customer's resolved rate, or none.
pub fn taxable_rate(tax: Option<&CustomerTax>, taxable: bool) -> Option<TaxRate> {
    tax.filter(|_| taxable).map(|t| t.rate)
}

/// The customer's time zone.
pub fn time_zone(customer: &customer::Model) -> ServiceResult<Tz> {
    customer
        .time_zone
        .parse::<Tz>()
        .map_err(|e| ServiceError::corrupt("time zone", e))
}
