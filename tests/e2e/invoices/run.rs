//! Billing runs: the invoice a run finalises is, line by line and to the cent, the upcoming
//! invoice the customer read before it; a second run bills nothing; missed periods get one
//! invoice each; racing runs bill each period once, numbered 1..N without a gap.

use chrono::NaiveDate;
use entity::{invoice, invoice_line};
use ids::{InvoiceId, SubscriptionId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tests::{LicenseItemFixture, LicenseItemIds, TestApp, e2e_test};

use crate::licenses::{APRIL_2, APRIL_9};

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

/// "12.34" from minor units, as the API writes EUR and GBP amounts.
fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

async fn fixture(app: &TestApp, organisation: &str, currency: &str, unit: &str) -> LicenseItemIds {
    LicenseItemFixture::for_organisation(organisation)
        .currency(currency)
        .unit_price(unit)
        .seats(10)
        .at(APRIL_2)
        .create(app)
        .await
}

async fn invoices_of(app: &TestApp, subscription: &str) -> Vec<invoice::Model> {
    let subscription: SubscriptionId = subscription.parse().expect("subscription id");
    invoice::Entity::find()
        .filter(invoice::Column::SubscriptionId.eq(subscription))
        .order_by_asc(invoice::Column::PeriodStart)
        .all(app.app.db.reads())
        .await
        .expect("invoices")
}

async fn lines_of(app: &TestApp, invoice: InvoiceId) -> Vec<invoice_line::Model> {
    invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(invoice))
        .order_by_asc(invoice_line::Column::Position)
        .all(app.app.db.reads())
        .await
        .expect("lines")
}

e2e_test!(the_run_finalises_exactly_the_upcoming_invoice_once, |app| {
    let fx = fixture(&app, "Acme Telecom", "EUR", "64").await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let quote = billing.preview_license_change(&fx.item, 1).await;
    billing.apply_license_change(&quote, "before-run").await;
    app.app.services.clock.set(tests::instant(APRIL_9));
    let quote = billing.preview_license_change(&fx.item, 2).await;
    billing.apply_license_change(&quote, "before-run-2").await;
    let upcoming = billing.upcoming_charges(&fx.subscription).await;

    let report = app
        .app
        .services
        .billing_runs
        .run(date("2026-05-01"))
        .await
        .expect("run");
    assert_eq!(report.invoiced.len(), 1, "{report:?}");
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.invoiced[0].number, "INV-2026-000001");

    let invoices = invoices_of(&app, &fx.subscription).await;
    assert_eq!(invoices.len(), 1);
    let invoice = &invoices[0];
    assert_eq!(invoice.number.as_deref(), Some("INV-2026-000001"));
    assert_eq!(invoice.status, invoice::InvoiceStatus::Open);
    assert_eq!(invoice.issue_date.to_string(), upcoming.invoice_date);
    assert_eq!(
        (invoice.period_start, invoice.period_end),
        (date("2026-05-01"), date("2026-06-01"))
    );
    // Line by line, to the cent, what the customer read before the run.
    let lines = lines_of(&app, invoice.id).await;
    let stored: Vec<(String, String, String)> = lines
        .iter()
        .map(|l| {
            (
                l.description.clone(),
                decimal(l.amount_minor),
                decimal(l.tax_minor),
            )
        })
        .collect();
    let previewed: Vec<(String, String, String)> = upcoming
        .lines
        .iter()
        .map(|l| {
            (
                l.description.clone(),
                l.amount.amount.clone(),
                l.tax.amount.clone(),
            )
        })
        .collect();
    assert_eq!(stored, previewed);
    assert_eq!(lines.len(), 3, "recurring and two prorations: {stored:?}");
    assert_eq!(decimal(invoice.subtotal_minor), upcoming.subtotal.amount);
    assert_eq!(decimal(invoice.tax_minor), upcoming.tax.amount);
    assert_eq!(decimal(invoice.total_minor), upcoming.total.amount);
    assert_eq!(
        decimal(invoice.amount_due_minor),
        upcoming.amount_due.amount
    );
    assert_eq!(invoice.billing_snapshot["name"], "Acme Telecom");

    // Again: nothing new. The subscription moved on and its prorations are billed.
    let again = app
        .app
        .services
        .billing_runs
        .run(date("2026-05-01"))
        .await
        .expect("second run");
    assert_eq!(again.invoiced, Vec::new());
    assert_eq!(invoices_of(&app, &fx.subscription).await.len(), 1);
    let next = billing.upcoming_charges(&fx.subscription).await;
    assert_eq!(next.invoice_date, "2026-06-01");
    assert_eq!(next.lines.len(), 1, "only the recurring line: {next:?}");
    assert_eq!(
        next.lines[0].description,
        "13 ADVANCED licenses at €64.00 each"
    );
});

e2e_test!(missed_periods_get_one_invoice_each_in_order, |app| {
    let fx = fixture(&app, "Acme Telecom", "EUR", "64").await;
    let report = app
        .app
        .services
        .billing_runs
        .run(date("2026-07-15"))
        .await
        .expect("run");
    let numbers: Vec<&str> = report.invoiced.iter().map(|b| b.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"]
    );
    let periods: Vec<(NaiveDate, NaiveDate)> = invoices_of(&app, &fx.subscription)
        .await
        .iter()
        .map(|i| (i.period_start, i.period_end))
        .collect();
    assert_eq!(
        periods,
        [
            (date("2026-05-01"), date("2026-06-01")),
            (date("2026-06-01"), date("2026-07-01")),
            (date("2026-07-01"), date("2026-08-01")),
        ]
    );
});

