//! Gapless numbers under concurrency: finalisations racing for the same sequence, some rolling
//! back, commit exactly 1..N with no gap and no duplicate, on SQLite and PostgreSQL.

use std::time::Duration;

use api::services::invoices::numbering::DocumentKind;
use tests::e2e_test;

e2e_test!(racing_finalisations_commit_one_to_n_without_gaps, |app| {
    const WRITERS: u64 = 24;
    let tasks = (0..WRITERS).map(|i| {
        let db = app.app.db.clone();
        let numbering = app.app.services.numbering;
        tokio::spawn(async move {
            let txn = db.begin_plain_write().await.expect("begin");
            let number = numbering
                .take_next(&txn, DocumentKind::Invoice, 2026)
                .await
                .expect("number");
            // Hold the number a little, so that on PostgreSQL the others queue on the row.
            tokio::time::sleep(Duration::from_millis(i % 3)).await;
            if i % 4 == 3 {
                drop(txn); // a finalisation that fails: its number is given back
                None
            } else {
                txn.commit().await.expect("commit");
                Some(number.value)
            }
        })
    });
    let mut committed: Vec<u64> = futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .filter_map(|r| r.expect("task"))
        .collect();
    committed.sort_unstable();
    let expected: Vec<u64> = (1..=WRITERS - WRITERS / 4).collect();
    assert_eq!(committed, expected);
});

e2e_test!(
    configured_prefixes_number_invoices_and_credit_notes,
    config = |config| {
        config.billing.invoice_number_prefix =
            api::config::NumberPrefix::parse("ACME").expect("prefix");
        config.billing.credit_note_number_prefix =
            api::config::NumberPrefix::parse("ACME-CN").expect("prefix");
    },
    |app| {
        let fx = tests::LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(3)
            .at(crate::licenses::APRIL_2)
            .create(&app)
            .await;
        let report = app
            .app
            .services
            .billing_runs
            .run("2026-05-01".parse().expect("date"))
            .await
            .expect("run");
        assert_eq!(report.invoiced.len(), 1, "{report:?}");
        assert_eq!(report.invoiced[0].number, "ACME-2026-000001");
        let invoice = report.invoiced[0].invoice.to_string();

        // Customers read the number as it was printed.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let read: serde_json::Value = billing
            .data(
                "the invoice",
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) { number } } } }",
                serde_json::json!({ "id": invoice }),
            )
            .await;
        assert_eq!(
            read["viewer"]["organisation"]["invoice"]["number"], "ACME-2026-000001",
            "{fx:?}"
        );

        // Credit notes have their own prefix and their own count.
        let staff = app.as_staff().await;
        let body = staff
            .graphql(
                "mutation C($input: IssueCreditNoteInput!) {
                    issueCreditNote(input: $input) { creditNote { number } } }",
                serde_json::json!({ "input": { "invoiceId": invoice, "reason": "Outage", "whole": true } }),
            )
            .await;
        tests::assert_ok(&body);
        let year = chrono::Utc::now().format("%Y").to_string();
        assert_eq!(
            body["data"]["issueCreditNote"]["creditNote"]["number"],
            format!("ACME-CN-{year}-000001")
        );
    }
);
