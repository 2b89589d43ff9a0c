//! Nothing settles an invoice while one of its payment attempts is unfinished (review finding
//! 1): offline payments, marking it paid, void or uncollectible and credit notes answer
//! `PAYMENT_IN_FLIGHT`. An interrupted attempt found on an invoice no longer open is cancelled
//! when the processor never saw its key, and recorded (its money credited to the balance,
//! audited) when it did.

use std::sync::Arc;

use api::services::payments::attempts::PayRequest;
use entity::payment_attempt::AttemptStatus;
use entity::{credit_entry, customer, invoice};
use sea_orm::sea_query::Expr;
use serde_json::{Value, json};
use tests::{TestApp, assert_code, e2e_test};

use super::attempts::acme_billing_admin;
use super::*;

const OFFLINE: &str =
    "mutation O($input: RecordOfflinePaymentInput!) { recordOfflinePayment(input: $input) {
    payment { id } } }";

fn reason(body: &Value) -> &str {
    body["errors"][0]["extensions"]["reason"]
        .as_str()
        .unwrap_or_default()
}

/// Sets `invoice`'s status in the database directly: an invoice settled while an attempt was
/// unfinished, as happened before these refusals existed.
async fn force_status(app: &TestApp, invoice: &str, status: invoice::InvoiceStatus) {
    let id: ids::InvoiceId = invoice.parse().expect("invoice id");
    invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(status))
        .filter(invoice::Column::Id.eq(id))
        .exec(app.app.db.writes())
        .await
        .expect("invoice status set");
}

async fn balance(app: &TestApp, customer: &str) -> i64 {
    let id: ids::CustomerId = customer.parse().expect("customer id");
    customer::Entity::find_by_id(id)
        .one(app.app.db.reads())
        .await
        .expect("customer")
        .expect("the customer")
        .credit_balance_minor
}

/// A pending attempt of `invoice` left by `charge` (interrupted before or after the processor).
async fn interrupted(app: &TestApp, invoice: &str, acme: &str, charge: Fault) {
    let payments = &app.app.services.payments;
    let faulty = payments.with_processor(Arc::new(Faulty {
        inner: Arc::clone(payments.processor()),
        charge,
        refund: Fault::None,
    }));
    let actor = acme_billing_admin(app, acme).await;
    let lost = faulty
        .pay_invoice(
            &actor,
            None,
            PayRequest {
                invoice: invoice.parse().expect("invoice id"),
                method: None,
                request_key: None,
            },
        )
        .await;
    assert!(lost.is_err(), "the answer was lost");
    let attempts = attempts_of(app, invoice).await;
    assert_eq!(attempts[0].status, AttemptStatus::Pending);
}

e2e_test!(
    nothing_settles_an_invoice_while_a_debit_is_processing_and_it_is_paid_once,
    |app| {
        // (a) and (c): a SEPA debit processing; staff's transfer (whole or partial), marking it
        // paid, void or uncollectible, and a credit note are refused until it settles.
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let sepa = billing
            .graphql(
                ADD_SEPA,
                json!({ "input": { "customerId": acme, "iban": IBAN_OK,
                    "holderName": "Acme Telecom SA", "makeDefault": true } }),
            )
            .await;
        let sepa = sepa["data"]["addSepaDebit"]["paymentMethod"]["id"].clone();
        let body = billing
            .graphql(
                PAY,
                json!({ "input": { "invoiceId": invoice, "paymentMethodId": sepa } }),
            )
            .await;
        assert_eq!(
            body["data"]["payInvoice"]["attempt"]["status"], "PROCESSING",
            "{body}"
        );
        let due = history(&billing, &invoice).await["amountDue"]["amount"]
            .as_str()
            .expect("an amount due")
            .to_owned();

        let staff = app.as_staff().await;
        for amount in [due.as_str(), "30.00"] {
            let body = staff
                .graphql(
                    OFFLINE,
                    json!({ "input": { "invoiceId": invoice, "amount": amount,
                        "method": "Bank transfer" } }),
                )
                .await;
            assert_code(&body, "CONFLICT");
            assert_eq!(reason(&body), "PAYMENT_IN_FLIGHT", "{body}");
        }
        for mutation in ["markInvoicePaid", "voidInvoice", "markInvoiceUncollectible"] {
            let body = staff
                .graphql(
                    &format!(
                        "mutation M($input: SettleInvoiceInput!) {{ {mutation}(input: $input) \
                         {{ invoice {{ status }} }} }}"
                    ),
                    json!({ "input": { "invoiceId": invoice } }),
                )
                .await;
            assert_code(&body, "CONFLICT");
            assert_eq!(reason(&body), "PAYMENT_IN_FLIGHT", "{mutation}: {body}");
        }
        let note = staff
            .graphql(
                "mutation M($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) \
                 { creditNote { id } } }",
                json!({ "input": { "invoiceId": invoice, "reason": "x", "whole": true } }),
            )
            .await;
        assert_code(&note, "CONFLICT");
        assert_eq!(reason(&note), "PAYMENT_IN_FLIGHT", "{note}");
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");

        // The debit settles: paid once, nothing over.
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.settled, report.succeeded), (1, 1), "{report:?}");
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        assert_eq!(payments_of(&app, &invoice).await, 1);
        assert_eq!(balance(&app, &acme).await, 0);
        assert_eq!(billing.audit_count("payment.overpaid").await, 0);
    }
);

