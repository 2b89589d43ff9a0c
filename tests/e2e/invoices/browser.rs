//! The invoice journey in a real browser (headless Chromium): a billing admin reads the credit
//! balance on the overview, opens last period's invoice from the history and reads its lines,
//! credits applied and amount due; a viewer reads the same. Screenshots go to
//! `target/browser-screenshots/<backend>/`.

use api::seed::DEMO_PASSWORD;
use serde_json::json;
use tests::browser::Browser;
use tests::{assert_ok, e2e_test};

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
            browser.submit("nav button.link", "#email").await;
        }
        browser.close().await;
    }
);
