//! The rows of a customer's tabs, each read through the tab's own operation as the visitor.

use crate::Console;
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, chosen, either, typed};
use crate::operations::{
    CustomerContacts, CustomerInvoices, CustomerSubscriptions, CustomerUsage, customer_contacts,
    customer_invoices, customer_subscriptions, customer_usage,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label, period};

/// A subscription with its items.
pub struct SubscriptionRow {
    /// The id (`sub_…`).
    pub id: String,
    /// Status, in words.
    pub status: String,
    /// "Every 1 month".
    pub interval: String,
    /// The current period, for people.
    pub period: String,
    /// The next invoice date.
    pub next_invoice: String,
    /// The last invoice's issue day, if it was ever invoiced.
    pub last_invoice: Option<String>,
    /// When it ends, if it is set to.
    pub cancel_at: Option<String>,
    /// Its PO number.
    pub po_number: Option<String>,
    /// Whether its invoices are charged to the default payment method.
    pub automatic_payment: bool,
    /// Its items.
    pub items: Vec<ItemRow>,
}

/// A page of the subscriptions tab.
pub struct SubscriptionsPage {
    /// Its rows.
    pub rows: Vec<SubscriptionRow>,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
}

/// A subscription item.
pub struct ItemRow {
    /// The product's name.
    pub product: String,
    /// The product's kind, in words.
    pub kind: String,
    /// How many.
    pub quantity: i64,
    /// The unit price as decimal text (the override when there is one), if the price has one.
    pub unit_price: Option<String>,
}

/// A page of the subscriptions tab (after `after`): those of `status` (a value of
/// [`SUBSCRIPTION_STATUSES`]), or every subscription for an empty one.
pub async fn subscriptions(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    status: &str,
    after: Option<String>,
) -> Result<SubscriptionsPage, PageError> {
    use customer_subscriptions::SubscriptionStatus as S;
    let status = match status {
        "CURRENT" => Some(vec![S::TRIALING, S::ACTIVE, S::PAUSED]),
        status => chosen::<S>(status, &SUBSCRIPTION_STATUSES)?.map(|s| vec![s]),
    };
    let data = console
        .run::<CustomerSubscriptions>(
            customer_subscriptions::Variables {
                id: id.to_owned(),
                status,
                after,
            },
            Some(&visitor.session),
        )
        .await?;
    let page = data.customer.subscriptions;
    let next = page
        .page_info
        .end_cursor
        .filter(|_| page.page_info.has_next_page);
    let rows = page
        .nodes
        .into_iter()
        .map(|s| SubscriptionRow {
            interval: match &s.interval {
                Some(unit) => billed_every(s.interval_count, &label(unit).to_lowercase()),
                None => "Once".to_owned(),
            },
            status: label(&s.status),
            period: period(s.current_period_start, s.current_period_end),
            next_invoice: day(s.next_invoice_date),
            last_invoice: s.last_invoice_date.map(day),
            cancel_at: s.cancel_at.map(day),
            po_number: s.po_number,
            automatic_payment: s.automatic_payment,
            items: s
                .items
                .into_iter()
                .map(|i| ItemRow {
                    kind: label(&i.product.kind),
                    product: i.product.name,
                    quantity: i.quantity,
                    unit_price: i.unit_price_formatted,
                })
                .collect(),
            id: s.id,
        })
        .collect();
    Ok(SubscriptionsPage { rows, next })
}

/// How often a subscription bills, as people say it: "Monthly", "Every 3 months".
fn billed_every(count: i64, unit: &str) -> String {
    match (count, unit) {
        (1, "day") => "Daily".to_owned(),
        (1, "week") => "Weekly".to_owned(),
        (1, "month") => "Monthly".to_owned(),
        (1, "year") => "Yearly".to_owned(),
        (1, other) => format!("Every {other}"),
        (n, other) => format!("Every {n} {other}s"),
    }
}

/// An invoice in the list.
pub struct InvoiceRow {
    /// Its page in the console.
    pub href: String,
    /// Its number (a draft has none).
    pub number: String,
    /// Status, in words.
    pub status: String,
    /// Issue day.
    pub issued: String,
    /// Due day.
    pub due: String,
    /// PO number.
    pub po_number: Option<String>,
    /// Total, formatted.
    pub total: String,
    /// What is still owed, formatted.
    pub remaining: String,
}

