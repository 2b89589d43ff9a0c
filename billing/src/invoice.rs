//! Invoice building: one pure function from everything billable in a period to lines and totals.
//!
//! The upcoming-invoice preview and the real invoice both call [`build_invoice`] with the same
//! input, so they agree to the cent by construction.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::coupon::{AppliedCoupon, discount_lines};
use crate::currency::Currency;
use crate::error::Error;
use crate::line::{InvoiceLine, LineKind};
use crate::money::Money;
use crate::period::Period;
use crate::pricing::PricingModel;
use crate::proration::ProrationItem;
use crate::unit_price::{TaxRate, UnitPrice};

/// A recurring item (license seats, a service, a flat fee) billed for the invoice period.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct RecurringItem {
    /// The product billed.
    pub product_id: String,
    /// Line text, e.g. "10 ADVANCED licenses at €64.00 each".
    pub description: String,
    /// How the quantity is priced.
    pub model: PricingModel,
    /// Quantity for the period.
    pub quantity: Decimal,
    /// Tax rate of the price, `None` if not taxable.
    pub tax_rate: Option<TaxRate>,
}

/// A metered total priced with a pricing model (minutes, messages, GB over the usage period).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct MeteredUsage {
    /// The metered product.
    pub product_id: String,
    /// Line text, e.g. "361 minutes".
    pub description: String,
    /// How the total is priced.
    pub model: PricingModel,
    /// The usage this line bills: the period's total, or for late usage (a period already
    /// invoiced) only what arrived since.
    pub quantity: Decimal,
    /// Usage of the same item and period that earlier invoices already billed (zero unless the
    /// period was invoiced before): the line bills the price of the period's whole total less
    /// the price of what was billed, see [`MeteredUsage::amount`].
    #[serde(default)]
    pub already_billed: Decimal,
    /// The period the usage was recorded in (usually the previous one: usage is in arrears).
    pub service_period: Period,
    /// Tax rate, `None` if not taxable.
    pub tax_rate: Option<TaxRate>,
}

impl MeteredUsage {
    /// What this line bills: the period's total priced by the model, rounded to the currency,
    /// less what earlier invoices billed for the same period (the rounded price of
    /// `already_billed`). Tiers apply to the period's whole total, so late usage pays the
    /// tier it lands in, never a tier's fee or a package twice: the lines of one period add
    /// up to the price of its total. Never negative: a late record does not lower what a
    /// period was billed (only a volume price can cost less for more units; no credit is
    /// made for it).
    pub fn amount(&self, currency: Currency) -> Result<Money, Error> {
        let total = self
            .already_billed
            .checked_add(self.quantity)
            .ok_or(Error::Overflow {
                operation: "late usage total",
            })?;
        let whole = Money::round(self.model.amount(total)?, currency);
        if self.already_billed.is_zero() {
            return Ok(whole);
        }
        let billed = Money::round(self.model.amount(self.already_billed)?, currency);
        whole.checked_sub(billed)?.max(Money::zero(currency))
    }
}

/// Usage already rated record by record (calls rated with their number's tariff).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct RatedUsage {
    /// The product (e.g. the number's service).
    pub product_id: String,
    /// Line text, e.g. "Calls: 1,204 calls, 3,611 min".
    pub description: String,
    /// Quantity shown (calls or billed minutes).
    pub quantity: Decimal,
    /// Sum of the records' rounded costs.
    pub amount: Money,
    /// The period the usage was recorded in.
    pub service_period: Period,
    /// Tax rate, `None` if not taxable.
    pub tax_rate: Option<TaxRate>,
}

/// A one-time charge or non-recurring addon.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct OneOffCharge {
    /// The addon product, if any (one-time quick charges have none).
    pub product_id: Option<String>,
    /// Line text.
    pub description: String,
    /// Quantity.
    pub quantity: Decimal,
    /// Price of one.
    pub unit_amount: UnitPrice,
    /// The period the charge is for, if any.
    pub service_period: Option<Period>,
    /// Tax rate, `None` if not taxable.
    pub tax_rate: Option<TaxRate>,
}

impl OneOffCharge {
    /// The charge's invoice line in `currency`: `round(unit_amount × quantity)`, rounded once,
    /// half away from zero, with the line's tax. The one computation of a one-off's amount, so
    /// an unbilled charge listed on its own shows what its invoice line will say.
    ///
    /// 2.5 × €0.123456789012 = €0.30864197253 -> €0.31; in yen, 2.5 × ¥1234.567890123456 =
    /// ¥3086.41972530864 -> ¥3086.
    pub fn line(&self, currency: Currency, tax_exempt: bool) -> Result<InvoiceLine, Error> {
        if self.quantity.is_sign_negative() && !self.quantity.is_zero() {
            return Err(Error::Negative {
                what: "quantity",
                value: self.quantity,
            });
        }
        let exact = self
            .unit_amount
            .value()
            .checked_mul(self.quantity)
            .ok_or(Error::Overflow {
                operation: "one-off charge",
            })?;
        InvoiceLine::new(
            LineKind::OneOff,
            self.description.clone(),
            self.product_id.clone(),
            self.quantity,
            Some(self.unit_amount.value()),
            Money::round(exact, currency),
            self.service_period,
            self.tax_rate,
            tax_exempt,
        )
    }
}

