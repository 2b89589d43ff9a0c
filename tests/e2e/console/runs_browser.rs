//! Billing runs in headless Chromium: a run of another process (`billfold bill`) is followed
//! live on its page (the script's WebSocket writes the counts as the record changes, without
//! a reload, and the page reloads when it ends); then the administrator starts a run on the
//! demo data from the console and reads its result: the counts and the invoices it made,
//! equal to the API's, each opening its invoice page. Screenshots: `70-…` to `73-…`.

use std::time::Duration;

use api::seed::DEMO_PASSWORD;
use chrono::Utc;
use entity::billing_run::{self, RunOrigin, RunStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::browser::Browser;
use tests::{e2e_test, instant};

/// The text of the first element matching `css` once it equals `expected` (20 s at most);
/// the page may reload meanwhile.
async fn wait_for_text(browser: &Browser, css: &str, expected: &str) {
    let mut last = Value::Null;
    for _ in 0..200 {
        last = browser
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                vec![json!(css)],
            )
            .await
            .unwrap_or(Value::Null);
        if last.as_str() == Some(expected) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never read {expected:?} (last {last})");
}

/// Waits for the run page to be reloaded as finished (the server's page, not the script's
/// last update of the running one).
async fn wait_for_finished_page(browser: &Browser) {
    for _ in 0..200 {
        let finished = browser
            .client
            .execute(
                "return document.getElementById('run') !== null \
                   && document.getElementById('run-live') === null;",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        if finished == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the run page never showed the finished run");
}

/// A value the page's script leaves on `window` to prove the page was not reloaded.
async fn marker(browser: &Browser) -> Value {
    browser
        .client
        .execute("return window.runMarker || null;", vec![])
        .await
        .expect("script")
}

e2e_test!(
    staff_follow_a_run_live_and_read_the_result_of_one_they_start,
    |app| {
        let now = Utc::now();
        let other = billing_run::Model {
            id: ids::BillingRunId::new(),
            as_of: now.date_naive(),
            workers: 2,
            status: RunStatus::Running,
            origin: RunOrigin::Cli,
            started_by: None,
            started_at: now,
            heartbeat_at: now,
            finished_at: None,
            due: 40,
            invoiced: 12,
            failed: 0,
            failures: json!([]),
            error: None,
        };
        billing_run::Entity::insert(billing_run::ActiveModel::from(other.clone()))
            .exec_without_returning(app.app.db.writes())
            .await
            .expect("another process's run");
        let record = |invoiced: i64, status: RunStatus| {
            let mut update = billing_run::Entity::update_many()
                .col_expr(billing_run::Column::Invoiced, Expr::value(invoiced))
                .col_expr(billing_run::Column::Status, Expr::value(status))
                .col_expr(billing_run::Column::HeartbeatAt, Expr::value(Utc::now()))
                .filter(billing_run::Column::Id.eq(other.id));
            if status != RunStatus::Running {
                update = update.col_expr(billing_run::Column::FinishedAt, Expr::value(Utc::now()));
            }
            update.exec(app.app.db.writes())
        };

        let browser = Browser::start(&app).await;
        browser.visit("/admin/login").await;
        browser.fill("email", "admin@billfold.example").await;
        browser.fill("password", DEMO_PASSWORD).await;
        browser
            .submit("button[type=submit].primary", "#header-search")
            .await;
        browser
            .submit(
                "nav[aria-label=Main] a[href='/admin/billing-runs']",
                "#start-run",
            )
            .await;
        browser
            .submit(&format!("#runs a[href$='{}']", other.id), "#run-invoiced")
            .await;
        assert_eq!(browser.text("#run-status").await, "Running");
        // Live: the counts change on the page without a reload.
        browser
            .client
            .execute("window.runMarker = 'same page';", vec![])
            .await
            .expect("script");
        record(31, RunStatus::Running).await.expect("progress");
        wait_for_text(&browser, "#run-invoiced", "31").await;
        assert_eq!(marker(&browser).await, "same page", "updated in place");
        browser.screenshot("70-console-run-running").await;
        // Its end reloads the page, which then shows the record.
        record(40, RunStatus::Completed).await.expect("end");
        wait_for_finished_page(&browser).await;
        assert_eq!(browser.text("#run-status").await, "Completed");
        assert_eq!(browser.text("#run-invoiced").await, "40");
        assert_eq!(marker(&browser).await, Value::Null, "reloaded");
        assert!(
            !browser.source().await.contains("<script"),
            "finished: no script"
        );

        // The administrator starts a run on the demo data, due a month on.
        let day = now.date_naive() + chrono::Days::new(32);
        app.app
            .services
            .clock
            .set(instant(&format!("{day}T09:00:00Z")));
        browser.visit("/admin/billing-runs").await;
        browser.screenshot("71-console-billing-runs").await;
        browser.submit("#start", "#run-status").await;
        wait_for_finished_page(&browser).await;
        assert_eq!(browser.text("#run-status").await, "Completed");
        browser.screenshot("72-console-run-finished").await;
        let id = browser
            .client
            .execute("return document.getElementById('run').dataset.run;", vec![])
            .await
            .expect("the run's id");
        let staff = app.as_staff().await;
        let run: Value = staff
            .data(
                "billingRun",
                "query R($id: ID!) { billingRun(id: $id) { due invoiced failed
                invoices(first: 50) { nodes { number } } } }",
                json!({ "id": id }),
            )
            .await;
        let run = &run["billingRun"];
        assert!(run["invoiced"].as_i64() > Some(0), "{run}");
        assert_eq!(browser.text("#run-due").await, run["due"].to_string());
        assert_eq!(
            browser.text("#run-invoiced").await,
            run["invoiced"].to_string()
        );
        assert_eq!(browser.text("#run-failed").await, "0");
        let listed = browser.text("#run-invoices tbody").await;
        let numbers: Vec<&str> = run["invoices"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["number"].as_str())
            .collect();
        assert!(!numbers.is_empty());
        for number in &numbers {
            assert!(listed.contains(number), "{number} in {listed}");
        }
        // An invoice of the run opens its console page.
        browser
            .submit("#run-invoices td:first-child a", "#invoice-title")
            .await;
        let heading = browser.text("#invoice-title").await;
        assert!(numbers.iter().any(|n| heading.contains(n)), "{heading}");
        browser.screenshot("73-console-run-invoice").await;
        browser.close().await;
    }
);
