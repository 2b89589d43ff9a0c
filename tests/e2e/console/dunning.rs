//! The console's dunning page: an invoice whose automatic collection failed is listed with its
//! failures, state and the processor's reason, and links to its customer's invoices; staff of
//! every role read it, customers never reach it.

use reqwest::StatusCode;
use tests::e2e_test;
use tests::html::page;

use super::{console_session, console_sign_in};
use crate::payments::{DECLINED, card, open_invoice};

e2e_test!(a_failed_collection_is_listed_on_the_dunning_page, |app| {
    let (cookies, _) = console_session(&app, "support@billfold.example").await;
    let empty = page(&app, &cookies, "/admin/dunning").await;
    assert!(empty.contains("No invoice waits for a retry."), "{empty}");

    let billing = app.as_billing_admin("Acme Telecom").await;
    let acme = app.customer_id("Acme Telecom").await;
    card(&billing, &acme, DECLINED, true).await;
    let (_, _) = open_invoice(&app, "Acme Telecom").await;
    app.app
        .services
        .clock
        .set(tests::instant("2030-01-10T09:00:00Z"));
    let report = app.app.services.payments.collect_due().await.expect("tick");
    assert_eq!(report.failed, 1, "{report:?}");

    let html = page(&app, &cookies, "/admin/dunning").await;
    assert!(html.contains("Your card was declined."), "{html}");
    assert!(html.contains(">Scheduled<"), "{html}");
    assert!(html.contains("11 Jan 2030 09:00 UTC"), "{html}");
    assert!(
        html.contains(&format!("href=\"/admin/customers/{acme}?tab=invoices\"")),
        "{html}"
    );
    // A customer never gets a console session to read it with.
    let (refused, _, _) = console_sign_in(&app, "owner@acme.example").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
});
