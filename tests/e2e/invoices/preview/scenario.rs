//! Generated billing scenarios: a customer in one of four currencies (zero, two and three
//! decimals), a subscription with a license item and a priced service item in any of the six
//! models, seats added and removed on random days, sometimes a one-time charge (an amount or a
//! fractional addon at a 12-decimal price) and a credit balance. A small
//! seeded generator, so a failing scenario is reproduced by its number.

use serde_json::{Value, json};

/// A deterministic generator (SplitMix64): the same seed gives the same scenarios everywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator for scenario `n`.
    pub fn new(n: u64) -> Self {
        Rng(n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xB111_F01D)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent` %.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.between(1, 100) <= percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.between(0, items.len() as u64 - 1)).unwrap_or(0)]
    }
}

/// A currency and how many decimals it has.
#[derive(Clone, Copy, Debug)]
pub struct Currency {
    /// ISO 4217 code.
    pub code: &'static str,
    /// Minor-unit decimals.
    pub decimals: u32,
}

const CURRENCIES: [Currency; 4] = [
    Currency {
        code: "EUR",
        decimals: 2,
    },
    Currency {
        code: "GBP",
        decimals: 2,
    },
    Currency {
        code: "JPY",
        decimals: 0,
    },
    Currency {
        code: "KWD",
        decimals: 3,
    },
];

/// One change of seats at an instant.
#[derive(Clone, Debug)]
pub struct SeatChange {
    /// Day of April 2026 (1–20) and hour, UTC.
    pub day: u32,
    /// Hour of the day.
    pub hour: u32,
    /// Seats added (> 0) or removed (< 0).
    pub delta: i64,
}

/// Everything one scenario creates.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Its number (the seed).
    pub n: u64,
    /// The customer's currency.
    pub currency: Currency,
    /// Tax rate in percent, or none.
    pub tax_rate: Option<&'static str>,
    /// The license seat price, exact decimal text (up to 12 decimals).
    pub seat_price: String,
    /// Whether removals credit unused days.
    pub credit_removals: bool,
    /// Seats at the start.
    pub seats: u32,
    /// The service item's `createPrice` fields (model, amounts, tiers).
    pub service_price: Value,
    /// The service item's quantity.
    pub service_quantity: u32,
    /// `MONTH`, `QUARTER` or `YEAR`, and the count.
    pub interval: (&'static str, u32),
    /// Day of March 2026 the subscription is anchored on (21–31), so every current period
    /// contains 1–20 April, when the seats change.
    pub anchor_day: u32,
    /// Seat changes, in time order.
    pub changes: Vec<SeatChange>,
    /// Credit given before the run, in major units as text, if any.
    pub credit: Option<String>,
    /// A one-time charge left for the next invoice, as `ChargeInput` fields, if any.
    pub one_off: Option<OneOff>,
    /// Where the customer is taxed from (`updateCustomerBillingSettings`), if set: country,
    /// region, exempt. Overrides `tax_rate` once set.
    pub tax_place: Option<(&'static str, Option<&'static str>, bool)>,
    /// A coupon applied before the changes, if any: `createCoupon` fields (the code is added)
    /// and whether it is applied to the subscription (else to the whole organisation).
    pub coupon: Option<(Value, bool)>,
}

/// The tax rates every scenario can be placed under: Germany, Spain and the Canary Islands.
pub const TAX_RATES: [(&str, Option<&str>, &str, &str); 3] = [
    ("DE", None, "VAT DE", "19"),
    ("ES", None, "IVA", "21"),
    ("ES", Some("CN"), "IGIC", "7"),
];

/// A one-time charge for the next invoice.
#[derive(Clone, Debug)]
pub enum OneOff {
    /// A quick charge: an amount, taxable or not.
    Quick {
        /// Decimal text in the currency's minor units.
        amount: String,
        /// Whether tax applies.
        taxable: bool,
    },
    /// An addon: a one-off product, a fractional quantity, a 12-decimal unit price.
    Addon {
        /// Decimal text, up to 6 decimals.
        quantity: String,
        /// Decimal text, up to 12 decimals.
        unit_price: String,
    },
}

/// An amount of `currency` between `lo` and `hi` major units, with its minor units, and now and
/// then up to 12 decimals (unit prices may have them).
fn amount(rng: &mut Rng, currency: Currency, lo: u64, hi: u64, fine: bool) -> String {
    let major = rng.between(lo, hi);
    if fine && rng.chance(25) {
        return format!("{major}.{:012}", rng.between(0, 999_999_999_999));
    }
    match currency.decimals {
        0 => major.to_string(),
        d => format!(
            "{major}.{:0width$}",
            rng.between(0, 10u64.pow(d) - 1),
            width = d as usize
        ),
    }
}

/// A tier table of 2–4 tiers for `model` (stairstep tiers carry a flat fee only).
fn tiers(rng: &mut Rng, currency: Currency, model: &str) -> Value {
    let count = rng.between(2, 4);
    let mut from = 1;
    let mut out = Vec::new();
    for i in 0..count {
        let last = i + 1 == count;
        let to = from + rng.between(2, 20);
        let (unit, fee) = if model == "STAIRSTEP" {
            ("0".to_owned(), amount(rng, currency, 5, 200, false))
        } else {
            let fee = if rng.chance(30) {
                amount(rng, currency, 1, 20, false)
            } else {
                "0".to_owned()
            };
            (amount(rng, currency, 0, 30, true), fee)
        };
        out.push(json!({
            "from": from, "to": if last { Value::Null } else { json!(to) },
            "unitAmount": unit, "flatFee": fee,
        }));
        from = to + 1;
    }
    Value::Array(out)
}

impl Scenario {
    /// Scenario number `n`.
    pub fn generate(n: u64) -> Self {
        let mut rng = Rng::new(n);
        let currency = *rng.pick(&CURRENCIES);
        let tax_rate = *rng.pick(&[None, Some("20"), Some("5.5"), Some("8")]);
        let model = *rng.pick(&[
            "FLAT",
            "PER_UNIT",
            "GRADUATED",
            "VOLUME",
            "STAIRSTEP",
            "PACKAGE",
        ]);
        let service_price = match model {
            "FLAT" | "PER_UNIT" => json!({
                "model": model, "unitAmount": amount(&mut rng, currency, 1, 500, true)
            }),
            "PACKAGE" => json!({
                "model": model, "unitAmount": amount(&mut rng, currency, 1, 100, false),
                "packageSize": rng.between(2, 25)
            }),
            _ => json!({ "model": model, "tiers": tiers(&mut rng, currency, model) }),
        };
        let seats = u32::try_from(rng.between(1, 12)).unwrap_or(1);
        let mut changes = Vec::new();
        let mut day = 1;
        for _ in 0..rng.between(0, 4) {
            day = u32::try_from(rng.between(u64::from(day), 20)).unwrap_or(20);
            let delta = if rng.chance(65) {
                i64::try_from(rng.between(1, 3)).unwrap_or(1)
            } else {
                -1
            };
            changes.push(SeatChange {
                day,
                hour: u32::try_from(rng.between(0, 23)).unwrap_or(0),
                delta,
            });
        }
        Scenario {
            n,
            currency,
            tax_rate,
            seat_price: amount(&mut rng, currency, 1, 120, true),
            credit_removals: rng.chance(50),
            seats,
            service_price,
            service_quantity: u32::try_from(rng.between(1, 60)).unwrap_or(1),
            interval: *rng.pick(&[
                ("MONTH", 1),
                ("MONTH", 1),
                ("MONTH", 2),
                ("QUARTER", 1),
                ("YEAR", 1),
            ]),
            anchor_day: u32::try_from(rng.between(21, 31)).unwrap_or(21),
            changes,
            credit: rng
                .chance(30)
                .then(|| amount(&mut rng, currency, 1, 900, false)),
            one_off: match rng.between(1, 10) {
                1..=2 => Some(OneOff::Quick {
                    amount: amount(&mut rng, currency, 1, 300, false),
                    taxable: rng.chance(70),
                }),
                3..=4 => Some(OneOff::Addon {
                    quantity: format!("{}.{:03}", rng.between(0, 9), rng.between(1, 999)),
                    unit_price: format!(
                        "{}.{:012}",
                        rng.between(0, 99),
                        rng.between(0, 999_999_999_999)
                    ),
                }),
                _ => None,
            },
            tax_place: match rng.between(1, 10) {
                1..=2 => Some(("DE", None, false)),
                3 => Some(("ES", Some("CN"), false)),
                4 => Some(("ES", None, rng.chance(30))),
                5 => Some(("FR", None, false)),
                _ => None,
            },
            coupon: rng.chance(40).then(|| {
                let mut coupon = if rng.chance(50) {
                    json!({ "percentOff": format!("{}.{}", rng.between(1, 60), rng.between(0, 9)) })
                } else {
                    json!({ "amountsOff": [{
                        "currency": currency.code,
                        "amount": amount(&mut rng, currency, 1, 80, false)
                    }] })
                };
                match rng.between(1, 3) {
                    1 => coupon["duration"] = json!("ONCE"),
                    2 => {
                        coupon["duration"] = json!("REPEATING");
                        coupon["durationPeriods"] = json!(rng.between(1, 3));
                    }
                    _ => coupon["duration"] = json!("FOREVER"),
                }
                // The caller fills in the seat product's id for a product-scoped coupon.
                coupon["seatsOnly"] = json!(rng.chance(40));
                (coupon, rng.chance(50))
            }),
        }
    }
}
