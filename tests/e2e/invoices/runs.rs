//! Billing runs at scale: workers that claim subscriptions, runs repeated and racing, a crash
//! at each of five points of a period's transaction followed by a rerun, and staff runs
//! started and read through GraphQL. Every case ends with the same check: exactly one invoice
//! per subscription period, each with its lines, numbered 1..N without a gap or a duplicate.

use std::sync::Arc;
use std::time::Duration;

use api::services::invoices::{CrashPoint, RunProgress};
use chrono::NaiveDate;
use entity::billing_run::{self, RunOrigin, RunStatus};
use entity::{invoice, invoice_line, subscription};
use ids::SubscriptionId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{
    LicenseItemFixture, LicenseItemIds, TestApp, assert_bad_input, assert_code, assert_ok,
    e2e_test, instant,
};

use crate::licenses::APRIL_2;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

async fn fixture(app: &TestApp, organisation: &str, currency: &str) -> LicenseItemIds {
    LicenseItemFixture::for_organisation(organisation)
        .currency(currency)
        .unit_price("30")
        .seats(3)
        .at(APRIL_2)
        .create(app)
        .await
}

fn sub(fx: &LicenseItemIds) -> SubscriptionId {
    fx.subscription.parse().expect("subscription id")
}

/// Every invoice of 2026 must be numbered 1..N once, each subscription period invoiced once,
/// and every invoice have its lines (none half-written). Returns N.
async fn assert_exactly_once(app: &TestApp, subscriptions: &[SubscriptionId]) -> usize {
    let db = app.app.db.reads();
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::SubscriptionId.is_in(subscriptions.iter().copied()))
        .all(db)
        .await
        .expect("invoices");
    let mut numbers: Vec<String> = invoices
        .iter()
        .map(|i| i.number.clone().expect("every invoice is numbered"))
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=invoices.len())
        .map(|n| format!("INV-2026-{n:06}"))
        .collect();
    assert_eq!(numbers, expected, "numbers 1..N, no gap, no duplicate");
    let mut periods: Vec<_> = invoices
        .iter()
        .map(|i| (i.subscription_id, i.period_start))
        .collect();
    periods.sort();
    periods.dedup();
    assert_eq!(periods.len(), invoices.len(), "one invoice per period");
    for invoice in &invoices {
        let lines = invoice_line::Entity::find()
            .filter(invoice_line::Column::InvoiceId.eq(invoice.id))
            .count(db)
            .await
            .expect("lines");
        assert!(lines > 0, "invoice {:?} has no lines", invoice.number);
        assert_eq!(invoice.status, invoice::InvoiceStatus::Open);
    }
    invoices.len()
}

async fn invoice_count(app: &TestApp, subscription: SubscriptionId) -> u64 {
    invoice::Entity::find()
        .filter(invoice::Column::SubscriptionId.eq(subscription))
        .count(app.app.db.reads())
        .await
        .expect("count")
}

async fn set_status(app: &TestApp, id: SubscriptionId, status: subscription::SubscriptionStatus) {
    subscription::Entity::update_many()
        .col_expr(subscription::Column::Status, Expr::value(status))
        .filter(subscription::Column::Id.eq(id))
        .exec(app.app.db.writes())
        .await
        .expect("status");
}

