//! The invoice journey in a real browser (headless Chromium): a billing admin reads the credit
//! balance on the overview, opens last period's invoice from the history, reads its lines,
//! credits applied and amount due, and has a copy sent to themselves; a viewer does the same.
//! Screenshots (desktop, and a phone's width) go to `target/browser-screenshots/<backend>/`.

use api::seed::DEMO_PASSWORD;
use fantoccini::Locator;
use serde_json::json;
use tests::browser::Browser;
use tests::{assert_ok, e2e_test};

/// Sets the browser window to `width` × `height` (a phone is about 390 wide).
async fn resize(browser: &Browser, width: u32, height: u32) {
    browser
        .client
        .set_window_size(width, height)
        .await
        .unwrap_or_else(|e| panic!("cannot resize to {width}×{height}: {e}"));
}

async fn sign_in(browser: &Browser, email: &str) {
    browser.visit("/login").await;
    browser.fill("email", email).await;
    browser.fill("password", DEMO_PASSWORD).await;
    browser.submit("button[type=submit].primary", "nav").await;
}

e2e_test!(
    a_billing_admin_and_a_viewer_read_an_invoice_and_the_credit_balance,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let top_up = |amount: &str| {
            json!({ "input": { "customerId": acme, "kind": "TOP_UP", "amount": amount,
            "description": "Prepayment by bank transfer" } })
        };
        const ADJUST: &str = "mutation A($input: AdjustCreditBalanceInput!) { adjustCreditBalance(input: $input) { entry { id } } }";
        // €100 of credit before the run (applied to the invoice), €25 after (the balance).
        assert_ok(&staff.graphql(ADJUST, top_up("100")).await);
        tests::bill_demo_next_period(&app).await;
        assert_ok(&staff.graphql(ADJUST, top_up("25")).await);

        let browser = Browser::start(&app).await;
        for (email, shot) in [
            ("billing@acme.example", "billing"),
            ("viewer@acme.example", "viewer"),
        ] {
            sign_in(&browser, email).await;
            assert_eq!(browser.text("#credit-balance").await, "€25.00", "{email}");
            browser
                .screenshot(&format!("11-overview-credits-{shot}"))
                .await;

            browser.visit("/invoices").await;
            browser.screenshot(&format!("12-invoices-{shot}")).await;
            browser
                .submit("a[href^='/invoice?id=']", "#amount-due")
                .await;
            let page = browser.source().await;
            assert!(
                page.contains("10 ADVANCED licenses at €64.00 each"),
                "{page}"
            );
            assert_eq!(browser.text("#credits-applied").await, "−€100.00");
            // €768.00 − €100.00 of credit.
            assert_eq!(browser.text("#amount-due").await, "€668.00");
            browser.screenshot(&format!("13-invoice-{shot}")).await;

            // "Send me this invoice again": the confirmation names the user's own address,
            // and the e-mails list the copy, waiting to be sent.
            browser.submit("#send-copy", "#notice").await;
            assert_eq!(
                browser.text("#notice").await,
                format!("A copy is on its way to {email}.")
            );
            let emails = browser.text("#emails").await;
            assert!(
                emails.contains(&format!("A copy, on request {email} Waiting to be sent")),
                "{emails}"
            );
            browser
                .screenshot(&format!("13a-invoice-copy-sent-{shot}"))
                .await;

            // The same pages at a phone's width.
            resize(&browser, 390, 844).await;
            browser
                .screenshot(&format!("13b-invoice-phone-{shot}"))
                .await;
            browser.visit("/invoices").await;
            browser
                .screenshot(&format!("12b-invoices-phone-{shot}"))
                .await;
            resize(&browser, 1280, 900).await;
            browser.submit("nav button.link", "#email").await;
        }
        browser.close().await;
    }
);

e2e_test!(
    the_history_filter_works_in_a_browser_and_an_invoice_prints_without_the_chrome,
    |app| {
        // An open period invoice, and a paid invoice of a one-time charge.
        tests::bill_demo_next_period(&app).await;
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let charged = staff
            .graphql(
                "mutation C($input: CreateChargesInput!) { createCharges(input: $input) { invoice { id number } } }",
                json!({ "input": { "customerId": acme, "timing": "INVOICE_NOW",
                    "confirmUnpaidInvoices": true,
                    "charges": [{ "description": "Cabling", "amount": "150" }] } }),
            )
            .await;
        assert_ok(&charged);
        let paid = charged["data"]["createCharges"]["invoice"]["number"]
            .as_str()
            .expect("number")
            .to_owned();
        assert_ok(
            &staff
                .graphql(
                    "mutation P($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) { invoice { id } } }",
                    json!({ "input": { "invoiceId": charged["data"]["createCharges"]["invoice"]["id"] } }),
                )
                .await,
        );

        let browser = Browser::start(&app).await;
        sign_in(&browser, "billing@acme.example").await;
        browser.visit("/invoices").await;
        browser.screenshot("14-invoices-filter-form").await;
        // The delivery form opens without JavaScript (a disclosure).
        let address = browser
            .client
            .find(Locator::Id("delivery-email"))
            .await
            .expect("the delivery form's address field");
        assert!(!address.is_displayed().await.expect("displayed"), "closed");
        browser.click("#delivery summary").await;
        assert!(address.is_displayed().await.expect("displayed"), "opened");
        browser.screenshot("14a-invoices-delivery-form").await;

        // Choose "Paid" and submit: the one paid invoice, the choice kept in the URL.
        browser.click("#status option[value='paid']").await;
        browser
            .submit("form.filters button[type=submit]", "#clear-filter")
            .await;
        let url = browser.client.current_url().await.expect("url");
        assert!(
            url.as_str().ends_with("/invoices?status=paid&from=&to="),
            "{url}"
        );
        assert_eq!(browser.text("table.lines tbody a").await, paid);
        browser.screenshot("15-invoices-paid").await;

        // A reversed range: the API's message beside "Issued to".
        browser
            .visit("/invoices?from=2026-06-15&to=2026-06-14")
            .await;
        assert_eq!(
            browser.text("#to-error").await,
            "the last day is before the first"
        );
        browser.screenshot("16-invoices-reversed-range").await;
        // Nothing matches: the empty state.
        browser.visit("/invoices?status=void").await;
        assert_eq!(
            browser.text("#no-match").await,
            "No invoice matches this filter."
        );

        // Printed, the invoice keeps its content and drops the navigation, the back link and
        // the sign-out form; the history drops its filter form.
        browser.submit("a#clear-filter", "table.lines").await;
        browser.submit("table.lines tbody a", "#amount-due").await;
        for (css, screen) in [("nav", "block"), (".back", "block"), ("form", "inline")] {
            assert_eq!(browser.display(css).await, screen, "{css} on screen");
        }
        browser.emulate_print(true).await;
        for css in [
            "nav",
            ".back",
            "form",
            ".skip",
            ".document-actions",
            ".emails",
        ] {
            assert_eq!(browser.display(css).await, "none", "{css} printed");
        }
        for css in ["h1", "table.lines", "#amount-due", ".identity"] {
            assert_ne!(browser.display(css).await, "none", "{css} printed");
        }
        browser.screenshot("17-invoice-printed").await;
        browser.visit("/invoices").await;
        for css in ["form.filters", "#delivery", "td.document"] {
            assert_eq!(browser.display(css).await, "none", "{css} printed");
        }
        browser.screenshot("18-invoices-printed").await;
        browser.emulate_print(false).await;
        browser.close().await;
    }
);
