//! The console's invoice page: billing staff record a bank transfer against an open invoice
//! (more than is owed is refused beside the amount; the same submission twice records once)
//! and void another; support reads the page but the API refuses its changes, shown above the
//! forms, and nothing changes. The invoices tab filters them by status.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::html::{field, form, page};
use tests::{Session, e2e_test};

use super::console_session;

/// An open invoice of one quick charge of `amount` for `customer`, made by `staff`; its id.
async fn open_invoice(staff: &Session<'_>, customer: &str, amount: &str) -> String {
    let data: Value = staff
        .data(
            "createCharges",
            "mutation C($input: CreateChargesInput!) { createCharges(input: $input) { invoice { id } } }",
            json!({ "input": { "customerId": customer, "timing": "INVOICE_NOW",
                "confirmUnpaidInvoices": true,
                "charges": [{ "description": "Installation", "amount": amount }] } }),
        )
        .await;
    data["createCharges"]["invoice"]["id"]
        .as_str()
        .expect("an invoice")
        .to_owned()
}

e2e_test!(
    staff_record_a_payment_and_void_an_invoice_support_cannot,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let paid = open_invoice(&staff, &acme, "150").await;
        let voided = open_invoice(&staff, &acme, "30").await;
        let path = |invoice: &str| format!("/admin/customers/{acme}/invoices/{invoice}");

        // The invoices tab links to the page.
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let tab = page(
            &app,
            &cookies,
            &format!("/admin/customers/{acme}?tab=invoices"),
        )
        .await;
        assert!(tab.contains(&format!("href=\"{}\"", path(&paid))), "{tab}");

        // Support: refused by the API, above the forms; nothing changes.
        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        // Support is offered no form; a hand-made one (a key from billing staff's page) is
        // refused by the API.
        let html = page(&app, &support, &path(&paid)).await;
        assert!(!html.contains("id=\"record-payment\""), "{html}");
        let key = field(&page(&app, &cookies, &path(&paid)).await, "key");
        let refused = form(
            &app,
            &support,
            &format!("{}/payment", path(&paid)),
            &[
                ("csrf", support_token.as_str()),
                ("amount", "150"),
                ("method", "Bank transfer"),
                ("key", key.as_str()),
            ],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"payment-error\">Not allowed"), "{html}");
        let refused = form(
            &app,
            &support,
            &format!("{}/void", path(&voided)),
            &[("csrf", support_token.as_str())],
        )
        .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text()
                .await
                .expect("html")
                .contains("id=\"void-error\">Not allowed")
        );

        // Billing staff: more than is owed is refused beside the amount …
        let html = page(&app, &cookies, &path(&paid)).await;
        let key = field(&html, "key");
        let pay = |amount: &'static str| {
            vec![
                ("csrf", token.clone()),
                ("amount", amount.to_owned()),
                ("method", "Bank transfer".to_owned()),
                ("reference", "VIR-2026-1201".to_owned()),
                ("key", key.clone()),
            ]
        };
        let refused = app
            .client
            .post(format!("{}{}/payment", app.address, path(&paid)))
            .header(reqwest::header::COOKIE, &cookies)
            .form(&pay("150.01"))
            .send()
            .await
            .expect("sent");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"amount-error\""), "{html}");
        // … and the right amount, submitted twice, is recorded once: the invoice is paid.
        for _ in 0..2 {
            let done = app
                .client
                .post(format!("{}{}/payment", app.address, path(&paid)))
                .header(reqwest::header::COOKIE, &cookies)
                .form(&pay("150"))
                .send()
                .await
                .expect("sent");
            assert_eq!(done.status(), StatusCode::SEE_OTHER);
        }
        let html = page(
            &app,
            &cookies,
            &format!("{}?done=payment-recorded", path(&paid)),
        )
        .await;
        assert!(html.contains("id=\"invoice-status\">Paid<"), "{html}");
        assert!(html.contains("id=\"amount-paid\">€150.00<"), "{html}");

        let done = form(
            &app,
            &cookies,
            &format!("{}/void", path(&voided)),
            &[("csrf", token.as_str())],
        )
        .await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &cookies, &path(&voided)).await;
        assert!(html.contains("id=\"invoice-status\">Void<"), "{html}");
        assert!(
            !html.contains("id=\"void-invoice\""),
            "a void invoice has no actions"
        );

        // The invoices tab filters by status; a status it does not offer is refused.
        let tab = |status: &str| format!("/admin/customers/{acme}?tab=invoices&status={status}");
        let voids = page(&app, &cookies, &tab("VOID")).await;
        assert!(
            voids.contains(&format!("href=\"{}\"", path(&voided))),
            "{voids}"
        );
        assert!(
            !voids.contains(&format!("href=\"{}\"", path(&paid))),
            "{voids}"
        );
        assert!(
            voids.contains("<option value=\"VOID\" selected>"),
            "{voids}"
        );
        let paids = page(&app, &cookies, &tab("PAID")).await;
        assert!(
            paids.contains(&format!("href=\"{}\"", path(&paid))),
            "{paids}"
        );
        assert!(
            !paids.contains(&format!("href=\"{}\"", path(&voided))),
            "{paids}"
        );
        let bad = app
            .client
            .get(format!("{}{}", app.address, tab("SHREDDED")))
            .header(reqwest::header::COOKIE, &cookies)
            .send()
            .await
            .expect("sent");
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    }
);