e2e_test!(
    repeated_and_racing_runs_with_four_workers_bill_each_period_once,
    |app| {
        let mut billed = Vec::new();
        for (organisation, currency) in [("Acme Telecom", "EUR"), ("Globex", "GBP")] {
            billed.push(sub(&fixture(&app, organisation, currency).await));
            billed.push(sub(&fixture(&app, organisation, currency).await));
        }
        let paused = sub(&fixture(&app, "Acme Telecom", "EUR").await);
        let cancelled = sub(&fixture(&app, "Globex", "GBP").await);
        set_status(&app, paused, subscription::SubscriptionStatus::Paused).await;
        set_status(&app, cancelled, subscription::SubscriptionStatus::Cancelled).await;
        let runs = &app.app.services.billing_runs;

        // May only, then three racing runs of four workers each up to July, then twice more.
        let first = runs
            .run_with(date("2026-05-01"), 4, Arc::default())
            .await
            .expect("run");
        assert_eq!(first.invoiced.len(), 4, "{first:?}");
        let racing = (0..3).map(|_| {
            let runs = runs.clone();
            tokio::spawn(async move { runs.run_with(date("2026-07-15"), 4, Arc::default()).await })
        });
        let raced: usize = futures_util::future::join_all(racing)
            .await
            .into_iter()
            .map(|r| r.expect("task").expect("run").invoiced.len())
            .sum();
        assert_eq!(
            raced, 8,
            "June and July of four subscriptions, once between them"
        );
        for _ in 0..2 {
            let again = runs
                .run_with(date("2026-07-15"), 4, Arc::default())
                .await
                .expect("run");
            assert_eq!(again.invoiced, Vec::new(), "nothing is due any more");
        }

        assert_eq!(assert_exactly_once(&app, &billed).await, 12);
        for id in &billed {
            assert_eq!(invoice_count(&app, *id).await, 3, "May, June and July");
        }
        assert_eq!(invoice_count(&app, paused).await, 0, "paused: not billed");
        assert_eq!(
            invoice_count(&app, cancelled).await,
            0,
            "cancelled: not billed"
        );
    }
);

e2e_test!(
    a_crash_at_each_point_leaves_nothing_half_written_and_a_rerun_finishes,
    |app| {
        let subscriptions = [
            sub(&fixture(&app, "Acme Telecom", "EUR").await),
            sub(&fixture(&app, "Globex", "GBP").await),
        ];
        let runs = &app.app.services.billing_runs;
        let months = [
            "2026-05-01",
            "2026-06-01",
            "2026-07-01",
            "2026-08-01",
            "2026-09-01",
        ];
        for (point, month) in CrashPoint::ALL.into_iter().zip(months) {
            let before = assert_exactly_once(&app, &subscriptions).await;
            runs.set_crash_point(Some(point));
            let crashed = runs
                .record(RunOrigin::Cli, date(month), 2, Arc::default())
                .await;
            assert!(crashed.is_err(), "{point:?}: the run stops dead");
            // What committed before the crash is whole; the crashed period is not there at all.
            let after_crash = assert_exactly_once(&app, &subscriptions).await;
            assert!(
                after_crash < before + 2,
                "{point:?}: the crashed period was not written"
            );
            let recorded = billing_run::Entity::find()
                .filter(billing_run::Column::AsOf.eq(date(month)))
                .one(app.app.db.reads())
                .await
                .expect("run row")
                .expect("the crashed run is recorded");
            assert_eq!(recorded.status, RunStatus::Failed, "{point:?}");
            assert!(recorded.error.is_some(), "{point:?}");

            let rerun = runs
                .record(RunOrigin::Cli, date(month), 2, Arc::default())
                .await
                .expect("rerun");
            assert!(rerun.1.failed.is_empty(), "{point:?}: {rerun:?}");
            assert_eq!(
                assert_exactly_once(&app, &subscriptions).await,
                before + 2,
                "{point:?}: the rerun billed this month of both subscriptions"
            );
        }
        for id in subscriptions {
            assert_eq!(
                invoice_count(&app, id).await,
                5,
                "May to September, once each"
            );
        }
    }
);

const START: &str = "mutation S($input: StartBillingRunInput!) { startBillingRun(input: $input) {
    run { id status asOf workers origin startedBy } } }";
const RUN: &str = "query R($id: ID!) { billingRun(id: $id) { id status asOf workers origin due
    invoiced failed failures { subscriptionId code message } error startedAt finishedAt } }";
const RUNS: &str =
    "query { billingRuns(first: 5) { nodes { id status } pageInfo { hasNextPage } } }";

