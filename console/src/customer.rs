//! The frame of every tab of a customer's page: who the customer is (name, company, e-mail,
//! currency, status, credit balance) and the tabs, the current one marked. Each tab's page
//! struct has a `customer: CustomerFrame` field and its template extends `customer.html`.
//! Shared by the slices whose pages are tabs of a customer (customers, charges).

use crate::Console;
use crate::cycle;
use crate::error::PageError;
use crate::operations::{CustomerHeader, customer_header};
use crate::route::Tab;
use crate::session::Visitor;
use crate::text::{label, schema_name};

/// The customer, as every tab shows it.
pub struct CustomerFrame {
    /// The id (`cus_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Legal name, when it differs.
    pub company: Option<String>,
    /// Billing e-mail.
    pub email: String,
    /// Its id in another system of the operator's.
    pub external_reference: Option<String>,
    /// ISO 4217 currency.
    pub currency: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Lifecycle status, in words.
    pub status: String,
    /// ISO country, if known.
    pub country: Option<String>,
    /// "Due on receipt" or "30 days".
    pub terms: String,
    /// Default PO number of its invoices.
    pub po_number: Option<String>,
    /// Credit held, formatted.
    pub credit_balance: String,
    /// The operator's tags.
    pub tags: Vec<String>,
    /// The billing cycle's unit as the schema names it (`MONTH`) and count: what a new
    /// subscription starts with.
    pub billing_cycle: (String, i64),
    /// The tabs.
    pub tabs: Vec<TabLink>,
}

/// One tab's link.
pub struct TabLink {
    /// Where it leads.
    pub href: String,
    /// Its name.
    pub label: &'static str,
    /// Whether it is the tab shown (`aria-current="page"`).
    pub current: bool,
}

impl CustomerFrame {
    /// The billing cycle in words ("Monthly").
    pub fn cycle(&self) -> String {
        cycle::words(&self.billing_cycle.0, self.billing_cycle.1)
    }

    /// Customer `id`'s frame with `current` marked, read as the visitor.
    pub async fn load(
        console: &Console,
        visitor: &Visitor,
        id: &str,
        current: Tab,
    ) -> Result<Self, PageError> {
        let data = console
            .run::<CustomerHeader>(
                customer_header::Variables { id: id.to_owned() },
                Some(&visitor.session),
            )
            .await?;
        let c = data.customer;
        let tabs = Tab::ALL
            .into_iter()
            .map(|tab| TabLink {
                href: tab.route(&c.id).href(),
                label: tab.label(),
                current: tab == current,
            })
            .collect();
        Ok(Self {
            terms: match c.payment_terms_days {
                0 => "Due on receipt".to_owned(),
                1 => "1 day".to_owned(),
                days => format!("{days} days"),
            },
            status: label(&c.status),
            id: c.id,
            name: c.name,
            company: c.company,
            email: c.email,
            external_reference: c.external_reference,
            currency: c.currency,
            time_zone: c.time_zone,
            country: c.country,
            po_number: c.po_number,
            credit_balance: c.credit_balance.formatted,
            tags: c.tags,
            billing_cycle: (
                schema_name(&c.billing_cycle.interval),
                c.billing_cycle.interval_count,
            ),
            tabs,
        })
    }
}