e2e_test!(
    an_attempt_never_sent_is_cancelled_once_its_invoice_is_no_longer_open,
    |app| {
        // (b): the attempt was committed, the process died before the processor was called.
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, SUCCEEDS, true).await;
        interrupted(&app, &invoice, &acme, Fault::Before).await;
        assert!(sandbox_charges(&app, &invoice).await.is_empty());
        let staff = app.as_staff().await;
        let void = staff
            .graphql(
                "mutation M($input: SettleInvoiceInput!) { voidInvoice(input: $input) \
                 { invoice { status } } }",
                json!({ "input": { "invoiceId": invoice } }),
            )
            .await;
        assert_eq!(reason(&void), "PAYMENT_IN_FLIGHT", "{void}");

        // Voided anyway (from before this rule): the tick asks the processor, which never saw
        // the key, and cancels the attempt instead of charging a void invoice.
        force_status(&app, &invoice, invoice::InvoiceStatus::Void).await;
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.resumed, 1, "{report:?}");
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts[0].status, AttemptStatus::Failed);
        assert_eq!(attempts[0].failure_code.as_deref(), Some("cancelled"));
        assert!(
            sandbox_charges(&app, &invoice).await.is_empty(),
            "nothing charged"
        );
        assert_eq!(payments_of(&app, &invoice).await, 0);
        assert_eq!(status(&app, &acme, &invoice).await, "VOID");
        assert_eq!(billing.audit_count("payment.cancelled").await, 1);
        assert_eq!(messages(&app, &acme, MessageKind::PaymentFailed).await, 0);
        // Nothing more at the next tick.
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!((report.resumed, report.charged), (0, 0), "{report:?}");
    }
);

e2e_test!(
    money_taken_for_an_invoice_no_longer_open_is_credited_to_the_balance_and_audited,
    |app| {
        // The processor charged, the answer was lost, and the invoice was marked paid by hand.
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, SUCCEEDS, true).await;
        interrupted(&app, &invoice, &acme, Fault::After).await;
        let charged = attempts_of(&app, &invoice).await[0].amount_minor;
        force_status(&app, &invoice, invoice::InvoiceStatus::Paid).await;
        let before = balance(&app, &acme).await;

        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.resumed, 1, "{report:?}");
        let attempts = attempts_of(&app, &invoice).await;
        assert_eq!(attempts[0].status, AttemptStatus::Succeeded);
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(
            (charges.len(), charges[0].requests),
            (1, 1),
            "not sent again"
        );
        assert_eq!(payments_of(&app, &invoice).await, 1);
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        // What was taken is the customer's: credited through the ledger, audited.
        assert_eq!(balance(&app, &acme).await, before + charged);
        let id: ids::InvoiceId = invoice.parse().expect("invoice id");
        let entries = credit_entry::Entity::find()
            .filter(credit_entry::Column::InvoiceId.eq(id))
            .all(app.app.db.reads())
            .await
            .expect("ledger");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].amount_minor, charged);
        assert_eq!(billing.audit_count("payment.overpaid").await, 1);
    }
);
