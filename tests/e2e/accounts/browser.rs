//! The invitation journey in a real browser (headless Chromium): Acme's owner invites a billing
//! admin on the users page; the invitee opens the e-mailed link signed out, chooses a name and
//! a password, is signed in, and adds a contact and a billing address. Screenshots of the new
//! pages (users, the accept page, documents, the audit log), at a desktop's and a phone's
//! width, go to `target/browser-screenshots/<backend>/`.

use api::seed::DEMO_PASSWORD;
use fantoccini::Locator;
use tests::browser::Browser;
use tests::e2e_test;
use tests::mailbox::invitation_link;

/// Chooses the option with `value` in the select with `id`.
async fn choose(browser: &Browser, id: &str, value: &str) {
    browser
        .client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("#{id} = {value}: {e}"));
}

/// Sets the window to `width` × `height` (a phone is about 390 wide).
async fn resize(browser: &Browser, width: u32, height: u32) {
    browser
        .client
        .set_window_size(width, height)
        .await
        .unwrap_or_else(|e| panic!("cannot resize to {width}×{height}: {e}"));
}

e2e_test!(
    an_invited_billing_admin_joins_and_adds_a_contact_and_an_address,
    |app| {
        let browser = Browser::start(&app).await;
        browser.visit("/login").await;
        browser.fill("email", "owner@acme.example").await;
        browser.fill("password", DEMO_PASSWORD).await;
        browser.submit("button[type=submit].primary", "nav").await;

        // The owner invites a billing admin.
        browser.visit("/users").await;
        browser.screenshot("40-users").await;
        browser.fill("invite-email", "nora@acme.example").await;
        choose(&browser, "invite-role", "billing_admin").await;
        browser
            .submit(
                "form[action='/users/invite'] button[type=submit]",
                "#notice",
            )
            .await;
        let waiting = browser.text("#invitations-heading + ul").await;
        assert!(waiting.contains("nora@acme.example"), "{waiting}");
        browser.screenshot("41-users-invited").await;
        resize(&browser, 390, 844).await;
        browser.screenshot("41b-users-phone").await;
        resize(&browser, 1280, 900).await;
        browser.submit("nav button.link", "#email").await;

        // The invitee follows the e-mailed link, signed out.
        let link = invitation_link(&app, "nora@acme.example").await;
        let path = &link[link
            .find("/invitation?token=")
            .expect("the accept page's path")..];
        browser.visit(path).await;
        let page = browser.source().await;
        assert!(
            page.contains("Acme Telecom") && page.contains("Billing admin"),
            "{page}"
        );
        browser.screenshot("42-invitation").await;
        browser.fill("name", "Nora Admin").await;
        browser.fill("password", "a long new password").await;
        browser.fill("confirm", "a long new password").await;
        browser
            .submit("button[type=submit].primary", "#signed-in-user")
            .await;
        assert_eq!(browser.text("#signed-in-user").await, "Nora Admin");
        browser.screenshot("43-welcome").await;

        // Signed in as the billing admin: a contact, then an address.
        browser.visit("/contacts").await;
        choose(&browser, "contact-role", "accounting").await;
        browser.fill("contact-name", "Nora's accountant").await;
        browser.fill("contact-email", "accounts@nora.example").await;
        browser
            .submit(
                "form[action='/contacts/add'] button[type=submit]",
                ".notice",
            )
            .await;
        assert!(browser.source().await.contains("accounts@nora.example"));

        browser.visit("/addresses").await;
        choose(&browser, "address-country", "DE").await;
        browser.fill("address-line1", "Friedrichstraße 10").await;
        browser.fill("address-city", "Berlin").await;
        browser.fill("address-postal-code", "10117").await;
        browser
            .submit(
                "form[action='/addresses/add'] button[type=submit]",
                ".notice",
            )
            .await;
        let page = browser.source().await;
        assert!(page.contains("Friedrichstraße 10"), "{page}");
        browser.screenshot("44-address-added").await;

        // Her changes are in the audit log, with her name.
        browser.visit("/audit?kind=addresses").await;
        let log = browser.text("table.audit-log").await;
        assert!(
            log.contains("Nora Admin (billing admin)") && log.contains("address.add"),
            "{log}"
        );
        browser.screenshot("45-audit-log").await;
        resize(&browser, 390, 844).await;
        browser.screenshot("45b-audit-log-phone").await;
        resize(&browser, 1280, 900).await;
        // She sends a proof for the Berlin address through the upload form.
        browser.visit("/vault").await;
        let file = app.data_dir().join("Anmeldung Berlin.pdf");
        std::fs::write(&file, b"%PDF-1.4\n%proof of address\n%%EOF\n").expect("a file to upload");
        choose(&browser, "document-type", "proof_of_address").await;
        let berlin = browser
            .client
            .find(Locator::Css("#document-address option:nth-child(4)"))
            .await
            .expect("the Berlin address")
            .attr("value")
            .await
            .expect("its value")
            .expect("an id");
        choose(&browser, "document-address", &berlin).await;
        browser
            .client
            .find(Locator::Id("document-file"))
            .await
            .expect("the file field")
            .send_keys(&file.to_string_lossy())
            .await
            .expect("a file chosen");
        browser
            .submit(
                "form[action='/vault/upload'] button[type=submit]",
                "#notice",
            )
            .await;
        let listed = browser.text("table.documents").await;
        assert!(
            listed.contains("Anmeldung Berlin.pdf") && listed.contains("Friedrichstraße 10"),
            "{listed}"
        );
        browser.screenshot("46-documents").await;
        resize(&browser, 390, 844).await;
        browser.screenshot("46b-documents-phone").await;
        browser.close().await;
    }
);