/// Reads the run until it is no longer running (10 s at most), and returns it.
async fn finished(staff: &tests::Session<'_>, id: &str) -> Value {
    let mut run = Value::Null;
    for _ in 0..100 {
        let body = staff.graphql(RUN, json!({ "id": id })).await;
        assert_ok(&body);
        run = body["data"]["billingRun"].clone();
        if run["status"] != "RUNNING" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    run
}

e2e_test!(staff_start_a_run_and_read_its_progress_and_results, |app| {
    let acme = fixture(&app, "Acme Telecom", "EUR").await;
    let globex = fixture(&app, "Globex", "GBP").await;
    // Globex's price is corrupted behind the API's back: its invoice cannot be built.
    let item = entity::subscription_item::Entity::find()
        .filter(entity::subscription_item::Column::SubscriptionId.eq(sub(&globex)))
        .one(app.app.db.reads())
        .await
        .expect("item")
        .expect("an item");
    entity::price::Entity::update_many()
        .col_expr(
            entity::price::Column::UnitAmount,
            Expr::value("not a number"),
        )
        .filter(entity::price::Column::Id.eq(item.price_id))
        .exec(app.app.db.writes())
        .await
        .expect("corrupt");
    app.app.services.clock.set(instant("2026-07-15T09:00:00Z"));

    let staff = app.as_staff().await;
    let body = staff
        .graphql(
            START,
            json!({ "input": { "asOf": "2026-07-15", "workers": 2 } }),
        )
        .await;
    assert_ok(&body);
    let started = &body["data"]["startBillingRun"]["run"];
    assert_eq!(started["status"], "RUNNING", "answered at once: {body}");
    assert_eq!(started["asOf"], "2026-07-15");
    assert_eq!(started["workers"], 2);
    assert_eq!(started["origin"], "STAFF");
    assert!(
        started["startedBy"]
            .as_str()
            .is_some_and(|s| s.starts_with("usr_"))
    );
    let id = started["id"].as_str().expect("id").to_owned();

    let run = finished(&staff, &id).await;
    assert_eq!(run["status"], "COMPLETED", "{run}");
    assert_eq!(run["due"], 2, "{run}");
    assert_eq!(run["invoiced"], 3, "Acme's May, June and July: {run}");
    assert_eq!(run["failed"], 1, "{run}");
    assert_eq!(
        run["failures"],
        json!([{ "subscriptionId": globex.subscription, "code": "INTERNAL",
                     "message": "internal error" }])
    );
    assert_eq!(run["error"], Value::Null);
    assert!(run["finishedAt"].is_string());
    assert_eq!(invoice_count(&app, sub(&acme)).await, 3);

    let listed = staff.graphql(RUNS, json!({})).await;
    assert_ok(&listed);
    assert_eq!(listed["data"]["billingRuns"]["nodes"][0]["id"], id.as_str());
    let audited = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("billing_run.start"))
        .filter(entity::audit_log::Column::SubjectId.eq(id.as_str()))
        .count(app.app.db.reads())
        .await
        .expect("audit");
    assert_eq!(audited, 1, "starting a run is audited");
});

e2e_test!(
    a_start_while_another_run_is_running_is_a_conflict_until_it_is_abandoned,
    |app| {
        app.app.services.clock.set(instant("2026-07-15T09:00:00Z"));
        // Another instance's run, alive (its heartbeat is fresh).
        let now = chrono::Utc::now();
        let other = billing_run::Model {
            id: ids::BillingRunId::new(),
            as_of: date("2026-07-15"),
            workers: 4,
            status: RunStatus::Running,
            origin: RunOrigin::Scheduler,
            started_by: None,
            started_at: now,
            heartbeat_at: now,
            finished_at: None,
            due: 10,
            invoiced: 2,
            failed: 0,
            failures: json!([]),
            error: None,
        };
        billing_run::Entity::insert(billing_run::ActiveModel::from(other.clone()))
            .exec_without_returning(app.app.db.writes())
            .await
            .expect("insert");
        let staff = app.as_staff().await;
        let input = json!({ "input": { "asOf": "2026-07-15" } });
        assert_code(&staff.graphql(START, input.clone()).await, "CONFLICT");
        let cli = app
            .app
            .services
            .billing_runs
            .record(
                RunOrigin::Cli,
                date("2026-07-15"),
                1,
                Arc::<RunProgress>::default(),
            )
            .await;
        assert!(
            matches!(cli, Err(api::error::ServiceError::Conflict { .. })),
            "the command line is refused too"
        );

        // Its process died: once its heartbeat is over a minute old, a start takes over.
        billing_run::Entity::update_many()
            .col_expr(
                billing_run::Column::HeartbeatAt,
                Expr::value(now - chrono::Duration::minutes(2)),
            )
            .filter(billing_run::Column::Id.eq(other.id))
            .exec(app.app.db.writes())
            .await
            .expect("age");
        let body = staff.graphql(START, input).await;
        assert_ok(&body);
        let id = body["data"]["startBillingRun"]["run"]["id"]
            .as_str()
            .expect("id");
        assert_eq!(finished(&staff, id).await["status"], "COMPLETED");
        let abandoned = staff
            .graphql(RUN, json!({ "id": other.id.to_string() }))
            .await;
        assert_eq!(
            abandoned["data"]["billingRun"]["status"], "FAILED",
            "{abandoned}"
        );
        assert!(abandoned["data"]["billingRun"]["error"].is_string());
    }
);

