//! The console's journey in headless Chromium: an administrator signs in at `/admin`, finds
//! Acme Telecom by one of its telephone numbers (typed as people write it), adds a quick
//! charge and an addon with a PO number and notes, previews the invoice (the server's figures,
//! equal to `previewCharges`'), creates it, and signs out; Acme's billing admin then signs in
//! to the portal and reads that invoice. In the same browser, Acme's billing admin cannot sign
//! in to the console. Screenshots (laptop and tablet widths) go to
//! `target/browser-screenshots/<backend>/`.

use api::seed::DEMO_PASSWORD;
use serde_json::{Value, json};
use tests::browser::Browser;
use tests::e2e_test;

use crate::numbers::{add_number, telecom};

/// Signs `email` in on the sign-in form at `path`, waiting for `expected` on the next page.
async fn sign_in(browser: &Browser, path: &str, email: &str, expected: &str) {
    browser.visit(path).await;
    browser.fill("email", email).await;
    browser.fill("password", DEMO_PASSWORD).await;
    browser
        .submit("button[type=submit].primary", expected)
        .await;
}

e2e_test!(
    staff_invoice_a_quick_charge_and_an_addon_that_the_customer_then_reads,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let fx = telecom(&app, &acme, 1).await;
        add_number(&staff, &fx, "+33142685300").await;
        let addon = staff
            .create_product(json!({ "name": "SIP trunk setup", "code": "sip-setup",
                "kind": "ONE_OFF" }))
            .await;
        staff
            .create_price(
                json!({ "productId": addon, "currency": "EUR", "interval": "MONTH",
                "model": "PER_UNIT", "unitAmount": "49", "taxable": true }),
            )
            .await;
        // What the API previews for the same charges: the page must show these figures.
        let expected: Value = staff
            .data(
                "previewCharges",
                "query P($input: ChargesInput!) { previewCharges(input: $input) {
                    total { formatted } amountDue { formatted } } }",
                json!({ "input": { "customerId": acme, "poNumber": "PO-4711",
                    "notes": "Installed on site",
                    "charges": [{ "description": "Installation", "amount": "150" },
                                { "productId": addon, "quantity": "2" }] } }),
            )
            .await;

        let browser = Browser::start(&app).await;
        // A customer's password opens nothing in the console.
        sign_in(
            &browser,
            "/admin/login",
            "billing@acme.example",
            "#form-error",
        )
        .await;
        assert_eq!(
            browser.text("#form-error").await,
            "The console is for operator staff. Customers sign in to their portal at /."
        );
        browser.screenshot("60-console-customer-refused").await;

        sign_in(
            &browser,
            "/admin/login",
            "admin@billfold.example",
            "#header-search",
        )
        .await;
        assert_eq!(browser.text("#signed-in-role").await, "Administrator");
        // The number as people write it: one match opens the customer.
        browser.fill("header-search", "01 42 68 53 00").await;
        browser
            .submit(".quick-search button", "#customer-name")
            .await;
        assert!(
            browser
                .text("#customer-name")
                .await
                .starts_with("Acme Telecom")
        );
        browser
            .visit(&format!("/admin/customers/{acme}?tab=usage"))
            .await;
        assert!(browser.text("#numbers").await.contains("+33142685300"));
        browser.screenshot("61-console-customer-usage").await;

        browser
            .submit("nav[aria-label=Customer] a[href$='/charges']", "#preview")
            .await;
        browser.fill("description_0", "Installation").await;
        browser.fill("amount_0", "150").await;
        browser
            .click(&format!("#product_1 option[value='{addon}']"))
            .await;
        browser.fill("quantity_1", "2").await;
        browser.fill("po_number", "PO-4711").await;
        browser.fill("notes", "Installed on site").await;
        browser.screenshot("62-console-charges-form").await;
        browser.submit("#preview", "#preview-total").await;
        assert_eq!(
            browser.text("#preview-total").await,
            expected["previewCharges"]["total"]["formatted"]
        );
        assert_eq!(
            browser.text("#preview-amount-due").await,
            expected["previewCharges"]["amountDue"]["formatted"]
        );
        assert_eq!(browser.text("#preview-po").await, "PO-4711");
        let lines = browser.text("#preview-lines").await;
        assert!(
            lines.contains("Installation") && lines.contains("SIP trunk setup"),
            "{lines}"
        );
        browser.screenshot("63-console-charges-preview").await;

        browser.submit("#create-invoice", "#notice").await;
        let invoices = browser.text("#invoices").await;
        assert!(invoices.contains("PO-4711"), "{invoices}");
        browser.screenshot("64-console-invoice-created").await;
        // The same page at a tablet's width.
        browser
            .client
            .set_window_size(768, 1024)
            .await
            .expect("resize");
        browser.screenshot("65-console-invoices-tablet").await;
        browser
            .client
            .set_window_size(1280, 900)
            .await
            .expect("resize");
        browser.submit("#sign-out", "#email").await;

        // Acme's billing admin reads the invoice in the portal.
        let made: Value = staff
            .data(
                "invoices",
                "query I($id: ID!) { customer(id: $id) { invoices(first: 1) {
                    nodes { id number poNumber total { formatted } } } } }",
                json!({ "id": acme }),
            )
            .await;
        let invoice = &made["customer"]["invoices"]["nodes"][0];
        assert_eq!(invoice["poNumber"], "PO-4711", "{made}");
        assert_eq!(
            invoice["total"]["formatted"],
            expected["previewCharges"]["total"]["formatted"]
        );
        sign_in(&browser, "/login", "billing@acme.example", "nav").await;
        browser.visit("/invoices").await;
        let number = invoice["number"].as_str().expect("a number");
        assert!(browser.source().await.contains(number), "{number}");
        browser
            .visit(&format!(
                "/invoice?id={}",
                invoice["id"].as_str().expect("an id")
            ))
            .await;
        assert_eq!(browser.text("#po-number").await, "PO number: PO-4711");
        let page = browser.source().await;
        assert!(
            page.contains("Installation") && page.contains("SIP trunk setup"),
            "{page}"
        );
        browser.screenshot("66-portal-invoice-from-console").await;
        browser.close().await;
    }
);