/// A credit note in the list.
pub struct CreditNoteRow {
    /// Its number.
    pub number: String,
    /// Issue day.
    pub issued: String,
    /// Why it was issued.
    pub reason: String,
    /// Total, formatted.
    pub total: String,
}

/// What the subscriptions tab filters by: (value, words); `CURRENT` is every status but
/// cancelled, the others the schema's statuses.
pub const SUBSCRIPTION_STATUSES: [(&str, &str); 5] = [
    ("CURRENT", "Current (not cancelled)"),
    ("ACTIVE", "Active"),
    ("TRIALING", "Trialing"),
    ("PAUSED", "Paused"),
    ("CANCELLED", "Cancelled"),
];

/// The statuses the invoices tab filters by: (schema value, words).
pub const INVOICE_STATUSES: [(&str, &str); 4] = [
    ("OPEN", "Open"),
    ("PAID", "Paid"),
    ("VOID", "Void"),
    ("UNCOLLECTIBLE", "Uncollectible"),
];

/// The invoices tab's rows (a page of invoices from `after`, of `status` only when one is
/// given), the latest credit notes, and the cursor of the next page of invoices. A status the
/// filter does not offer is a bad request, not "every invoice".
pub async fn invoices(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    after: Option<String>,
    notes_after: Option<String>,
    status: Option<&str>,
) -> Result<InvoicesTabRows, PageError> {
    use customer_invoices::InvoiceStatus as S;
    let status = match status {
        None | Some("") => None,
        Some("OPEN") => Some(S::OPEN),
        Some("PAID") => Some(S::PAID),
        Some("VOID") => Some(S::VOID),
        Some("UNCOLLECTIBLE") => Some(S::UNCOLLECTIBLE),
        Some("DRAFT") => Some(S::DRAFT),
        Some(_) => {
            return Err(PageError::BadRequest(
                "Choose a status the filter offers.".into(),
            ));
        }
    };
    let data = console
        .run::<CustomerInvoices>(
            customer_invoices::Variables {
                id: id.to_owned(),
                after,
                notes_after,
                status,
            },
            Some(&visitor.session),
        )
        .await?;
    let invoices = data.customer.invoices;
    let next = invoices
        .page_info
        .end_cursor
        .filter(|_| invoices.page_info.has_next_page);
    let rows = invoices
        .nodes
        .into_iter()
        .map(|i| InvoiceRow {
            href: Route::Invoice(id.to_owned(), i.id.clone()).href(),
            number: i.number.unwrap_or_else(|| "Draft".to_owned()),
            status: label(&i.status),
            issued: day(i.issue_date),
            due: day(i.due_date),
            po_number: i.po_number,
            total: i.total.formatted,
            remaining: i.amount_remaining.formatted,
        })
        .collect();
    let notes = data.customer.credit_notes;
    let next_notes = notes
        .page_info
        .end_cursor
        .filter(|_| notes.page_info.has_next_page);
    let notes = notes
        .nodes
        .into_iter()
        .map(|n| CreditNoteRow {
            number: n.number,
            issued: day(n.issue_date),
            reason: n.reason,
            total: n.total.formatted,
        })
        .collect();
    Ok((rows, notes, next, next_notes))
}

/// The invoices tab's rows: a page of invoices, a page of credit notes, and the cursors of
/// their next pages.
pub type InvoicesTabRows = (
    Vec<InvoiceRow>,
    Vec<CreditNoteRow>,
    Option<String>,
    Option<String>,
);

/// The usage tab's number filter, as the URL carries it.
pub struct NumbersFilter {
    /// Digits of the number (`01 42`, `+33 1`), or empty.
    pub number: String,
    /// `held` (no release day), `released` (a release day, maybe still to come), or empty.
    pub held: String,
}

/// The release filter's choices: (value, words). A release day may be still to come.
const HELD: [(&str, &str); 2] = [("held", "No release day"), ("released", "Release day set")];