e2e_test!(
    customers_are_forbidden_and_bad_input_names_the_field_and_writes_nothing,
    |app| {
        app.app.services.clock.set(instant("2026-07-15T09:00:00Z"));
        let valid = json!({ "input": { "asOf": "2026-07-15", "workers": 1 } });
        for organisation in ["Acme Telecom"] {
            for session in [
                app.as_owner(organisation).await,
                app.as_billing_admin(organisation).await,
                app.as_viewer(organisation).await,
            ] {
                assert_code(&session.graphql(START, valid.clone()).await, "FORBIDDEN");
                assert_code(&session.graphql(RUNS, json!({})).await, "FORBIDDEN");
                let id = ids::BillingRunId::new().to_string();
                assert_code(
                    &session.graphql(RUN, json!({ "id": id })).await,
                    "FORBIDDEN",
                );
            }
        }
        let staff = app.as_staff().await;
        for (input, field) in [
            (json!({ "asOf": "2026-02-30" }), "input.asOf"),
            (json!({ "asOf": "15/07/2026" }), "input.asOf"),
            (json!({ "asOf": "2026-07-16" }), "input.asOf"),
            (json!({ "workers": 0 }), "input.workers"),
            (json!({ "workers": 17 }), "input.workers"),
            (json!({ "workers": -1 }), "input.workers"),
        ] {
            let body = staff.graphql(START, json!({ "input": input })).await;
            assert_bad_input(&body, field);
        }
        let missing = ids::BillingRunId::new().to_string();
        assert_code(
            &staff.graphql(RUN, json!({ "id": missing })).await,
            "NOT_FOUND",
        );
        let runs = billing_run::Entity::find()
            .count(app.app.db.reads())
            .await
            .expect("count");
        assert_eq!(runs, 0, "refused starts wrote nothing");
        // The boundaries themselves are accepted: 16 workers, as of today.
        let body = staff
            .graphql(
                START,
                json!({ "input": { "asOf": "2026-07-15", "workers": 16 } }),
            )
            .await;
        assert_ok(&body);
        let id = body["data"]["startBillingRun"]["run"]["id"]
            .as_str()
            .expect("id");
        assert_eq!(finished(&staff, id).await["status"], "COMPLETED");
    }
);

