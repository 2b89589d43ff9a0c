//! `GET /admin/customers/cus_…/subscriptions/new`: ChargeOver's "billing package": a start day,
//! how often it bills, an optional free trial, the PO number and notes its invoices carry, and
//! up to [`ROWS`] lines, each a price of the catalog in the customer's currency with a quantity
//! and, when this customer pays another rate, its own unit price. `POST …/subscriptions`
//! creates it; a refusal shows the form again with the message beside the field (or line) at
//! fault.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use crate::Console;
use crate::choices::every_product;
use crate::chrome::{Chrome, Nav};
use crate::customer::CustomerFrame;
use crate::cycle;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{CreateSubscription, create_subscription};
use crate::route::{Route, Tab};
use crate::session::Visitor;

/// How many lines the form offers.
pub(super) const ROWS: usize = 4;

/// The new subscription page.
#[derive(Template)]
#[template(path = "subscriptions/new.html")]
struct NewSubscriptionPage {
    chrome: Chrome,
    customer: CustomerFrame,
    /// The prices a line may use: (id, label).
    prices: Vec<(String, String)>,
    form: SubscriptionForm,
    errors: FormErrors,
}

impl NewSubscriptionPage {
    /// The intervals, for the select.
    fn intervals(&self) -> [(&'static str, &'static str); 5] {
        cycle::UNITS
    }

    /// The line rows' positions.
    fn rows(&self) -> std::ops::Range<usize> {
        0..ROWS
    }

    /// Row `row` of the form (a blank one past the rows posted).
    fn line(&self, row: &usize) -> Line {
        self.form.lines.get(*row).cloned().unwrap_or_default()
    }

    /// The refusal beside row `row`'s `part` (`price`, `quantity`, `unit_price`).
    fn row_error(&self, row: &usize, part: &str) -> Option<&str> {
        self.errors.get(&format!("row-{row}-{part}"))
    }

    /// The refusal beside a field of the form.
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

/// The form, as posted (and as shown).
#[derive(Debug, Default)]
pub(super) struct SubscriptionForm {
    csrf: String,
    /// `YYYY-MM-DD`.
    anchor_date: String,
    /// `MONTH`, `YEAR`, …
    interval: String,
    interval_count: String,
    /// `YYYY-MM-DD`, or empty for no trial.
    trial_end: String,
    /// Printed on its invoices instead of the customer's; empty for none.
    po_number: String,
    /// Printed on its invoices after the customer's; empty for none.
    invoice_notes: String,
    /// `automatic` (the default, also when empty) or `manual`.
    payment: String,
    /// Each row, empty strings for an unused one.
    lines: Vec<Line>,
}

/// One line of the form, as typed.
#[derive(Clone, Debug, Default)]
pub(super) struct Line {
    /// The price version's id, or empty.
    price: String,
    /// Seats or units.
    quantity: String,
    /// The customer's own unit price, or empty for the catalog's.
    unit_price: String,
}

impl SubscriptionForm {
    /// A blank form starting `today` at the customer's billing cycle (`unit`, `count`), one
    /// line of quantity 1.
    fn blank(today: NaiveDate, (unit, count): &(String, i64)) -> Self {
        Self {
            anchor_date: today.to_string(),
            interval: unit.clone(),
            interval_count: count.to_string(),
            lines: (0..ROWS)
                .map(|row| Line {
                    quantity: if row == 0 { "1".into() } else { String::new() },
                    ..Line::default()
                })
                .collect(),
            ..Self::default()
        }
    }

    /// The form from its posted fields.
    fn parse(fields: Vec<(String, String)>) -> Self {
        let value = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        Self {
            csrf: value("csrf"),
            anchor_date: value("anchor_date"),
            interval: value("interval"),
            interval_count: value("interval_count"),
            trial_end: value("trial_end"),
            po_number: value("po_number"),
            invoice_notes: value("invoice_notes"),
            payment: value("payment"),
            lines: (0..ROWS)
                .map(|row| Line {
                    price: value(&format!("price-{row}")),
                    quantity: value(&format!("quantity-{row}")),
                    unit_price: value(&format!("unit_price-{row}")),
                })
                .collect(),
        }
    }