impl NumbersFilter {
    /// The filter form of customer `id`'s usage tab.
    pub fn form(&self, id: &str) -> FilterForm {
        FilterForm {
            route: Route::Customer(id.to_owned(), Tab::Usage),
            label: "Find numbers",
            fields: vec![
                FilterField::text("number", "Number", &self.number),
                FilterField::select("held", "Release", "Any", &HELD, &self.held),
            ],
        }
    }
}

/// The current period's usage of one item.
pub struct UsageRow {
    /// The product.
    pub product: String,
    /// How many records.
    pub records: i64,
    /// The quantity, decimal text.
    pub quantity: String,
    /// What it costs so far, formatted, when rated.
    pub amount: Option<String>,
}

/// A telephone number.
pub struct NumberRow {
    /// Its id (`num_…`).
    pub id: String,
    /// E.164.
    pub number: String,
    /// The day it was released, if it was.
    pub released_on: Option<String>,
    /// Its type, in words.
    pub kind: String,
    /// The day it was sold.
    pub sold_on: String,
    /// Its tariff.
    pub tariff: String,
}

/// The usage and numbers tab's content.
pub struct UsageTabRows {
    /// The current billing period, for people.
    pub period: String,
    /// How many records it holds.
    pub records: i64,
    /// Usage by item.
    pub totals: Vec<UsageRow>,
    /// A page of numbers.
    pub numbers: Vec<NumberRow>,
    /// The cursor of the next page of numbers.
    pub next: Option<String>,
}

/// The usage and numbers tab's rows (a page of numbers from `after`).
pub async fn usage(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    after: Option<String>,
    filter: &NumbersFilter,
) -> Result<UsageTabRows, PageError> {
    // A number that is not digits is refused by the API (`BAD_USER_INPUT`): a 400 page.
    let data = console
        .run::<CustomerUsage>(
            customer_usage::Variables {
                id: id.to_owned(),
                after,
                search: typed(&filter.number),
                released: either(&filter.held, "released", "held")?,
            },
            Some(&visitor.session),
        )
        .await?;
    let (numbers, consumption) = (data.customer.phone_numbers, data.customer.consumption);
    Ok(UsageTabRows {
        // `to` is the selection's last day (inclusive), not the first day after it.
        period: if consumption.to > consumption.from {
            format!("{} – {}", day(consumption.from), day(consumption.to))
        } else {
            day(consumption.from)
        },
        records: consumption.record_count,
        totals: consumption
            .totals
            .into_iter()
            .map(|t| UsageRow {
                product: t.product,
                records: t.records,
                quantity: t.quantity,
                amount: t.amount.map(|a| a.formatted),
            })
            .collect(),
        next: numbers
            .page_info
            .end_cursor
            .filter(|_| numbers.page_info.has_next_page),
        numbers: numbers
            .nodes
            .into_iter()
            .map(|n| NumberRow {
                id: n.id,
                released_on: n.released_on.map(day),
                kind: label(&n.number_type),
                sold_on: day(n.sold_on),
                tariff: n.tariff_name,
                number: n.number,
            })
            .collect(),
    })
}

/// A contact.
pub struct ContactRow {
    /// Its role, in words.
    pub role: String,
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Phone, if given.
    pub phone: Option<String>,
    /// Whether invoices are copied to it.
    pub receives_invoices: bool,
}

/// The contacts tab's rows.
pub async fn contacts(
    console: &Console,
    visitor: &Visitor,
    id: &str,
) -> Result<Vec<ContactRow>, PageError> {
    let data = console
        .run::<CustomerContacts>(
            customer_contacts::Variables { id: id.to_owned() },
            Some(&visitor.session),
        )
        .await?;
    Ok(data
        .customer
        .contacts
        .into_iter()
        .map(|c| ContactRow {
            role: label(&c.role),
            name: c.name,
            email: c.email,
            phone: c.phone,
            receives_invoices: c.receives_invoices,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::billed_every;

    #[test]
    fn intervals_read_as_people_say_them() {
        assert_eq!(billed_every(1, "month"), "Monthly");
        assert_eq!(billed_every(1, "year"), "Yearly");
        assert_eq!(billed_every(3, "month"), "Every 3 months");
        assert_eq!(billed_every(2, "week"), "Every 2 weeks");
    }
}