e2e_test!(
    a_batch_that_fails_is_billed_again_one_by_one_and_fails_alone,
    |app| {
        let mut subscriptions = Vec::new();
        for (organisation, currency) in [
            ("Acme Telecom", "EUR"),
            ("Globex", "GBP"),
            ("Acme Telecom", "EUR"),
            ("Globex", "GBP"),
            ("Acme Telecom", "EUR"),
        ] {
            subscriptions.push(sub(&fixture(&app, organisation, currency).await));
        }
        // Batches of three: each holds two customers' subscriptions, so every batch also puts
        // off a second subscription of one customer to the next pass.
        let runs = app.app.services.billing_runs.clone().with_batch_size(3);
        let may = runs.run(date("2026-05-01")).await.expect("May");
        assert_eq!(may.invoiced.len(), 5, "{may:?}");
        assert!(may.failed.is_empty(), "{may:?}");

        // Roll one subscription back to before May behind the API's back: billing May again
        // breaks the unique key on (subscription, period start), a database error that fails
        // its whole batch.
        let broken = subscriptions[1];
        subscription::Entity::update_many()
            .col_expr(
                subscription::Column::CurrentPeriodStart,
                Expr::value(date("2026-04-01")),
            )
            .col_expr(
                subscription::Column::CurrentPeriodEnd,
                Expr::value(date("2026-05-01")),
            )
            .col_expr(
                subscription::Column::NextInvoiceDate,
                Expr::value(date("2026-05-01")),
            )
            .filter(subscription::Column::Id.eq(broken))
            .exec(app.app.db.writes())
            .await
            .expect("roll back");

        let june = runs.run(date("2026-06-01")).await.expect("June");
        assert_eq!(june.failed.len(), 1, "{june:?}");
        assert_eq!(june.failed[0].0, broken, "only the broken one fails");
        let billed: Vec<SubscriptionId> = june.invoiced.iter().map(|b| b.subscription).collect();
        for id in subscriptions.iter().filter(|s| **s != broken) {
            assert!(billed.contains(id), "{id} billed for June: {june:?}");
        }
        assert_eq!(billed.len(), 4, "{june:?}");
        assert_eq!(invoice_count(&app, broken).await, 1, "May only, once");
        // The four June invoices continue May's five without a gap.
        assert_eq!(assert_exactly_once(&app, &subscriptions).await, 9);
    }
);

e2e_test!(
    a_customer_s_invoices_use_its_credit_in_the_order_upcoming_charges_show,
    |app| {
        // Two Acme subscriptions due on the same day and €20 of credit, less than either
        // invoice: upcoming charges show the credit on the first only, and the run, with four
        // workers racing over them, applies it exactly so.
        let first = sub(&fixture(&app, "Acme Telecom", "EUR").await);
        let second = sub(&fixture(&app, "Acme Telecom", "EUR").await);
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        assert_ok(
            &staff
                .graphql(
                    "mutation A($input: AdjustCreditBalanceInput!) {
                        adjustCreditBalance(input: $input) { entry { kind } } }",
                    json!({ "input": { "customerId": acme, "kind": "TOP_UP",
                        "amount": "20.00", "description": "Goodwill" } }),
                )
                .await,
        );
        let billing = app.as_billing_admin("Acme Telecom").await;
        let fields =
            "subscriptionId creditsApplied { amount } amountDue { amount } total { amount }";
        let data: Value = billing
            .data(
                "upcomingCharges",
                &format!("{{ viewer {{ organisation {{ upcomingCharges {{ {fields} }} }} }} }}"),
                json!({}),
            )
            .await;
        let upcoming = data["viewer"]["organisation"]["upcomingCharges"]
            .as_array()
            .expect("upcoming")
            .clone();
        let of = |id: SubscriptionId| {
            upcoming
                .iter()
                .find(|u| u["subscriptionId"] == id.to_string())
                .cloned()
                .expect("an upcoming invoice")
        };
        assert_eq!(
            of(first)["creditsApplied"]["amount"],
            "20.00",
            "{upcoming:#?}"
        );
        assert_eq!(
            of(second)["creditsApplied"]["amount"],
            "0.00",
            "{upcoming:#?}"
        );

        let report = app
            .app
            .services
            .billing_runs
            .run_with(date("2026-05-01"), 4, Arc::default())
            .await
            .expect("run");
        assert_eq!(report.invoiced.len(), 2, "{report:?}");
        for id in [first, second] {
            let billed = report
                .invoiced
                .iter()
                .find(|b| b.subscription == id)
                .expect("billed");
            let data: Value = billing
                .data(
                    "invoice",
                    "query I($id: ID!) { viewer { organisation { invoice(id: $id) { \
                     creditsApplied { amount } amountDue { amount } total { amount } } } } }",
                    json!({ "id": billed.invoice.to_string() }),
                )
                .await;
            let invoice = &data["viewer"]["organisation"]["invoice"];
            let shown = of(id);
            for field in ["creditsApplied", "amountDue", "total"] {
                assert_eq!(invoice[field], shown[field], "{field} of {id}");
            }
        }
    }
);
