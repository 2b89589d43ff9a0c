//! Charges as staff enter them, parsed once at the edge into types that are valid when built:
//! every field is checked here, before anything is read or written, and a bad one answers
//! `BAD_USER_INPUT` naming its path (`input.charges.1.quantity`). What needs the database
//! (the customer's currency, the product, the subscription's start) is checked when the
//! charges are resolved ([`super::rows`]).

use billing::{Decimal, Period, UnitPrice};
use chrono::NaiveDate;
use ids::{CouponId, CustomerId, ProductId, SubscriptionId};

use super::coupon::CouponRef;
use crate::error::{ServiceError, ServiceResult};

/// Most charges in one request.
pub const MAX_CHARGES: usize = 50;
/// Largest quantity of an addon: `billing`'s [`billing::MAX_QUANTITY`], for which its largest
/// unit price keeps every line, and 50 of them taxed at 100 %, inside the `i64` of minor units
/// stored, even in a three-decimal currency (the arithmetic is there).
pub const MAX_QUANTITY: i64 = billing::MAX_QUANTITY;
/// Largest amount of a quick charge (in major units): a unit price like any other, so
/// `billing`'s bound ([`billing::MAX_UNIT_PRICE`]), which also bounds an addon's unit price.
pub const MAX_UNIT_AMOUNT: i64 = billing::MAX_UNIT_PRICE;
/// Most decimals of an addon's quantity (`0.5` hour, `2.125` GB).
pub const MAX_QUANTITY_DECIMALS: u32 = 6;
/// Longest description of a charge (its invoice line).
pub const MAX_DESCRIPTION: usize = 500;
/// Longest purchase order number.
pub const MAX_PO_NUMBER: usize = 100;
/// Longest invoice notes.
pub const MAX_NOTES: usize = 2000;

/// One charge as entered: either an `amount` (a quick charge) or a `product` (an addon of
/// kind `one_off`, with an optional quantity and unit price).
#[derive(Clone, Debug, Default)]
pub struct ChargeEntry {
    /// Line text; an addon's defaults to its product's name.
    pub description: Option<String>,
    /// A quick charge's amount, decimal text in the customer's currency.
    pub amount: Option<String>,
    /// An addon's product.
    pub product: Option<ProductId>,
    /// An addon's quantity, decimal text; 1 when absent.
    pub quantity: Option<String>,
    /// An addon's unit price, decimal text with up to 12 decimals, instead of the product's
    /// price in the customer's currency.
    pub unit_price: Option<String>,
    /// First day of the service period.
    pub service_period_start: Option<NaiveDate>,
    /// First day after the service period.
    pub service_period_end: Option<NaiveDate>,
    /// Whether tax applies; an addon's defaults to its price's, a quick charge's to untaxed.
    pub taxable: Option<bool>,
}

/// Charges for one customer as entered.
#[derive(Clone, Debug)]
pub struct ChargesEntry {
    /// The customer charged.
    pub customer: CustomerId,
    /// The subscription charged, if the charges are on one.
    pub subscription: Option<SubscriptionId>,
    /// The charges, in line order.
    pub charges: Vec<ChargeEntry>,
    /// The customer's purchase order number.
    pub po_number: Option<String>,
    /// Free text for the invoice.
    pub notes: Option<String>,
    /// A one-time coupon for the invoice made now, by its code…
    pub coupon_code: Option<String>,
    /// …or by its id (not both).
    pub coupon_id: Option<CouponId>,
}

/// What a parsed charge bills.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Billed {
    /// A quick charge of this amount (positive, bounded; its decimals are checked against the
    /// customer's currency when resolved).
    Amount(Decimal),
    /// A non-recurring addon.
    Addon {
        /// The product (its kind is checked when resolved).
        product: ProductId,
        /// Positive, bounded, at most [`MAX_QUANTITY_DECIMALS`] decimals.
        quantity: Decimal,
        /// An override of the product's price.
        unit_price: Option<UnitPrice>,
    },
}

/// One charge, every field valid on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCharge {
    /// Its position in the input, for the field paths of later checks.
    pub index: usize,
    /// Trimmed line text, if given.
    pub description: Option<String>,
    /// What it bills.
    pub billed: Billed,
    /// Its service period, `to > from`.
    pub service_period: Option<Period>,
    /// Whether tax applies, if said.
    pub taxable: Option<bool>,
}

/// Charges for one customer, every field valid on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCharges {
    /// The customer charged.
    pub customer: CustomerId,
    /// The subscription charged, if any.
    pub subscription: Option<SubscriptionId>,
    /// One or more charges, at most [`MAX_CHARGES`].
    pub charges: Vec<ParsedCharge>,
    /// Trimmed, non-empty, bounded.
    pub po_number: Option<String>,
    /// Trimmed, non-empty, bounded.
    pub notes: Option<String>,
    /// The coupon for the invoice made now, if one was named (found and checked when the
    /// invoice is built).
    pub coupon: Option<CouponRef>,
}

