//! GraphQL types of charges: the input of one or several charges, the preview of their
//! invoice, and a stored charge.

use async_graphql::{Enum, ID, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};

use crate::error::ServiceResult;
use crate::graphql::invoices::InvoiceLine;
use crate::graphql::money::{Money, parse_id};
use crate::services::charges::{self, ChargeEntry, ChargeView, ChargesEntry};

/// One charge: an `amount` (a quick charge) or a `productId` (a non-recurring addon), not both.
#[derive(InputObject, Clone, Debug)]
pub struct ChargeInput {
    /// Invoice line text (up to 500 characters). Required for a quick charge; an addon's
    /// defaults to its product's name.
    pub description: Option<String>,
    /// A quick charge's amount: exact decimal text in the customer's currency, more than zero,
    /// with at most the currency's decimals (`12.50`, `1500` yen), at most 10000000.
    pub amount: Option<String>,
    /// An addon: a product of kind `ONE_OFF` (`prod_…`).
    pub product_id: Option<ID>,
    /// An addon's quantity: decimal text, more than zero, up to 6 decimals (`2.5`); 1 when
    /// absent.
    pub quantity: Option<String>,
    /// An addon's unit price instead of its product's price in the customer's currency: decimal
    /// text with up to 12 decimals, at most 10000000. Required when the product has no price
    /// in that currency.
    pub unit_price: Option<String>,
    /// First day of the service period (with `servicePeriodEnd`). On a subscription, not
    /// before the subscription's start.
    pub service_period_start: Option<NaiveDate>,
    /// First day after the service period; after its start.
    pub service_period_end: Option<NaiveDate>,
    /// Whether the customer's tax rate applies. An addon's defaults to its price's; a quick
    /// charge's to untaxed.
    pub taxable: Option<bool>,
}

/// Charges for one customer, as previewed or created.
#[derive(InputObject, Clone, Debug)]
pub struct ChargesInput {
    /// The customer charged (`cus_…`).
    pub customer_id: ID,
    /// The customer's subscription the charges are on (`sub_…`); none for charges on the
    /// customer.
    pub subscription_id: Option<ID>,
    /// One to 50 charges, in line order.
    pub charges: Vec<ChargeInput>,
    /// The customer's purchase order number (up to 100 characters), printed on the invoice.
    /// Only for charges invoiced now.
    pub po_number: Option<String>,
    /// Free text printed on the invoice (up to 2000 characters). Only for charges invoiced now.
    pub notes: Option<String>,
    /// A one-time coupon for the invoice made now, by its code (any case): it discounts that
    /// invoice once, whatever its duration, as a discount line per tax rate, and counts one
    /// redemption. Refused on this field when archived, expired, without an amount in the
    /// customer's currency, at its redemption limit, when it takes nothing off these charges,
    /// or with `ADD_TO_UNBILLED` (apply it to the subscription instead).
    pub coupon_code: Option<String>,
    /// The same coupon by its id (`cpn_…`) instead of its code; not both.
    pub coupon_id: Option<ID>,
}