e2e_test!(
    the_credit_notes_page_on_their_own_and_keep_the_invoices_filter,
    |app| {
        let acme = app.customer_id("Acme Telecom").await;
        let staff = app.as_billing_staff().await;
        let invoice = open_invoice(&staff, &acme, "50.00").await;
        // 21 credit notes: one more than a page.
        for _ in 0..21 {
            let data: Value = staff
                .data(
                    "issueCreditNote",
                    "mutation C($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) {
                        creditNote { number } } }",
                    json!({ "input": { "invoiceId": invoice, "reason": "Goodwill",
                        "lines": [{ "line": 0, "amount": "0.10" }] } }),
                )
                .await;
            assert!(
                data["issueCreditNote"]["creditNote"]["number"].is_string(),
                "{data}"
            );
        }
        let notes = |html: &str| -> Vec<String> {
            let table = html
                .split("<table id=\"credit-notes\">")
                .nth(1)
                .and_then(|rest| rest.split("</table>").next())
                .unwrap_or_else(|| panic!("the credit notes: {html}"));
            table
                .split("<tr><td>")
                .skip(1)
                .filter_map(|row| row.split('<').next())
                .map(str::to_owned)
                .collect()
        };
        let (cookies, _) = console_session(&app, "support@billfold.example").await;
        let tab = format!("/admin/customers/{acme}?tab=invoices&status=OPEN");
        let first = page(&app, &cookies, &tab).await;
        let shown = notes(&first);
        assert_eq!(shown.len(), 20, "a page of 20: {shown:?}");
        let older = first
            .split("id=\"older-credit-notes\"")
            .next()
            .and_then(|before| before.rsplit("href=\"").next())
            .and_then(|rest| rest.split('"').next())
            .map(tests::html::unescape)
            .expect("a link to the older credit notes");
        assert!(
            older.contains("notes_after=") && older.contains("status=OPEN"),
            "the invoices' filter is kept: {older}"
        );
        let second = page(&app, &cookies, &older).await;
        let rest = notes(&second);
        assert_eq!(rest.len(), 1, "{rest:?}");
        assert!(!shown.contains(&rest[0]), "no credit note twice");
        assert!(
            !second.contains("id=\"older-credit-notes\""),
            "the last page"
        );
        assert!(
            second.contains(&invoice),
            "the invoices list is still shown: {second}"
        );
    }
);
