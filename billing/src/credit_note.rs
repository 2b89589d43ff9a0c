//! Credit notes: what crediting part or all of a finalised invoice gives back, line by line,
//! and where it goes (the invoice's amount still due first, the credit balance for the rest).
//!
//! An invoice is never edited once finalised; a credit note is the correction. Each credited
//! line keeps the tax rate of the invoice line, and its tax is computed as the line's own was
//! (`TaxRate::tax_on`), except that crediting what is left of a line gives back exactly the tax
//! left on it: several partial credit notes then add up to the invoice's tax to the cent.

use crate::currency::Currency;
use crate::error::Error;
use crate::line::LineKind;
use crate::money::Money;
use crate::unit_price::TaxRate;

/// An invoice line as a credit note sees it: what it charged and what earlier notes credited.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CreditableLine {
    /// The line's kind: charges can be credited on their own; a whole credit also gives back
    /// discounts (negative); credit-balance lines are never credited (they were a payment).
    pub kind: LineKind,
    /// The line amount before tax.
    pub amount: Money,
    /// The line's tax.
    pub tax: Money,
    /// The line's tax rate.
    pub tax_rate: Option<TaxRate>,
    /// Amount already credited by earlier credit notes.
    pub credited_amount: Money,
    /// Tax already credited by earlier credit notes.
    pub credited_tax: Money,
}

impl CreditableLine {
    fn remaining(&self) -> Result<(Money, Money), Error> {
        Ok((
            self.amount.checked_sub(self.credited_amount)?,
            self.tax.checked_sub(self.credited_tax)?,
        ))
    }
}

/// What to credit.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CreditRequest {
    /// Everything left to credit on the invoice.
    Whole,
    /// These amounts (before tax) of these lines (indexes into the invoice's lines).
    Lines(Vec<(usize, Money)>),
}

/// One credited line.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CreditedLine {
    /// Index of the invoice line credited.
    pub index: usize,
    /// Amount credited before tax.
    pub amount: Money,
    /// Tax credited.
    pub tax: Money,
    /// The invoice line's tax rate.
    pub tax_rate: Option<TaxRate>,
}

/// A computed credit note.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CreditNoteAmounts {
    /// The credited lines, in the order asked (invoice order for a whole credit).
    pub lines: Vec<CreditedLine>,
    /// Sum of the credited amounts.
    pub subtotal: Money,
    /// Sum of the credited tax.
    pub tax: Money,
    /// `subtotal + tax`.
    pub total: Money,
    /// Part of the total that reduces what the invoice still asks for.
    pub applied_to_invoice: Money,
    /// The rest, for the customer's credit balance.
    pub credited_to_balance: Money,
    /// What the invoice still asks for afterwards: `outstanding − applied_to_invoice`.
    pub outstanding_after: Money,
}

