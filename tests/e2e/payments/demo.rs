//! What `cargo run` shows: Globex pays by card (Stripe's 4242 as its default), so the first
//! collection tick pays its open invoice and e-mails the receipt; Acme has no method and its
//! invoice waits for its billing admin. The receipt and the failure notice say what a person
//! needs and never more of the card than its last four digits.

use entity::outbox_message::MessageKind;
use tests::e2e_test;

use super::*;

e2e_test!(
    the_demo_charges_globex_at_the_first_tick_and_e_mails_the_receipt,
    config = |config: &mut api::config::Config| config.seed_demo_history = true,
    |app| {
        let (globex_invoice, globex) = invoice_of(&app, "Globex").await;
        let (acme_invoice, acme) = invoice_of(&app, "Acme Telecom").await;
        assert_eq!(status(&app, &globex, &globex_invoice).await, "OPEN");
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.succeeded), (1, 1), "{report:?}");
        assert_eq!(status(&app, &globex, &globex_invoice).await, "PAID");
        assert_eq!(status(&app, &acme, &acme_invoice).await, "OPEN");

        // Acme's card is declined at its next automatic attempt: the notice is e-mailed.
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, DECLINED, true).await;
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.charged, report.failed), (1, 1), "{report:?}");
        assert_eq!(messages(&app, &acme, MessageKind::PaymentFailed).await, 1);

        let mails = tests::mailbox::delivered(&app).await;
        let receipt = mails
            .iter()
            .find(|m| m.subject.starts_with("Receipt for invoice"))
            .unwrap_or_else(|| panic!("a receipt among {mails:#?}"));
        assert!(receipt.text.contains("Visa •••• 4242"), "{}", receipt.text);
        assert!(receipt.text.contains("Amount paid"), "{}", receipt.text);
        let failed = mails
            .iter()
            .find(|m| m.subject.starts_with("Payment failed for invoice"))
            .unwrap_or_else(|| panic!("a failure notice among {mails:#?}"));
        assert!(
            failed.text.contains("Your card was declined."),
            "{}",
            failed.text
        );
        assert!(
            failed.text.contains("We will try again on"),
            "{}",
            failed.text
        );
        for mail in &mails {
            assert!(!mail.text.contains("4242 4242") && !mail.html.contains("4242 4242"));
            assert!(!mail.text.contains("4000 0000 0000 0002"));
        }
    }
);
