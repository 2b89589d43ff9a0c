//! Tax shown per rate: an invoice's tax split by the rates of its lines, as the invoice page
//! prints it ("VAT 20 % on €640.00: €128.00").

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::error::Error;
use crate::line::InvoiceLine;
use crate::money::Money;
use crate::unit_price::TaxRate;

/// The tax of one rate on an invoice.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct TaxByRate {
    /// The rate.
    pub rate: TaxRate,
    /// Net amount taxed at this rate: the lines' amounts, discounts included (negative).
    pub taxable: Money,
    /// Tax at this rate: the sum of the lines' own (already rounded) tax.
    pub tax: Money,
}

/// The invoice's tax by rate, lowest rate first; untaxed lines are left out.
///
/// Tax is computed and rounded once per line ([`InvoiceLine::new`]); this only adds the lines'
/// tax up per rate, so the per-rate amounts always add up to the invoice's tax to the cent.
/// Rates are compared by value (`20` and `20.00` are one rate).
pub fn taxes_by_rate(currency: Currency, lines: &[InvoiceLine]) -> Result<Vec<TaxByRate>, Error> {
    let mut by_rate: BTreeMap<Decimal, TaxByRate> = BTreeMap::new();
    for line in lines {
        let Some(rate) = line.tax_rate else { continue };
        let entry = by_rate
            .entry(rate.0.value().normalize())
            .or_insert(TaxByRate {
                rate,
                taxable: Money::zero(currency),
                tax: Money::zero(currency),
            });
        entry.taxable = entry.taxable.checked_add(line.amount)?;
        entry.tax = entry.tax.checked_add(line.tax)?;
    }
    Ok(by_rate.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line::LineKind;
    use rust_decimal::dec;

    fn line(kind: LineKind, minor: i64, rate: Option<Decimal>) -> InvoiceLine {
        InvoiceLine::new(
            kind,
            String::new(),
            None,
            Decimal::ONE,
            None,
            Money::from_minor(minor, Currency::EUR),
            None,
            rate.map(|r| TaxRate::new(r).unwrap()),
            false,
        )
        .unwrap()
    }

    #[test]
    fn two_rates_are_summed_apart_and_add_up_to_the_invoice_tax() {
        // 20 %: €640.00 -> 128.00; €61.87 -> 12.374 -> 12.37; discount −€70.19 -> −14.038 ->
        //   −14.04. Net 631.68, tax 128.00 + 12.37 − 14.04 = 126.33.
        // 5.5 %: €10.01 -> 0.55055 -> 0.55; €3.00 -> 0.165 -> 0.17 (half away from zero).
        //   Net 13.01, tax 0.55 + 0.17 = 0.72 (per line, then summed).
        // Untaxed: €5.00, no rate, left out.
        let lines = vec![
            line(LineKind::Recurring, 64_000, Some(dec!(20))),
            line(LineKind::OneOff, 1_001, Some(dec!(5.5))),
            line(LineKind::Proration, 6_187, Some(dec!(20.00))),
            line(LineKind::OneOff, 300, Some(dec!(5.5))),
            line(LineKind::OneOff, 500, None),
            line(LineKind::Discount, -7_019, Some(dec!(20))),
        ];
        let taxes = taxes_by_rate(Currency::EUR, &lines).unwrap();
        let minor = |m: Money| m.to_minor().unwrap();
        let got: Vec<(Decimal, i64, i64)> = taxes
            .iter()
            .map(|t| (t.rate.0.value(), minor(t.taxable), minor(t.tax)))
            .collect();
        assert_eq!(
            got,
            vec![(dec!(5.5), 1_301, 72), (dec!(20), 63_168, 12_633)]
        );
        let total_tax: i64 = lines.iter().map(|l| minor(l.tax)).sum();
        assert_eq!(total_tax, 72 + 12_633);
    }

    #[test]
    fn an_untaxed_invoice_has_no_tax_rows() {
        let lines = vec![line(LineKind::Recurring, 1_000, None)];
        assert_eq!(taxes_by_rate(Currency::EUR, &lines).unwrap(), Vec::new());
        // An exempt customer's lines carry no rate either.
        let exempt = InvoiceLine::new(
            LineKind::Recurring,
            String::new(),
            None,
            Decimal::ONE,
            None,
            Money::from_minor(1_000, Currency::EUR),
            None,
            Some(TaxRate::new(dec!(20)).unwrap()),
            true,
        )
        .unwrap();
        assert_eq!(taxes_by_rate(Currency::EUR, &[exempt]).unwrap(), Vec::new());
    }
}
