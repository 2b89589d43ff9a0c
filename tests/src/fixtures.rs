//! Fixtures as builders (crates.io's `CrateBuilder`): a test names what matters to it and
//! leaves the rest to defaults, instead of a row of positional arguments nobody can read.
//!
//! ```ignore
//! let acme = LicenseItemFixture::for_organisation("Acme Telecom")
//!     .unit_price("64")
//!     .seats(2)
//!     .at(APRIL_2)
//!     .create(&app)
//!     .await;
//! ```

use api::seed::DEMO_ORGANISATIONS;
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::TestApp;

/// The ids of a license item staff made for a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseItemIds {
    /// The organisation (`cus_…`).
    pub customer: String,
    /// The subscription (`sub_…`).
    pub subscription: String,
    /// The license item (`si_…`).
    pub item: String,
}

/// Operator staff create a license product (an ADVANCED-style per-seat price, charged on the
/// next invoice and prorated by day) and subscribe a demo organisation to it.
///
/// Defaults: the organisation's demo currency and seat price (Acme: EUR 64, Globex: GBP 25),
/// one seat, product "ADVANCED", monthly periods anchored on 1 April 2026, and the business
/// clock untouched.
#[derive(Clone, Debug)]
#[must_use = "a fixture does nothing until `.create(&app)`"]
pub struct LicenseItemFixture {
    organisation: String,
    currency: String,
    unit_price: String,
    seats: u32,
    product: String,
    anchor_date: String,
    now: Option<DateTime<Utc>>,
    credit_removals: bool,
    immediately: bool,
}

impl LicenseItemFixture {
    /// A license item for the demo organisation named `organisation`.
    pub fn for_organisation(organisation: &str) -> Self {
        let demo = DEMO_ORGANISATIONS
            .iter()
            .find(|o| o.name == organisation)
            .unwrap_or_else(|| panic!("no demo organisation named {organisation}"));
        let (_, _, seat_price) = demo.license;
        Self {
            organisation: organisation.to_owned(),
            currency: demo.currency.to_owned(),
            unit_price: seat_price.to_owned(),
            seats: 1,
            product: "ADVANCED".to_owned(),
            anchor_date: "2026-04-01".to_owned(),
            now: None,
            credit_removals: false,
            immediately: false,
        }
    }

    /// The price's ISO 4217 currency.
    pub fn currency(mut self, currency: &str) -> Self {
        self.currency = currency.to_owned();
        self
    }

    /// The price of one seat for a month, as decimal text.
    pub fn unit_price(mut self, amount: &str) -> Self {
        self.unit_price = amount.to_owned();
        self
    }

    /// Seats subscribed.
    pub fn seats(mut self, seats: u32) -> Self {
        self.seats = seats;
        self
    }

    /// The product's name, which the invoice lines repeat ("2 ADVANCED licenses at …").
    pub fn product(mut self, name: &str) -> Self {
        self.product = name.to_owned();
        self
    }

    /// The first day of the subscription's periods (`YYYY-MM-DD`).
    pub fn anchor_date(mut self, date: &str) -> Self {
        self.anchor_date = date.to_owned();
        self
    }

    /// Removing a seat credits its unused days to the credit balance (the price's rule).
    pub fn credit_removals(mut self) -> Self {
        self.credit_removals = true;
        self
    }

    /// Added seats are charged at once, on an invoice of their own (the price's rule).
    pub fn charged_immediately(mut self) -> Self {
        self.immediately = true;
        self
    }

    /// Pins the server's business clock at `rfc3339` before creating anything, so the quotes
    /// and prorations that follow are reproducible.
    pub fn at(mut self, rfc3339: &str) -> Self {
        self.now = Some(instant(rfc3339));
        self
    }

    /// Creates the product, its price and the subscription as operator staff on `app`.
    pub async fn create(self, app: &TestApp) -> LicenseItemIds {
        if let Some(now) = self.now {
            app.app.services.clock.set(now);
        }
        let staff = app.as_staff().await;
        let customer = staff.customer_id(&self.organisation).await;
        // Product codes are unique: each fixture gets its own product.
        let code = format!("lic-{}", uuid::Uuid::new_v4().simple());
        let product = staff
            .create_product(json!({ "name": self.product, "code": code, "kind": "LICENSE" }))
            .await;
        let price = staff
            .create_price(json!({
                "productId": product, "currency": self.currency, "interval": "MONTH",
                "model": "PER_UNIT", "unitAmount": self.unit_price,
                "license": {
                    "additionsCharged": if self.immediately { "IMMEDIATELY" } else { "NEXT_INVOICE" },
                    "creditRemovals": self.credit_removals
                }
            }))
            .await;
        let subscription = staff
            .create_subscription(json!({
                "customerId": customer, "anchorDate": self.anchor_date, "interval": "MONTH",
                "items": [{ "priceId": price, "quantity": self.seats }]
            }))
            .await;
        LicenseItemIds {
            customer,
            item: subscription.items.into_iter().next().expect("one item"),
            subscription: subscription.id,
        }
    }
}

/// An RFC 3339 instant, e.g. `2026-04-02T08:00:00Z`.
pub fn instant(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339} is not an RFC 3339 instant: {e}"))
        .with_timezone(&Utc)
}

/// Bills the demo subscriptions' next period (they are anchored on the 1st of the month they
/// were seeded in): one open invoice per demo organisation, numbered from 1.
pub async fn bill_demo_next_period(app: &crate::TestApp) -> api::services::invoices::RunReport {
    let next_month = chrono::Utc::now().date_naive() + chrono::Days::new(32);
    app.app
        .services
        .billing_runs
        .run(next_month)
        .await
        .expect("billing run")
}
