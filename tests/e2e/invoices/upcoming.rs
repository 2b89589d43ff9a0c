//! The next invoice of each demo subscription, as its users and as staff read it.

use chrono::{Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};
use tests::{Role, e2e_test};

/// A demo organisation's license subscription as seeded: seats, price per seat, currency,
/// tax rate in percent, time zone.
struct Demo {
    name: &'static str,
    seats: u32,
    unit_minor: i64,
    currency: &'static str,
    tax_percent: i64,
    zone: &'static str,
    product: &'static str,
    symbol: &'static str,
}

const DEMOS: [Demo; 2] = [
    Demo {
        name: "Acme Telecom",
        seats: 10,
        unit_minor: 6_400,
        currency: "EUR",
        tax_percent: 20,
        zone: "Europe/Paris",
        product: "ADVANCED",
        symbol: "€",
    },
    Demo {
        name: "Globex",
        seats: 5,
        unit_minor: 2_500,
        currency: "GBP",
        tax_percent: 20,
        zone: "Europe/London",
        product: "ESSENTIAL",
        symbol: "£",
    },
];

/// Minor units as the API writes them (two decimals for EUR and GBP).
fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// The first day of next month in `zone`: the demo subscriptions are anchored on the first of
/// the month they were seeded in, and bill in advance.
fn first_of_next_month(zone: &str) -> String {
    let tz: Tz = zone.parse().expect("zone");
    let today = Utc::now().with_timezone(&tz).date_naive();
    let (year, month) = if today.month() == 12 {
        (today.year() + 1, 1)
    } else {
        (today.year(), today.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .expect("date")
        .to_string()
}

const STAFF_UPCOMING: &str = "query U($id: ID!) { customer(id: $id) { upcomingCharges {
    subscriptionId invoiceDate lines { kind description amount { amount currency } tax { amount } }
    subtotal { amount } tax { amount } total { amount } amountDue { amount } } } }";

e2e_test!(
    every_role_reads_the_seats_times_the_price_plus_tax_and_staff_read_the_same,
    |app| {
        let staff = app.as_staff().await;
        for demo in &DEMOS {
            let net = i64::from(demo.seats) * demo.unit_minor;
            let tax = net * demo.tax_percent / 100;
            for role in [Role::Owner, Role::BillingAdmin, Role::Viewer] {
                let user = app.as_role(demo.name, role).await;
                let subscriptions = user
                    .graphql(
                        "{ viewer { organisation { subscriptions { nodes { id } } } } }",
                        json!({}),
                    )
                    .await;
                let subscription = subscriptions["data"]["viewer"]["organisation"]["subscriptions"]
                    ["nodes"][0]["id"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{}: {subscriptions}", demo.name))
                    .to_owned();
                let invoice = user.upcoming_charges(&subscription).await;
                assert_eq!(invoice.invoice_date, first_of_next_month(demo.zone));
                let lines: Vec<(&str, &str, &str, &str)> = invoice
                    .lines
                    .iter()
                    .map(|l| {
                        (
                            l.kind.as_str(),
                            l.description.as_str(),
                            l.amount.amount.as_str(),
                            l.tax.amount.as_str(),
                        )
                    })
                    .collect();
                let description = format!(
                    "{} {} licenses at {}{} each",
                    demo.seats,
                    demo.product,
                    demo.symbol,
                    decimal(demo.unit_minor)
                );
                assert_eq!(
                    lines,
                    [(
                        "RECURRING",
                        description.as_str(),
                        decimal(net).as_str(),
                        decimal(tax).as_str()
                    )],
                    "{} as {role:?}",
                    demo.name
                );
                assert_eq!(invoice.subtotal.amount, decimal(net));
                assert_eq!(invoice.tax.amount, decimal(tax));
                assert_eq!(invoice.total.amount, decimal(net + tax));
                assert_eq!(invoice.amount_due.amount, decimal(net + tax));
                assert_eq!(invoice.subtotal.currency, demo.currency);

                // Staff read the very same invoice through the customer.
                let id = user.organisation_id().to_owned();
                let body = staff.graphql(STAFF_UPCOMING, json!({ "id": id })).await;
                let seen: &Value = &body["data"]["customer"]["upcomingCharges"][0];
                assert_eq!(seen["subscriptionId"], subscription.as_str(), "{body}");
                assert_eq!(
                    seen["total"]["amount"],
                    decimal(net + tax).as_str(),
                    "{body}"
                );
                assert_eq!(
                    seen["lines"][0]["description"],
                    description.as_str(),
                    "{body}"
                );
            }
        }
    }
);