impl ParsedCharges {
    /// Checks every field of `entry`; the first bad one answers `BAD_USER_INPUT` on its path.
    pub fn parse(entry: &ChargesEntry) -> ServiceResult<Self> {
        if entry.charges.is_empty() || entry.charges.len() > MAX_CHARGES {
            return Err(ServiceError::bad_input(
                "input.charges",
                format!("give 1 to {MAX_CHARGES} charges"),
            ));
        }
        let charges = entry
            .charges
            .iter()
            .enumerate()
            .map(|(index, charge)| parse_charge(index, charge))
            .collect::<ServiceResult<Vec<_>>>()?;
        Ok(Self {
            customer: entry.customer,
            subscription: entry.subscription,
            charges,
            po_number: parse_po_number("input.poNumber", entry.po_number.as_deref())?,
            notes: parse_notes("input.notes", entry.notes.as_deref())?,
            coupon: CouponRef::parse(entry.coupon_code.as_deref(), entry.coupon_id)?,
        })
    }
}

/// The path of a charge's field, as the schema spells it.
pub fn field(index: usize, name: &str) -> String {
    format!("input.charges.{index}.{name}")
}

fn parse_charge(index: usize, c: &ChargeEntry) -> ServiceResult<ParsedCharge> {
    let bad = |name: &str, message: &str| ServiceError::bad_input(field(index, name), message);
    let description = optional_text(
        &field(index, "description"),
        c.description.as_deref(),
        MAX_DESCRIPTION,
    )?;
    let billed = match (&c.amount, c.product) {
        (Some(_), Some(_)) => {
            return Err(bad(
                "amount",
                "give either an amount (a quick charge) or a productId (an addon), not both",
            ));
        }
        (None, None) => {
            return Err(bad(
                "amount",
                "give an amount (a quick charge) or a productId (an addon)",
            ));
        }
        (Some(amount), None) => {
            if c.quantity.is_some() {
                return Err(bad("quantity", "only an addon (productId) has a quantity"));
            }
            if c.unit_price.is_some() {
                return Err(bad(
                    "unitPrice",
                    "only an addon (productId) has a unit price",
                ));
            }
            if description.is_none() {
                return Err(bad("description", "a quick charge needs a description"));
            }
            Billed::Amount(positive_amount(&field(index, "amount"), amount)?)
        }
        (None, Some(product)) => Billed::Addon {
            product,
            quantity: match &c.quantity {
                Some(q) => quantity(&field(index, "quantity"), q)?,
                None => Decimal::ONE,
            },
            unit_price: c
                .unit_price
                .as_deref()
                .map(|p| unit_price(&field(index, "unitPrice"), p))
                .transpose()?,
        },
    };
    let service_period = match (c.service_period_start, c.service_period_end) {
        (None, None) => None,
        (Some(_), None) => {
            return Err(bad(
                "servicePeriodEnd",
                "a service period needs both its start and its end",
            ));
        }
        (None, Some(_)) => {
            return Err(bad(
                "servicePeriodStart",
                "a service period needs both its start and its end",
            ));
        }
        (Some(start), Some(end)) => Some(
            Period::new(start, end)
                .map_err(|_| bad("servicePeriodEnd", "must be after the start"))?,
        ),
    };
    Ok(ParsedCharge {
        index,
        description,
        billed,
        service_period,
        taxable: c.taxable,
    })
}

/// A trimmed text; empty is none; longer than `max` characters is refused on `field`.
/// A purchase order number as entered (a charge's, a customer's, a subscription's): trimmed,
/// at most [`MAX_PO_NUMBER`] characters (`BAD_USER_INPUT` on `field`); blank is none.
pub(crate) fn parse_po_number(field: &str, value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_text(field, value, MAX_PO_NUMBER)
}

/// Invoice notes as entered (a charge's, a customer's, a subscription's): trimmed, at most
/// [`MAX_NOTES`] characters (`BAD_USER_INPUT` on `field`); blank is none.
pub(crate) fn parse_notes(field: &str, value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_text(field, value, MAX_NOTES)
}