e2e_test!(racing_runs_bill_each_period_once_without_gaps, |app| {
    let acme = fixture(&app, "Acme Telecom", "EUR", "64").await;
    let globex = fixture(&app, "Globex", "GBP", "25").await;
    let runs = (0..4).map(|_| {
        let runs = app.app.services.billing_runs.clone();
        tokio::spawn(async move { runs.run(date("2026-07-15")).await.expect("run") })
    });
    let mut numbers: Vec<String> = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .flat_map(|r| r.expect("task").invoiced)
        .map(|b| b.number)
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=6).map(|n| format!("INV-2026-{n:06}")).collect();
    assert_eq!(
        numbers, expected,
        "three periods each of two subscriptions, once"
    );
    for fx in [&acme, &globex] {
        assert_eq!(invoices_of(&app, &fx.subscription).await.len(), 3);
    }
});

const HISTORY: &str = "query H($status: InvoiceStatus) { viewer { organisation {
    invoices(first: 10, status: $status) { nodes { id number status subscriptionId issueDate periodStart
      lines { kind description amount { amount } tax { amount } } subtotal { amount } tax { amount }
      total { amount } amountDue { amount } } pageInfo { hasNextPage } } } } }";

e2e_test!(
    customers_read_their_invoices_newest_first_as_upcoming_showed_them,
    |app| {
        let fx = fixture(&app, "Acme Telecom", "EUR", "64").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let quote = billing.preview_license_change(&fx.item, 2).await;
        billing.apply_license_change(&quote, "history").await;
        let upcoming = billing.upcoming_charges(&fx.subscription).await;
        app.app
            .services
            .billing_runs
            .run(date("2026-06-15"))
            .await
            .expect("run");

        let viewer = app.as_viewer("Acme Telecom").await;
        let body = viewer.graphql(HISTORY, serde_json::json!({})).await;
        tests::assert_ok(&body);
        let invoices = &body["data"]["viewer"]["organisation"]["invoices"]["nodes"];
        let ours: Vec<&serde_json::Value> = invoices
            .as_array()
            .expect("invoices")
            .iter()
            .filter(|i| i["subscriptionId"] == fx.subscription.as_str())
            .collect();
        let periods: Vec<&str> = ours
            .iter()
            .map(|i| i["periodStart"].as_str().expect("period"))
            .collect();
        assert_eq!(
            periods,
            ["2026-06-01", "2026-05-01"],
            "newest first: {body}"
        );
        let may = ours[1];
        assert_eq!(may["status"], "OPEN");
        assert_eq!(may["issueDate"], upcoming.invoice_date.as_str());
        let lines: Vec<(&str, &str, &str)> = may["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["description"].as_str().expect("description"),
                    l["amount"]["amount"].as_str().expect("amount"),
                    l["tax"]["amount"].as_str().expect("tax"),
                )
            })
            .collect();
        let previewed: Vec<(&str, &str, &str)> = upcoming
            .lines
            .iter()
            .map(|l| {
                (
                    l.description.as_str(),
                    l.amount.amount.as_str(),
                    l.tax.amount.as_str(),
                )
            })
            .collect();
        assert_eq!(lines, previewed);
        assert_eq!(may["total"]["amount"], upcoming.total.amount.as_str());
        assert_eq!(
            may["amountDue"]["amount"],
            upcoming.amount_due.amount.as_str()
        );

        // The status filter: both are open, none is paid.
        let paid = viewer
            .graphql(HISTORY, serde_json::json!({ "status": "PAID" }))
            .await;
        assert_eq!(
            paid["data"]["viewer"]["organisation"]["invoices"]["nodes"],
            serde_json::json!([]),
            "{paid}"
        );
    }
);

e2e_test!(
    one_failing_subscription_neither_stops_the_run_nor_writes_anything,
    |app| {
        let acme = fixture(&app, "Acme Telecom", "EUR", "64").await;
        let globex = fixture(&app, "Globex", "GBP", "25").await;
        // Corrupt Globex's price behind the API's back: its invoice cannot be built.
        let subscription: SubscriptionId = globex.subscription.parse().expect("id");
        let item = entity::subscription_item::Entity::find()
            .filter(entity::subscription_item::Column::SubscriptionId.eq(subscription))
            .one(app.app.db.reads())
            .await
            .expect("item")
            .expect("an item");
        entity::price::Entity::update_many()
            .col_expr(
                entity::price::Column::UnitAmount,
                sea_orm::sea_query::Expr::value("not a number"),
            )
            .filter(entity::price::Column::Id.eq(item.price_id))
            .exec(app.app.db.writes())
            .await
            .expect("corrupt");

        let report = app
            .app
            .services
            .billing_runs
            .run(date("2026-07-15"))
            .await
            .expect("the run itself succeeds");
        let numbers: Vec<&str> = report.invoiced.iter().map(|b| b.number.as_str()).collect();
        assert_eq!(
            numbers,
            ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"],
            "Acme's three periods, numbered without a gap: {report:?}"
        );
        assert_eq!(report.failed.len(), 1, "{report:?}");
        assert_eq!(report.failed[0].0, subscription);
        assert!(invoices_of(&app, &globex.subscription).await.is_empty());
        assert_eq!(invoices_of(&app, &acme.subscription).await.len(), 3);
    }
);