    /// The API's input, with the row of each item (to place a refusal of `items.K`), or the
    /// first thing the form itself can tell is wrong.
    fn input(
        &self,
        customer: &str,
    ) -> Result<(create_subscription::CreateSubscriptionInput, Vec<usize>), FormErrors> {
        let day = |field: &str, text: &str| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| FormErrors::on(field, "Enter a day as YYYY-MM-DD."))
        };
        let anchor_date = day("anchorDate", &self.anchor_date)?;
        let automatic_payment = match self.payment.as_str() {
            "" | "automatic" => true,
            "manual" => false,
            _ => {
                return Err(FormErrors::on(
                    "automaticPayment",
                    "Choose how its invoices are paid.",
                ));
            }
        };
        let trial_end = match self.trial_end.as_str() {
            "" => None,
            text => Some(day("trialEnd", text)?),
        };
        let (interval, interval_count) = cycle::parse(
            &self.interval,
            &self.interval_count,
            "interval",
            "intervalCount",
        )?;
        let mut items = Vec::new();
        let mut rows = Vec::new();
        for (row, line) in self.lines.iter().enumerate() {
            if line.price.is_empty() {
                continue;
            }
            let quantity = line.quantity.parse::<i64>().map_err(|_| {
                FormErrors::on(&format!("row-{row}-quantity"), "Enter a whole number.")
            })?;
            items.push(create_subscription::SubscriptionItemInput {
                price_id: line.price.clone(),
                quantity,
                // The API checks the amount (and that the price has a unit price to replace).
                unit_price: Some(line.unit_price.clone()).filter(|p| !p.is_empty()),
            });
            rows.push(row);
        }
        if items.is_empty() {
            return Err(FormErrors::on("row-0-price", "Choose at least one price."));
        }
        let input = create_subscription::CreateSubscriptionInput {
            customer_id: customer.to_owned(),
            anchor_date,
            interval,
            interval_count,
            items,
            trial_end,
            po_number: Some(self.po_number.clone()).filter(|p| !p.is_empty()),
            invoice_notes: Some(self.invoice_notes.clone()).filter(|n| !n.is_empty()),
            automatic_payment,
        };
        Ok((input, rows))
    }
}

/// The API's refusal placed on the form: `items.K.priceId` / `items.K.quantity` beside the
/// row it came from, the other fields beside themselves.
fn place(error: crate::client::ConsoleError, rows: &[usize]) -> Result<FormErrors, PageError> {
    let fields = [
        "anchorDate",
        "interval",
        "intervalCount",
        "trialEnd",
        "poNumber",
        "invoiceNotes",
    ];
    let errors = FormErrors::from_refusal(error, |f| {
        fields.contains(&f) || item_row(f, rows).is_some()
    })?;
    Ok(match errors.field() {
        Some((field, message)) => match item_row(field, rows) {
            Some((row, part)) => FormErrors::on(&format!("row-{row}-{part}"), message),
            None => errors.clone(),
        },
        None => errors.clone(),
    })
}

/// The form row and part (`price`, `quantity`, `unit_price`) an `items.K.…` field is about.
fn item_row(field: &str, rows: &[usize]) -> Option<(usize, &'static str)> {
    let rest = field.strip_prefix("items.")?;
    let (position, part) = rest.split_once('.')?;
    let row = *rows.get(position.parse::<usize>().ok()?)?;
    match part {
        "priceId" => Some((row, "price")),
        "quantity" => Some((row, "quantity")),
        "unitPrice" => Some((row, "unit_price")),
        _ => None,
    }
}

