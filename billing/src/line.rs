//! Invoice lines: what every charge, proration, discount and credit becomes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::money::Money;
use crate::period::Period;
use crate::unit_price::TaxRate;

/// What a line is for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A recurring item for the invoice period (licenses, services, flat fees).
    Recurring,
    /// A prorated part of a period after a quantity change (positive charge or negative credit).
    Proration,
    /// Metered usage or rated calls.
    Usage,
    /// A one-time charge or non-recurring addon.
    OneOff,
    /// A coupon's discount (negative).
    Discount,
    /// Credit balance applied (negative, untaxed).
    Credit,
}

impl LineKind {
    /// Whether the line is a charge counted in the subtotal (not a discount or credit).
    pub fn is_charge(self) -> bool {
        matches!(
            self,
            LineKind::Recurring | LineKind::Proration | LineKind::Usage | LineKind::OneOff
        )
    }
}

/// One invoice line. `amount` is already rounded; `tax` is computed from it and the rate.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// What the line is for.
    pub kind: LineKind,
    /// Text shown to the customer, e.g. "2 ADVANCED licenses at €46.93 each for 22 days".
    pub description: String,
    /// The product the line bills (used by per-product coupons), if any.
    pub product_id: Option<String>,
    /// Quantity (negative for a proration credit).
    pub quantity: Decimal,
    /// Price of one unit when the line has a single one (exact, up to 12 decimals).
    pub unit_amount: Option<Decimal>,
    /// The line amount, rounded to the minor unit, before tax.
    pub amount: Money,
    /// The service period the line pays for.
    pub service_period: Option<Period>,
    /// The tax rate applied, `None` when untaxed (not taxable, or an exempt customer).
    pub tax_rate: Option<TaxRate>,
    /// Tax on `amount`, rounded half away from zero.
    pub tax: Money,
}

impl InvoiceLine {
    /// Builds a line and computes its tax: the only place a line's tax is computed, so a quote's
    /// line and the invoice's line cannot differ. `tax_exempt` drops the rate.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: LineKind,
        description: String,
        product_id: Option<String>,
        quantity: Decimal,
        unit_amount: Option<Decimal>,
        amount: Money,
        service_period: Option<Period>,
        tax_rate: Option<TaxRate>,
        tax_exempt: bool,
    ) -> Result<Self, Error> {
        let tax_rate = if tax_exempt || kind == LineKind::Credit {
            None
        } else {
            tax_rate
        };
        let tax = match tax_rate {
            Some(rate) => rate.tax_on(amount)?,
            None => Money::zero(amount.currency()),
        };
        Ok(Self {
            kind,
            description,
            product_id,
            quantity,
            unit_amount,
            amount,
            service_period,
            tax_rate,
            tax,
        })
    }

    /// `amount + tax`.
    pub fn total(&self) -> Result<Money, Error> {
        self.amount.checked_add(self.tax)
    }
}

/// "1 ADVANCED license at €61.87 for 29 days" / "2 ADVANCED licenses at €46.93 each for 22 days"
/// / "10 ADVANCED licenses at €64.00 each": the unit amount always shows its minor units.
pub fn license_text(count: u64, product_name: &str, unit: Money, days: Option<u32>) -> String {
    let noun = if count == 1 { "license" } else { "licenses" };
    let each = if count == 1 { "" } else { " each" };
    let span = match days {
        Some(1) => " for 1 day".to_owned(),
        Some(d) => format!(" for {d} days"),
        None => String::new(),
    };
    format!("{count} {product_name} {noun} at {unit}{each}{span}")
}

/// "1 × Support at €66.00 for 22 days" / "2 × Support at €7.33 each for 22 days": a prorated
/// item that is not a license, worded like its recurring line ("2 × Support at €10.00 each").
pub fn units_text(count: u64, product_name: &str, unit: Money, days: Option<u32>) -> String {
    let each = if count == 1 { "" } else { " each" };
    let span = match days {
        Some(1) => " for 1 day".to_owned(),
        Some(d) => format!(" for {d} days"),
        None => String::new(),
    };
    format!("{count} × {product_name} at {unit}{each}{span}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use rust_decimal::dec;

    #[test]
    fn ringover_texts() {
        let eur = |m| Money::from_minor(m, Currency::EUR);
        assert_eq!(
            license_text(1, "ADVANCED", eur(6187), Some(29)),
            "1 ADVANCED license at €61.87 for 29 days"
        );
        assert_eq!(
            license_text(2, "ADVANCED", eur(4693), Some(22)),
            "2 ADVANCED licenses at €46.93 each for 22 days"
        );
        assert_eq!(
            license_text(10, "ADVANCED", eur(6400), None),
            "10 ADVANCED licenses at €64.00 each"
        );
        assert_eq!(
            units_text(2, "Support", eur(733), Some(22)),
            "2 × Support at €7.33 each for 22 days"
        );
        assert_eq!(
            units_text(1, "Support", eur(6600), Some(1)),
            "1 × Support at €66.00 for 1 day"
        );
    }

    #[test]
    fn tax_is_computed_on_the_line_and_dropped_for_exempt_customers() {
        let rate = Some(TaxRate::new(dec!(20)).unwrap());
        let amount = Money::from_minor(9386, Currency::EUR);
        let mk = |exempt| {
            InvoiceLine::new(
                LineKind::Proration,
                String::new(),
                None,
                dec!(2),
                None,
                amount,
                None,
                rate,
                exempt,
            )
            .unwrap()
        };
        // 20 % of 93.86 = 18.772 -> 18.77
        assert_eq!(mk(false).tax.to_minor(), Ok(1877));
        assert_eq!(mk(false).total().unwrap().to_minor(), Ok(11263));
        assert!(mk(true).tax.is_zero() && mk(true).tax_rate.is_none());
    }
}
