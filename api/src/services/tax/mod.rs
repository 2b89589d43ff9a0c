//! Tax rates by country and region, and a customer's billing settings (country, region, tax
//! id, exemption, payment terms). Which rate a customer pays is decided here, once: the tenant
//! state resolves it when it is loaded ([`resolve`]), and quotes and invoices read it there.

mod rates;
mod settings;
pub mod terms;

pub use rates::{NewTaxRate, TaxRateFilter, TaxRatesService};
pub use settings::{BillingSettingsChange, BillingSettingsService, payment_terms};
pub use terms::due_date;

use billing::{Decimal, TaxRate};
use entity::{customer, tax_rate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{ServiceError, ServiceResult};

/// The tax a customer pays on taxable prices: the rate and the name invoices show for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerTax {
    /// The rate.
    pub rate: TaxRate,
    /// Its name ("VAT FR"), from the tax rate row.
    pub name: String,
}

/// The customer's tax, read through `db` (the transaction the tenant state is read in).
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    customer: &customer::Model,
) -> ServiceResult<Option<CustomerTax>> {
    Ok(resolve_many(db, std::slice::from_ref(customer))
        .await?
        .pop()
        .flatten())
}

/// The tax of each of `customers`, in their order, read through `db` with one query for all
/// (the billing run resolves a whole batch at once); each is what [`resolve`] answers alone.
pub async fn resolve_many<C: ConnectionTrait>(
    db: &C,
    customers: &[customer::Model],
) -> ServiceResult<Vec<Option<CustomerTax>>> {
    let mut countries: Vec<&str> = customers
        .iter()
        .filter(|c| !c.tax_exempt)
        .filter_map(|c| c.country.as_deref())
        .collect();
    countries.sort_unstable();
    countries.dedup();
    let rates = if countries.is_empty() {
        Vec::new()
    } else {
        tax_rate::Entity::find()
            .filter(tax_rate::Column::Country.is_in(countries))
            .filter(tax_rate::Column::Active.eq(true))
            .all(db)
            .await?
    };
    customers.iter().map(|c| pick(c, &rates)).collect()
}

/// The rate of `customer` among its country's active `rates`: none when exempt; with a
/// country, the rate of (country, region), else of (country, no region), else none; without a
/// country, the legacy rate kept on the customer row from before the rate tables.
pub fn pick(
    customer: &customer::Model,
    rates: &[tax_rate::Model],
) -> ServiceResult<Option<CustomerTax>> {
    if customer.tax_exempt {
        return Ok(None);
    }
    let Some(country) = &customer.country else {
        return customer
            .tax_rate
            .as_deref()
            .map(|text| {
                let rate = parse_rate(text)?;
                Ok(CustomerTax {
                    name: format!("Tax {}%", rate.0.value().normalize()),
                    rate,
                })
            })
            .transpose();
    };
    let of = |region: Option<&String>| {
        rates
            .iter()
            .find(|r| r.active && &r.country == country && r.region.as_ref() == region)
    };
    let found = customer
        .region
        .as_ref()
        .and_then(|region| of(Some(region)))
        .or_else(|| of(None));
    found
        .map(|row| {
            Ok(CustomerTax {
                rate: parse_rate(&row.rate)?,
                name: row.name.clone(),
            })
        })
        .transpose()
}

/// A stored rate: validated when written, so one that does not parse is corrupt data.
fn parse_rate(text: &str) -> ServiceResult<TaxRate> {
    text.parse::<Decimal>()
        .ok()
        .and_then(|d| TaxRate::new(d).ok())
        .ok_or_else(|| ServiceError::corrupt("tax rate", text))
}

/// The names of the customer's tax rates by [`rate_key`], for an invoice's tax by rate.
pub fn names(tax: Option<&CustomerTax>) -> std::collections::BTreeMap<String, String> {
    tax.map(|t| (rate_key(t.rate), t.name.clone()))
        .into_iter()
        .collect()
}

/// The name of `rate` on an invoice: from `names` (the customer's rates when it was built),
/// else "Tax 20%" (a proration quoted under an earlier rate).
pub fn name_of(names: &std::collections::BTreeMap<String, String>, rate: TaxRate) -> String {
    let key = rate_key(rate);
    names
        .get(&key)
        .cloned()
        .unwrap_or_else(|| format!("Tax {key}%"))
}

/// The key a rate is looked up by on an invoice (`20` and `20.00` are one rate).
pub fn rate_key(rate: TaxRate) -> String {
    rate.0.value().normalize().to_string()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use entity::customer::CustomerStatus;
    use ids::{CustomerId, TaxRateId};

    use super::*;

    fn customer(country: Option<&str>, region: Option<&str>, exempt: bool) -> customer::Model {
        customer::Model {
            id: CustomerId::new(),
            name: "Acme".into(),
            company: None,
            email: "a@b.co".into(),
            currency: "EUR".into(),
            time_zone: "Europe/Paris".into(),
            status: CustomerStatus::Active,
            tax_rate: Some("7".into()),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            revision: 0,
            credit_balance_minor: 0,
            country: country.map(Into::into),
            region: region.map(Into::into),
            tax_id: None,
            tax_exempt: exempt,
            payment_terms_days: 0,
            po_number: None,
            invoice_email: None,
            email_invoices: true,
            external_reference: None,
            tags: "[]".into(),
            billing_interval_unit: entity::price::IntervalUnit::Month,
            billing_interval_count: 1,
            invoice_notes: None,
        }
    }

    fn rate(country: &str, region: Option<&str>, name: &str, rate: &str) -> tax_rate::Model {
        tax_rate::Model {
            id: TaxRateId::new(),
            country: country.into(),
            region: region.map(Into::into),
            name: name.into(),
            rate: rate.into(),
            active: true,
            created_at: Utc::now(),
        }
    }

    fn name(c: &customer::Model, rates: &[tax_rate::Model]) -> Option<String> {
        pick(c, rates).ok().flatten().map(|t| t.name)
    }

    #[test]
    fn the_region_wins_then_the_country_then_none() {
        let rates = [
            rate("CA", None, "GST", "5"),
            rate("CA", Some("QC"), "GST+QST", "14.975"),
        ];
        assert_eq!(
            name(&customer(Some("CA"), Some("QC"), false), &rates).as_deref(),
            Some("GST+QST")
        );
        // A region without a rate of its own pays the country's.
        assert_eq!(
            name(&customer(Some("CA"), Some("ON"), false), &rates).as_deref(),
            Some("GST")
        );
        assert_eq!(name(&customer(Some("US"), None, false), &rates), None);
        // Exempt pays none, whatever its country.
        assert_eq!(name(&customer(Some("CA"), Some("QC"), true), &rates), None);
        // Archived rates resolve nobody.
        let archived = [tax_rate::Model {
            active: false,
            ..rate("CA", None, "GST", "5")
        }];
        assert_eq!(name(&customer(Some("CA"), None, false), &archived), None);
    }

    #[test]
    fn a_customer_without_a_country_keeps_its_legacy_rate() {
        let tax = pick(&customer(None, None, false), &[]).ok().flatten();
        assert_eq!(tax.map(|t| t.name).as_deref(), Some("Tax 7%"));
        assert_eq!(pick(&customer(None, None, true), &[]).ok().flatten(), None);
    }
}
