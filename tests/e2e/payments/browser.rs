//! The payments journey in a real browser (headless Chromium), without JavaScript's help: a
//! billing admin adds a card that is declined and sees the decline next to the pay form, adds
//! the 4242 card as the default and pays the open invoice; another organisation's card asks
//! for authentication, which the sandbox's page grants; a viewer sees the methods without
//! forms. Screenshots go to `target/browser-screenshots/<backend>/` (`30-…`).

use api::seed::DEMO_PASSWORD;
use tests::browser::Browser;
use tests::e2e_test;

async fn sign_in(browser: &Browser, email: &str) {
    browser.visit("/login").await;
    browser.fill("email", email).await;
    browser.fill("password", DEMO_PASSWORD).await;
    browser.submit("button[type=submit].primary", "nav").await;
}

/// Fills and sends the add-a-card form, then waits for `expected` on the next page.
async fn add_card(browser: &Browser, number: &str, default: bool, expected: &str) {
    browser.fill("card-number", number).await;
    browser.fill("card-month", "12").await;
    browser.fill("card-year", "2040").await;
    browser.fill("card-cvc", "123").await;
    if default {
        browser.click("#card-default").await;
    }
    browser
        .submit(
            "form[action='/payment-methods/card'] button[type=submit]",
            expected,
        )
        .await;
}

e2e_test!(
    a_billing_admin_adds_cards_sees_a_decline_and_pays_an_invoice,
    |app| {
        let (invoice, _) = crate::payments::open_invoice(&app, "Acme Telecom").await;
        let browser = Browser::start(&app).await;
        sign_in(&browser, "billing@acme.example").await;

        browser.visit("/payment-methods").await;
        browser.screenshot("30-payment-methods-empty").await;
        // A number that is not a test card: the reason next to the field, nothing kept.
        add_card(&browser, "4111 1111 1111 1111", false, "#card-number-error").await;
        assert!(
            browser
                .text("#card-number-error")
                .await
                .contains("test cards"),
            "{}",
            browser.source().await
        );
        browser.screenshot("31-payment-methods-invalid-card").await;
        add_card(&browser, "4000 0000 0000 0002", false, ".notice").await;
        assert!(browser.text(".notice").await.contains("added"));

        // Pay with it: declined, the message next to the form.
        browser.visit(&format!("/invoice?id={invoice}")).await;
        browser.screenshot("31a-invoice-pay-now").await;
        browser
            .submit("#pay-now", "form[action='/invoice/pay']")
            .await;
        browser
            .submit(
                "form[action='/invoice/pay'] button[type=submit]",
                "#pay-error",
            )
            .await;
        assert_eq!(browser.text("#pay-error").await, "Your card was declined.");
        browser.screenshot("32-invoice-payment-declined").await;

        // The 4242 card as the default, and pay again: paid.
        browser.visit("/payment-methods").await;
        add_card(&browser, "4242 4242 4242 4242", true, ".notice").await;
        let page = browser.source().await;
        assert!(page.contains("Visa •••• 4242"), "{page}");
        let typed = browser
            .client
            .find(fantoccini::Locator::Id("card-number"))
            .await
            .expect("the card number field")
            .prop("value")
            .await
            .expect("its value");
        assert_eq!(
            typed.as_deref(),
            Some(""),
            "the number is never shown again"
        );
        browser.screenshot("33-payment-methods").await;
        browser
            .visit(&format!("/invoice/payments?id={invoice}"))
            .await;
        browser
            .submit("form[action='/invoice/pay'] button[type=submit]", ".notice")
            .await;
        assert!(
            browser
                .text(".notice")
                .await
                .contains("the invoice is paid")
        );
        let page = browser.source().await;
        assert_eq!(browser.text("#invoice-status").await, "Paid", "{page}");
        assert!(page.contains("Declined") || page.contains("Your card was declined."));
        browser.screenshot("34-invoice-paid-attempts").await;
        browser
            .client
            .set_window_size(390, 844)
            .await
            .expect("resize");
        browser.screenshot("34b-invoice-paid-attempts-phone").await;
        browser
            .client
            .set_window_size(1280, 900)
            .await
            .expect("resize");

        // The viewer reads the methods, without forms.
        browser.submit("nav button.link", "#email").await;
        sign_in(&browser, "viewer@acme.example").await;
        browser.visit("/payment-methods").await;
        let page = browser.source().await;
        assert!(
            page.contains("Visa •••• 4242") && !page.contains("Add a card"),
            "{page}"
        );
        browser.screenshot("35-payment-methods-viewer").await;

        // Globex's card asks for authentication: the bank's page, then paid.
        let (globex_invoice, _) = crate::payments::invoice_of(&app, "Globex").await;
        browser.submit("nav button.link", "#email").await;
        sign_in(&browser, "billing@globex.example").await;
        browser.visit("/payment-methods").await;
        add_card(&browser, "4000 0027 6000 3184", false, ".notice").await;
        browser
            .visit(&format!("/invoice/payments?id={globex_invoice}"))
            .await;
        browser
            .submit(
                "form[action='/invoice/pay'] button[type=submit]",
                "button[value=pass]",
            )
            .await;
        browser.screenshot("36-payment-authentication").await;
        browser.submit("button[value=pass]", ".notice").await;
        assert_eq!(browser.text("#invoice-status").await, "Paid");
        browser.screenshot("37-payment-authenticated").await;
        browser.close().await;
    }
);