impl ChargesInput {
    /// The charges as the service reads them; a malformed id is a bad input on its path.
    pub(super) fn entry(&self) -> ServiceResult<ChargesEntry> {
        let charges = self
            .charges
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Ok(ChargeEntry {
                    description: c.description.clone(),
                    amount: c.amount.clone(),
                    product: c
                        .product_id
                        .as_ref()
                        .map(|id| parse_id(id, &charges::input::field(i, "productId")))
                        .transpose()?,
                    quantity: c.quantity.clone(),
                    unit_price: c.unit_price.clone(),
                    service_period_start: c.service_period_start,
                    service_period_end: c.service_period_end,
                    taxable: c.taxable,
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        Ok(ChargesEntry {
            customer: parse_id(&self.customer_id, "input.customerId")?,
            subscription: self
                .subscription_id
                .as_ref()
                .map(|id| parse_id(id, "input.subscriptionId"))
                .transpose()?,
            charges,
            po_number: self.po_number.clone(),
            notes: self.notes.clone(),
            coupon_code: self.coupon_code.clone(),
            coupon_id: self
                .coupon_id
                .as_ref()
                .map(|id| parse_id(id, "input.couponId"))
                .transpose()?,
        })
    }
}

/// When charges are billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ChargeTiming {
    /// On an invoice of their own, numbered and finalised now.
    InvoiceNow,
    /// On the next invoice of the subscription; charges on the customer go on the next
    /// invoice of its oldest active subscription.
    AddToUnbilled,
}

impl From<ChargeTiming> for charges::Timing {
    fn from(timing: ChargeTiming) -> Self {
        match timing {
            ChargeTiming::InvoiceNow => charges::Timing::InvoiceNow,
            ChargeTiming::AddToUnbilled => charges::Timing::Unbilled,
        }
    }
}

/// The invoice "invoice now" would create for some charges, exactly: same code, nothing
/// written.
pub struct ChargesPreview(pub charges::ChargesPreview);

#[Object]
impl ChargesPreview {
    /// The day it would be issued: today in the customer's time zone.
    async fn issue_date(&self) -> NaiveDate {
        self.0.issue_date
    }
    /// The day payment would be due.
    async fn due_date(&self) -> NaiveDate {
        self.0.due_date
    }
    /// First day of the charges' service periods (the issue day when none has one).
    async fn period_start(&self) -> NaiveDate {
        self.0.invoice.period.start()
    }
    /// First day after them.
    async fn period_end(&self) -> NaiveDate {
        self.0.invoice.period.end()
    }
    /// The PO number it would carry.
    async fn po_number(&self) -> Option<&str> {
        self.0.po_number.as_deref()
    }
    /// The notes it would carry.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// One `ONE_OFF` line per charge, in input order, then the coupon's `DISCOUNT` lines (one
    /// per tax rate) if a coupon was given.
    async fn lines(&self) -> Vec<InvoiceLine> {
        self.0
            .invoice
            .lines
            .iter()
            .cloned()
            .map(InvoiceLine)
            .collect()
    }
    /// Sum of the charge lines.
    async fn subtotal(&self) -> Money {
        Money(self.0.invoice.totals.subtotal)
    }
    /// Sum of the discount lines (the coupon's, if one was given), as a positive amount.
    async fn discount(&self) -> Money {
        Money(self.0.invoice.totals.discount)
    }
    /// Sum of the lines' tax.
    async fn tax(&self) -> Money {
        Money(self.0.invoice.totals.tax)
    }
    /// Subtotal − discount + tax.
    async fn total(&self) -> Money {
        Money(self.0.invoice.totals.total)
    }
    /// Credit balance used.
    async fn credits_applied(&self) -> Money {
        Money(self.0.invoice.totals.credits_applied)
    }
    /// What would be asked for.
    async fn amount_due(&self) -> Money {
        Money(self.0.invoice.totals.amount_due)
    }
    /// The customer's open invoices, if any: show them before sending, since `createCharges`
    /// then needs `confirmUnpaidInvoices`.
    async fn unpaid_invoices(&self) -> Option<UnpaidInvoices> {
        self.0.unpaid.map(UnpaidInvoices)
    }
}

/// A customer's open invoices, together.
pub struct UnpaidInvoices(pub charges::UnpaidInvoices);

#[Object]
impl UnpaidInvoices {
    /// How many invoices are open.
    async fn count(&self) -> u64 {
        self.0.count
    }
    /// What they still ask for, together.
    async fn amount_due(&self) -> Money {
        Money(self.0.amount_due)
    }
}

/// A one-time charge or addon, invoiced or waiting for an invoice.
pub struct Charge(pub ChargeView);

#[Object]
impl Charge {
    /// Opaque id (`chg_…`).
    async fn id(&self) -> ID {
        self.0.row.id.into()
    }
    /// While unbilled, the subscription whose next invoice takes it (`sub_…`); once invoiced,
    /// the subscription it was made on, if any.
    async fn subscription_id(&self) -> Option<ID> {
        self.0.row.subscription_id.map(ID::from)
    }
    /// The addon product (`prod_…`); null for a quick charge.
    async fn product_id(&self) -> Option<ID> {
        self.0.row.product_id.map(ID::from)
    }
    /// Invoice line text.
    async fn description(&self) -> &str {
        &self.0.row.description
    }
    /// Units, exact decimal text.
    async fn quantity(&self) -> &str {
        &self.0.row.quantity
    }
    /// Price of one unit, exact decimal text (up to 12 decimals), in the customer's currency.
    async fn unit_price(&self) -> &str {
        &self.0.row.unit_amount
    }
    /// Whether the customer's tax rate applies.
    async fn taxable(&self) -> bool {
        self.0.row.taxable
    }
    /// Its line's amount before tax, rounded once, as its invoice shows it.
    async fn amount(&self) -> Money {
        Money(self.0.line.amount)
    }
    /// Its line's tax at the customer's current rate.
    async fn tax(&self) -> Money {
        Money(self.0.line.tax)
    }
    /// First day of the service period.
    async fn service_period_start(&self) -> Option<NaiveDate> {
        self.0.row.period_start
    }
    /// First day after it.
    async fn service_period_end(&self) -> Option<NaiveDate> {
        self.0.row.period_end
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.row.created_at
    }
    /// The invoice that took it (`inv_…`); null while unbilled.
    async fn invoice_id(&self) -> Option<ID> {
        self.0.row.invoice_id.map(ID::from)
    }
}