/// Computes a credit note for `lines` (the invoice's lines, in order).
///
/// `invoice_total` and `credited_total` (the sum of earlier credit notes) bound the total;
/// `outstanding` is what the invoice still asks for (zero once paid): the credit reduces it
/// first, and the rest goes to the credit balance.
pub fn credit_note(
    currency: Currency,
    lines: &[CreditableLine],
    request: &CreditRequest,
    invoice_total: Money,
    credited_total: Money,
    outstanding: Money,
) -> Result<CreditNoteAmounts, Error> {
    let zero = Money::zero(currency);
    let mut credited = Vec::new();
    match request {
        CreditRequest::Whole => {
            for (index, line) in lines.iter().enumerate() {
                if line.kind == LineKind::Credit {
                    continue;
                }
                let (amount, tax) = line.remaining()?;
                if !amount.is_zero() || !tax.is_zero() {
                    credited.push(CreditedLine {
                        index,
                        amount,
                        tax,
                        tax_rate: line.tax_rate,
                    });
                }
            }
        }
        CreditRequest::Lines(asked) => {
            for (position, &(index, amount)) in asked.iter().enumerate() {
                if amount.currency() != currency {
                    return Err(Error::CurrencyMismatch {
                        expected: currency,
                        found: amount.currency(),
                    });
                }
                let line = lines.get(index).ok_or(Error::NotCreditable {
                    line: position,
                    reason: "no such line on the invoice",
                })?;
                if !line.kind.is_charge() {
                    return Err(Error::NotCreditable {
                        line: position,
                        reason: "only charge lines are credited on their own",
                    });
                }
                if asked[..position].iter().any(|&(i, _)| i == index) {
                    return Err(Error::NotCreditable {
                        line: position,
                        reason: "the line is named twice",
                    });
                }
                if amount.is_negative() || amount.is_zero() {
                    return Err(Error::Negative {
                        what: "credited amount",
                        value: amount.amount(),
                    });
                }
                let (left_amount, left_tax) = line.remaining()?;
                if amount.amount() > left_amount.amount() {
                    return Err(Error::CreditExceedsLine {
                        line: position,
                        requested: amount,
                        remaining: left_amount.max(zero)?,
                    });
                }
                let tax = if amount == left_amount {
                    left_tax
                } else {
                    match line.tax_rate {
                        Some(rate) => rate.tax_on(amount)?.min(left_tax)?,
                        None => zero,
                    }
                };
                credited.push(CreditedLine {
                    index,
                    amount,
                    tax,
                    tax_rate: line.tax_rate,
                });
            }
        }
    }
    let subtotal = Money::sum(currency, credited.iter().map(|l| &l.amount))?;
    let tax = Money::sum(currency, credited.iter().map(|l| &l.tax))?;
    let total = subtotal.checked_add(tax)?;
    if credited.is_empty() || total.is_negative() || total.is_zero() {
        return Err(Error::NothingToCredit);
    }
    let remaining = invoice_total.checked_sub(credited_total)?;
    if total.amount() > remaining.amount() {
        return Err(Error::CreditExceedsInvoice {
            requested: total,
            remaining: remaining.max(zero)?,
        });
    }
    let outstanding = outstanding.max(zero)?;
    let applied_to_invoice = total.min(outstanding)?;
    Ok(CreditNoteAmounts {
        lines: credited,
        subtotal,
        tax,
        total,
        applied_to_invoice,
        credited_to_balance: total.checked_sub(applied_to_invoice)?,
        outstanding_after: outstanding.checked_sub(applied_to_invoice)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn eur(minor: i64) -> Money {
        Money::from_minor(minor, Currency::EUR)
    }

    fn vat20() -> Option<TaxRate> {
        Some(TaxRate::new(dec!(20)).unwrap())
    }

    /// 10 licenses at €64.00 (€640.00 + €128.00 VAT), a 10 % coupon (−€64.00, −€12.80 VAT),
    /// €100.00 of credit applied: total €691.20, amount due €591.20.
    fn invoice() -> Vec<CreditableLine> {
        let line = |kind, amount, tax, rate| CreditableLine {
            kind,
            amount: eur(amount),
            tax: eur(tax),
            tax_rate: rate,
            credited_amount: eur(0),
            credited_tax: eur(0),
        };
        vec![
            line(LineKind::Recurring, 64000, 12800, vat20()),
            line(LineKind::Discount, -6400, -1280, vat20()),
            line(LineKind::Credit, -10000, 0, None),
        ]
    }

    #[test]
    fn a_whole_credit_gives_back_the_total_due_first_then_to_the_balance() {
        let note = credit_note(
            Currency::EUR,
            &invoice(),
            &CreditRequest::Whole,
            eur(69120),
            eur(0),
            eur(59120),
        )
        .unwrap();
        // 640.00 − 64.00 = 576.00 net, 128.00 − 12.80 = 115.20 tax: 691.20, the invoice total.
        assert_eq!(note.subtotal, eur(57600));
        assert_eq!(note.tax, eur(11520));
        assert_eq!(note.total, eur(69120));
        // 591.20 cancels what is due; the 100.00 of credit it used goes back to the balance.
        assert_eq!(note.applied_to_invoice, eur(59120));
        assert_eq!(note.credited_to_balance, eur(10000));
        assert_eq!(note.outstanding_after, eur(0), "nothing left to pay");
        assert_eq!(note.lines.len(), 2, "the credit line is never credited");
    }

    #[test]
    fn partial_credits_add_up_to_the_line_tax_to_the_cent() {
        // €10.01 at 20 % has €2.00 tax (2.002 rounds down). Credit €3.33 three times, then the
        // last €0.02: 0.666 → 0.67 each time, and the last piece takes what is left (−0.01).
        let mut lines = vec![CreditableLine {
            kind: LineKind::OneOff,
            amount: eur(1001),
            tax: eur(200),
            tax_rate: vat20(),
            credited_amount: eur(0),
            credited_tax: eur(0),
        }];
        let mut credited = eur(0);
        let mut taxes = Vec::new();
        for piece in [333, 333, 333, 2] {
            let note = credit_note(
                Currency::EUR,
                &lines,
                &CreditRequest::Lines(vec![(0, eur(piece))]),
                eur(1201),
                credited,
                eur(0),
            )
            .unwrap();
            taxes.push(note.tax);
            credited = credited.checked_add(note.total).unwrap();
            lines[0].credited_amount = lines[0].credited_amount.checked_add(note.subtotal).unwrap();
            lines[0].credited_tax = lines[0].credited_tax.checked_add(note.tax).unwrap();
            assert_eq!(
                note.credited_to_balance, note.total,
                "a paid invoice: all to balance"
            );
        }
        assert_eq!(taxes, vec![eur(67), eur(67), eur(66), eur(0)]);
        assert_eq!(lines[0].credited_tax, eur(200));
        assert_eq!(credited, eur(1201));
        // Nothing is left: a fifth note is refused.
        let more = credit_note(
            Currency::EUR,
            &lines,
            &CreditRequest::Lines(vec![(0, eur(1))]),
            eur(1201),
            credited,
            eur(0),
        );
        assert!(matches!(more, Err(Error::CreditExceedsLine { .. })));
    }

    #[test]
    fn crediting_a_discounted_line_in_full_cannot_exceed_the_invoice() {
        // The recurring line alone is 768.00 with tax, but the invoice total is 691.20.
        let over = credit_note(
            Currency::EUR,
            &invoice(),
            &CreditRequest::Lines(vec![(0, eur(64000))]),
            eur(69120),
            eur(0),
            eur(59120),
        );
        assert_eq!(
            over,
            Err(Error::CreditExceedsInvoice {
                requested: eur(76800),
                remaining: eur(69120)
            })
        );
    }

    #[test]
    fn refusals_name_the_requested_line() {
        let ask = |lines: Vec<(usize, Money)>| {
            credit_note(
                Currency::EUR,
                &invoice(),
                &CreditRequest::Lines(lines),
                eur(69120),
                eur(0),
                eur(0),
            )
        };
        assert!(matches!(
            ask(vec![(0, eur(100)), (1, eur(100))]),
            Err(Error::NotCreditable { line: 1, .. })
        ));
        assert!(matches!(
            ask(vec![(0, eur(100)), (0, eur(100))]),
            Err(Error::NotCreditable { line: 1, .. })
        ));
        assert!(matches!(
            ask(vec![(7, eur(100))]),
            Err(Error::NotCreditable { line: 0, .. })
        ));
        assert!(matches!(
            ask(vec![(0, eur(0))]),
            Err(Error::Negative { .. })
        ));
        assert_eq!(ask(vec![]), Err(Error::NothingToCredit));
    }

    #[test]
    fn three_decimal_currencies_round_to_the_fils() {
        let kwd = |m| Money::from_minor(m, Currency::KWD);
        let lines = [CreditableLine {
            kind: LineKind::Recurring,
            amount: kwd(3704),
            tax: kwd(185),
            tax_rate: Some(TaxRate::new(dec!(5)).unwrap()),
            credited_amount: kwd(0),
            credited_tax: kwd(0),
        }];
        // 1.235 at 5 % = 0.06175 → 0.062.
        let note = credit_note(
            Currency::KWD,
            &lines,
            &CreditRequest::Lines(vec![(0, kwd(1235))]),
            kwd(3889),
            kwd(0),
            kwd(3889),
        )
        .unwrap();
        assert_eq!(note.tax, kwd(62));
        assert_eq!(note.total, kwd(1297));
        assert_eq!(note.applied_to_invoice, kwd(1297));
        // 3.889 due − 1.297 = 2.592 still due.
        assert_eq!(note.outstanding_after, kwd(2592));
    }
}