/// Everything billable on one invoice.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct InvoiceInput {
    /// The invoice currency; every amount must be in it.
    pub currency: Currency,
    /// The period the recurring items are billed for.
    pub period: Period,
    /// Whether the customer is tax exempt (no line is taxed).
    pub tax_exempt: bool,
    /// Recurring items for `period`.
    pub recurring: Vec<RecurringItem>,
    /// Pending prorations (from license quotes).
    pub prorations: Vec<ProrationItem>,
    /// Metered totals.
    pub metered: Vec<MeteredUsage>,
    /// Usage rated per record.
    pub rated_usage: Vec<RatedUsage>,
    /// Unbilled one-time charges and addons.
    pub one_offs: Vec<OneOffCharge>,
    /// Coupons on the subscription (inactive ones are ignored).
    pub coupons: Vec<AppliedCoupon>,
    /// The customer's credit balance (≥ 0), applied up to the total.
    pub credit_balance: Money,
}

/// The totals of an invoice.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct InvoiceTotals {
    /// Sum of the charge lines (recurring, proration, usage, one-off).
    pub subtotal: Money,
    /// Sum of the discounts, as a positive amount.
    pub discount: Money,
    /// Sum of every line's tax.
    pub tax: Money,
    /// `subtotal − discount + tax`.
    pub total: Money,
    /// Credit balance used, as a positive amount (≤ total).
    pub credits_applied: Money,
    /// `total − credits_applied`, never below zero.
    pub amount_due: Money,
}

/// A built invoice: lines in display order and totals.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Invoice {
    /// Currency.
    pub currency: Currency,
    /// The billed period.
    pub period: Period,
    /// Charges, then discounts, then the credit line.
    pub lines: Vec<InvoiceLine>,
    /// Totals.
    pub totals: InvoiceTotals,
    /// Codes of the coupons that gave a discount (their `periods_applied` advances on finalising).
    pub coupons_applied: Vec<String>,
}

/// Builds an invoice: the single code path for previews and real invoices.
///
/// Each charge line is rounded once; tax is computed per line (discount lines carry the rate of
/// what they discount); credits are applied up to the total, so `amount_due ≥ 0`. Every line's
/// currency must be the invoice currency (`CurrencyMismatch` otherwise).
pub fn build_invoice(input: &InvoiceInput) -> Result<Invoice, Error> {
    let cur = input.currency;
    let exempt = input.tax_exempt;
    let check = |m: &Money| -> Result<(), Error> {
        if m.currency() == cur {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                expected: cur,
                found: m.currency(),
            })
        }
    };
    let mut lines = Vec::with_capacity(
        input.recurring.len()
            + input.prorations.len()
            + input.metered.len()
            + input.rated_usage.len()
            + input.one_offs.len()
            + 2,
    );
    for r in &input.recurring {
        let amount = Money::round(r.model.amount(r.quantity)?, cur);
        let unit = r.model.unit_price().map(|u| u.value());
        lines.push(InvoiceLine::new(
            LineKind::Recurring,
            r.description.clone(),
            Some(r.product_id.clone()),
            r.quantity,
            unit,
            amount,
            Some(input.period),
            r.tax_rate,
            exempt,
        )?);
    }
    for p in &input.prorations {
        check(&p.prorated_unit_amount)?;
        lines.push(p.line(exempt)?);
    }
    for m in &input.metered {
        let amount = m.amount(cur)?;
        let unit = m.model.unit_price().map(|u| u.value());
        lines.push(InvoiceLine::new(
            LineKind::Usage,
            m.description.clone(),
            Some(m.product_id.clone()),
            m.quantity,
            unit,
            amount,
            Some(m.service_period),
            m.tax_rate,
            exempt,
        )?);
    }
    for u in &input.rated_usage {
        check(&u.amount)?;
        lines.push(InvoiceLine::new(
            LineKind::Usage,
            u.description.clone(),
            Some(u.product_id.clone()),
            u.quantity,
            None,
            u.amount,
            Some(u.service_period),
            u.tax_rate,
            exempt,
        )?);
    }
    for o in &input.one_offs {
        lines.push(o.line(cur, exempt)?);
    }

    for c in &input.coupons {
        if let crate::coupon::CouponDiscount::Amount(a) = c.coupon.discount {
            check(&a)?;
        }
    }
    let (discounts, coupons_applied) = discount_lines(&input.coupons, &lines, cur, exempt)?;
    lines.extend(discounts);

    let subtotal = Money::sum(
        cur,
        lines
            .iter()
            .filter(|l| l.kind.is_charge())
            .map(|l| &l.amount),
    )?;
    let discount = -Money::sum(
        cur,
        lines
            .iter()
            .filter(|l| l.kind == LineKind::Discount)
            .map(|l| &l.amount),
    )?;
    let tax = Money::sum(cur, lines.iter().map(|l| &l.tax))?;
    let total = subtotal.checked_sub(discount)?.checked_add(tax)?;

    check(&input.credit_balance)?;
    let zero = Money::zero(cur);
    let credits_applied = input.credit_balance.max(zero)?.min(total.max(zero)?)?;
    if !credits_applied.is_zero() {
        lines.push(InvoiceLine::new(
            LineKind::Credit,
            "Credit balance applied".into(),
            None,
            Decimal::ONE,
            None,
            -credits_applied,
            None,
            None,
            exempt,
        )?);
    }
    let amount_due = total.checked_sub(credits_applied)?.max(zero)?;
    Ok(Invoice {
        currency: cur,
        period: input.period,
        lines,
        totals: InvoiceTotals {
            subtotal,
            discount,
            tax,
            total,
            credits_applied,
            amount_due,
        },
        coupons_applied,
    })
}

#[cfg(test)]
#[path = "invoice_tests.rs"]
mod tests;