fn optional_text(field: &str, value: Option<&str>, max: usize) -> ServiceResult<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(ServiceError::bad_input(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(Some(value.to_owned()))
}

fn decimal(field: &str, text: &str, example: &str) -> ServiceResult<Decimal> {
    Decimal::from_str_exact(text.trim())
        .map_err(|_| ServiceError::bad_input(field, format!("enter a decimal like {example}")))
}

fn positive_amount(field: &str, text: &str) -> ServiceResult<Decimal> {
    let amount = decimal(field, text, "12.50")?;
    if amount <= Decimal::ZERO {
        return Err(ServiceError::bad_input(field, "must be more than zero"));
    }
    if amount > Decimal::from(MAX_UNIT_AMOUNT) {
        return Err(ServiceError::bad_input(
            field,
            format!("must be at most {MAX_UNIT_AMOUNT}"),
        ));
    }
    Ok(amount)
}

fn quantity(field: &str, text: &str) -> ServiceResult<Decimal> {
    let quantity = decimal(field, text, "2.5")?;
    if quantity <= Decimal::ZERO {
        return Err(ServiceError::bad_input(field, "must be more than zero"));
    }
    if quantity > Decimal::from(MAX_QUANTITY) {
        return Err(ServiceError::bad_input(
            field,
            format!("must be at most {MAX_QUANTITY}"),
        ));
    }
    if quantity.normalize().scale() > MAX_QUANTITY_DECIMALS {
        return Err(ServiceError::bad_input(
            field,
            format!("has at most {MAX_QUANTITY_DECIMALS} decimals"),
        ));
    }
    Ok(quantity)
}

/// A unit price, bounded by `billing` ([`UnitPrice::MAX`]).
fn unit_price(field: &str, text: &str) -> ServiceResult<UnitPrice> {
    text.parse()
        .map_err(|e| ServiceError::from_billing(e, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(charges: Vec<ChargeEntry>) -> ChargesEntry {
        ChargesEntry {
            customer: CustomerId::new(),
            subscription: None,
            charges,
            po_number: None,
            notes: None,
            coupon_code: None,
            coupon_id: None,
        }
    }

    fn field_of(result: ServiceResult<ParsedCharges>) -> String {
        match result {
            Err(ServiceError::BadInput { field, .. }) => field,
            Err(other) => panic!("expected a bad input, got {other:?}"),
            Ok(parsed) => panic!("expected a bad input, got {parsed:?}"),
        }
    }

    fn quick(amount: &str) -> ChargeEntry {
        ChargeEntry {
            description: Some("Setup".into()),
            amount: Some(amount.into()),
            ..ChargeEntry::default()
        }
    }

    fn addon(quantity: &str) -> ChargeEntry {
        ChargeEntry {
            product: Some(ProductId::new()),
            quantity: Some(quantity.into()),
            ..ChargeEntry::default()
        }
    }

    #[test]
    fn bounds_are_accepted_at_the_limit_and_refused_one_past_it() {
        let ok = |c: ChargeEntry| ParsedCharges::parse(&entry(vec![c])).is_ok();
        let bad = |c: ChargeEntry| field_of(ParsedCharges::parse(&entry(vec![c])));
        assert!(ok(quick("10000000")));
        assert_eq!(bad(quick("10000000.01")), "input.charges.0.amount");
        assert!(ok(addon("1000000")));
        assert!(ok(addon("0.000001")));
        assert_eq!(bad(addon("1000000.000001")), "input.charges.0.quantity");
        assert_eq!(bad(addon("0.0000001")), "input.charges.0.quantity");
        assert_eq!(bad(addon("0")), "input.charges.0.quantity");
        let priced = |p: &str| ChargeEntry {
            unit_price: Some(p.into()),
            ..addon("1")
        };
        assert!(ok(priced("0.000000000001")));
        assert_eq!(bad(priced("0.0000000000001")), "input.charges.0.unitPrice");
        assert!(ok(priced("10000000")));
        assert_eq!(
            bad(priced("10000000.000000000001")),
            "input.charges.0.unitPrice"
        );
        let many = vec![quick("1"); MAX_CHARGES];
        assert!(ParsedCharges::parse(&entry(many.clone())).is_ok());
        let mut too_many = many;
        too_many.push(quick("1"));
        assert_eq!(
            field_of(ParsedCharges::parse(&entry(too_many))),
            "input.charges"
        );
    }

    #[test]
    fn each_field_is_named_with_its_index() {
        let bad = |c: ChargeEntry| field_of(ParsedCharges::parse(&entry(vec![quick("1"), c])));
        assert_eq!(bad(quick("-1")), "input.charges.1.amount");
        assert_eq!(bad(quick("1e3")), "input.charges.1.amount");
        assert_eq!(
            bad(ChargeEntry {
                description: None,
                ..quick("1")
            }),
            "input.charges.1.description"
        );
        assert_eq!(
            bad(ChargeEntry {
                quantity: Some("2".into()),
                ..quick("1")
            }),
            "input.charges.1.quantity"
        );
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 5, d);
        assert_eq!(
            bad(ChargeEntry {
                service_period_start: day(2),
                service_period_end: day(2),
                ..quick("1")
            }),
            "input.charges.1.servicePeriodEnd"
        );
        assert_eq!(
            bad(ChargeEntry {
                service_period_end: day(2),
                ..quick("1")
            }),
            "input.charges.1.servicePeriodStart"
        );
    }
}