/// The page with `form` and its refusal.
async fn new_page(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    form: Option<SubscriptionForm>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Customers).await?;
    let customer = CustomerFrame::load(console, visitor, id, Tab::Subscriptions).await?;
    let prices = every_product(console, visitor, None)
        .await?
        .into_iter()
        .flat_map(|product| {
            let name = product.name;
            product
                .prices
                .into_iter()
                .filter(|price| price.active && price.currency == customer.currency)
                .map(move |price| {
                    let every = price.interval_words.as_ref().map_or_else(
                        || "once".to_owned(),
                        |unit| match price.interval_count {
                            1 => format!("per {unit}"),
                            n => format!("per {n} {unit}s"),
                        },
                    );
                    let amount = price.unit_amount.unwrap_or_else(|| "tiered".to_owned());
                    (
                        price.id,
                        format!("{name}: {amount} {every} (v{})", price.version),
                    )
                })
        })
        .collect();
    let status = errors.status();
    let today = chrono::Utc::now().date_naive();
    let form = form.unwrap_or_else(|| SubscriptionForm::blank(today, &customer.billing_cycle));
    let page = NewSubscriptionPage {
        chrome,
        customer,
        prices,
        form,
        errors,
    };
    Ok(render(status, &page))
}

/// `GET /admin/customers/{id}/subscriptions/new`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    new_page(&console, &visitor, &id, None, FormErrors::none()).await
}

/// `POST /admin/customers/{id}/subscriptions`.
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = SubscriptionForm::parse(fields);
    visitor.verify_form(&form.csrf)?;
    let (input, rows) = match form.input(&id) {
        Ok(input) => input,
        Err(errors) => return new_page(&console, &visitor, &id, Some(form), errors).await,
    };
    let variables = create_subscription::Variables { input };
    match console
        .run::<CreateSubscription>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            let route = Route::Customer(id, Tab::Subscriptions);
            Ok(Redirect::to(&Flash::SubscriptionCreated.href(&route)).into_response())
        }
        Err(error) => {
            let errors = place(error, &rows)?;
            new_page(&console, &visitor, &id, Some(form), errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_a_price_become_items_and_a_refusal_finds_its_row() {
        let form = SubscriptionForm::parse(vec![
            ("csrf".into(), "t".into()),
            ("anchor_date".into(), "2026-12-01".into()),
            ("interval".into(), "MONTH".into()),
            ("interval_count".into(), "1".into()),
            ("price-0".into(), "price_a".into()),
            ("quantity-0".into(), "3".into()),
            ("price-2".into(), "price_b".into()),
            ("quantity-2".into(), "1".into()),
            ("unit_price-2".into(), " 45.50 ".into()),
            ("po_number".into(), "PO-7".into()),
            ("invoice_notes".into(), "".into()),
        ]);
        let (input, rows) = form.input("cus_1").expect("valid");
        assert_eq!(input.items.len(), 2);
        assert_eq!(input.items[1].price_id, "price_b");
        assert_eq!(input.items[0].unit_price, None);
        assert_eq!(input.items[1].unit_price.as_deref(), Some("45.50"));
        assert_eq!(input.po_number.as_deref(), Some("PO-7"));
        assert_eq!(input.invoice_notes, None);
        assert!(input.automatic_payment, "automatic unless asked otherwise");
        assert_eq!(rows, [0, 2]);
        assert_eq!(item_row("items.1.quantity", &rows), Some((2, "quantity")));
        assert_eq!(
            item_row("items.1.unitPrice", &rows),
            Some((2, "unit_price"))
        );
        assert_eq!(item_row("items.5.priceId", &rows), None);

        let manual = SubscriptionForm {
            payment: "manual".into(),
            ..SubscriptionForm::parse(vec![
                ("anchor_date".into(), "2026-12-01".into()),
                ("interval".into(), "MONTH".into()),
                ("interval_count".into(), "1".into()),
                ("price-0".into(), "price_a".into()),
                ("quantity-0".into(), "1".into()),
            ])
        };
        assert!(!manual.input("cus_1").expect("valid").0.automatic_payment);
        let unknown = SubscriptionForm {
            payment: "sometimes".into(),
            ..SubscriptionForm::parse(vec![("anchor_date".into(), "2026-12-01".into())])
        };
        assert!(
            unknown.input("cus_1").is_err(),
            "a payment the form does not offer"
        );

        let bad = SubscriptionForm {
            anchor_date: "1 Dec".into(),
            ..form
        };
        let Err(errors) = bad.input("cus_1") else {
            panic!("not a day")
        };
        assert!(errors.get("anchorDate").is_some());
    }
}
