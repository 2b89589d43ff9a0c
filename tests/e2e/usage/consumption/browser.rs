//! The consumption page in a real browser (headless Chromium), on the demo as `cargo run`
//! seeds it (months of call minutes): the billing admin sees totals and a per-day chart drawn
//! on the server, filters by team (the totals change, the filter stays in the export links),
//! pages through the records, sees the calls of the organisation's numbers (their total, chart
//! and table; only calls with the type filter), and the page works at a phone's width.
//! Screenshots (desktop, calls and phone) go to `target/browser-screenshots/<backend>/`.

use api::seed::DEMO_PASSWORD;
use chrono::{Duration, Utc};
use fantoccini::Locator;
use tests::browser::Browser;
use tests::e2e_test;

e2e_test!(
    a_billing_admin_filters_consumption_by_team_and_sees_the_chart_change,
    config = |config: &mut api::config::Config| config.seed_demo_history = true,
    |app| {
        let browser = Browser::start(&app).await;
        browser.visit("/login").await;
        browser.fill("email", "billing@acme.example").await;
        browser.fill("password", DEMO_PASSWORD).await;
        browser.submit("button[type=submit].primary", "nav").await;

        // The default: the current period (on the 1st of a month, barely a day of it).
        browser.visit("/consumption").await;
        assert!(browser.source().await.contains("<h1>Consumption</h1>"));

        let today = Utc::now().date_naive();
        let from = today - Duration::days(60);
        browser
            .visit(&format!("/consumption?from={from}&to={today}"))
            .await;
        let page = browser.source().await;
        assert!(page.contains("<svg class=\"chart\""), "a chart is drawn");
        assert!(page.contains("Outbound minutes per day"), "{page}");
        assert!(page.contains("Billed call minutes per day"), "{page}");
        let bars = page.matches("<rect class=\"bar\"").count();
        assert_eq!(
            bars,
            2 * 61,
            "one bar per day of the range, on the product's chart and the calls'"
        );
        assert!(page.contains("id=\"calls\""), "the calls table");
        let everyone = browser.text("#totals tbody tr").await;
        browser.screenshot("40-consumption-desktop").await;

        // Filter by the Sales team: fewer minutes, and the exports name the team.
        let select = browser
            .client
            .find(Locator::Id("team"))
            .await
            .expect("team filter");
        select.select_by_label("Sales").await.expect("choose Sales");
        browser
            .submit("form.filters button[type=submit]", "#totals")
            .await;
        let sales = browser.text("#totals tbody tr").await;
        assert_ne!(sales, everyone, "the totals change with the team");
        assert!(
            !browser
                .source()
                .await
                .contains("Billed call minutes per day"),
            "calls carry no team"
        );
        let csv = browser
            .client
            .find(Locator::Id("export-csv"))
            .await
            .expect("CSV link")
            .attr("href")
            .await
            .expect("href")
            .unwrap_or_default();
        assert!(csv.contains("teamId=team_"), "{csv}");
        assert!(browser.source().await.contains("Next records"));
        browser.submit("#next-records", "#first-records").await;

        // Only the calls: their total, chart and table, and the next page of calls.
        browser
            .visit(&format!("/consumption?from={from}&to={today}&type=calls"))
            .await;
        let calls = browser.source().await;
        assert!(calls.contains("Billed call minutes per day"), "{calls}");
        assert!(!calls.contains("Outbound minutes per day"));
        assert!(browser.text("#totals tbody tr").await.starts_with("Calls"));
        assert!(calls.contains("type=calls"), "the exports keep the type");
        // Tall enough for the totals, the chart and the first calls in one picture.
        browser
            .client
            .set_window_size(1280, 2400)
            .await
            .expect("tall window");
        browser.screenshot("42-consumption-calls").await;
        browser.submit("#next-calls", "#first-calls").await;

        browser
            .client
            .set_window_size(390, 844)
            .await
            .expect("phone width");
        browser
            .visit(&format!("/consumption?from={from}&to={today}"))
            .await;
        browser.screenshot("41-consumption-phone").await;
        browser.close().await;
    }
);
