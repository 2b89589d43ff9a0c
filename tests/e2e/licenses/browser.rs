//! The license journey in a real browser (headless Chromium): a billing admin adds two
//! licenses, reads the quote, confirms, sees the upcoming charges change, removes a free seat;
//! a viewer finds no change button. Runs on SQLite and on PostgreSQL; screenshots of each page
//! go to `target/browser-screenshots/<backend>/`.

use api::seed::DEMO_PASSWORD;
use tests::browser::Browser;
use tests::e2e_test;

async fn sign_in(browser: &Browser, email: &str) {
    browser.visit("/login").await;
    browser.fill("email", email).await;
    browser.fill("password", DEMO_PASSWORD).await;
    browser.submit("button[type=submit].primary", "nav").await;
}

e2e_test!(
    a_billing_admin_adds_and_removes_licenses_and_a_viewer_cannot,
    |app| {
        let browser = Browser::start(&app).await;

        sign_in(&browser, "billing@acme.example").await;
        let overview = browser.source().await;
        assert!(
            overview.contains("10 licenses at €64.00 each"),
            "{overview}"
        );
        browser.screenshot("01-overview").await;

        browser.visit("/charges").await;
        let total_before = browser.text("#total-1").await;
        browser.screenshot("02-charges-before").await;

        browser.visit("/licenses").await;
        browser.screenshot("03-licenses").await;
        let quantity_id = browser
            .client
            .find(fantoccini::Locator::Css("input[name=quantity]"))
            .await
            .expect("quantity field")
            .attr("id")
            .await
            .expect("id")
            .expect("the field has an id");
        browser.fill(&quantity_id, "2").await;
        browser.submit("button[value=add]", "#quote-quantity").await;

        // The quote, before anything changes.
        assert_eq!(browser.text("#quote-quantity").await, "10 → 12");
        assert_eq!(browser.text("#quote-unit-price").await, "€64.00 per month");
        let line = browser.text("#quote-line").await;
        assert!(line.starts_with("2 ADVANCED licenses at €"), "{line}");
        let next_invoice = browser.text("#quote-next-invoice").await;
        browser.screenshot("04-quote").await;
        browser.submit("#confirm", ".notice").await;

        let licenses = browser.source().await;
        assert!(
            licenses.contains("Done: you now have 12 licenses."),
            "{licenses}"
        );
        browser.screenshot("05-licenses-after").await;

        browser.visit("/charges").await;
        let charges = browser.source().await;
        assert!(
            charges.contains("12 ADVANCED licenses at €64.00 each"),
            "{charges}"
        );
        let proration = line.split(':').next().unwrap_or_default().to_owned();
        assert!(
            charges.contains(&proration),
            "the quoted line {proration} is on the invoice: {charges}"
        );
        assert_ne!(
            browser.text("#total-1").await,
            total_before,
            "the upcoming total changed"
        );
        browser.screenshot("06-charges-after").await;
        assert!(!next_invoice.is_empty());

        // Remove one free seat.
        browser.visit("/licenses").await;
        browser.fill(&quantity_id, "1").await;
        browser
            .submit("button[value=remove]", "#quote-quantity")
            .await;
        assert_eq!(browser.text("#quote-quantity").await, "12 → 11");
        browser.submit("#confirm", ".notice").await;
        assert!(
            browser
                .source()
                .await
                .contains("Done: you now have 11 licenses.")
        );

        // Sign out; a viewer sees the licenses but no button to change them.
        browser.submit("nav button.link", "#email").await;
        sign_in(&browser, "viewer@acme.example").await;
        browser.visit("/licenses").await;
        let page = browser.source().await;
        assert!(page.contains("11 licenses at €64.00"), "{page}");
        let buttons = browser
            .client
            .find_all(fantoccini::Locator::Css("main button"))
            .await
            .expect("buttons");
        assert!(buttons.is_empty(), "a viewer has no change button");
        browser.screenshot("07-viewer-licenses").await;
        browser.close().await;
    }
);
