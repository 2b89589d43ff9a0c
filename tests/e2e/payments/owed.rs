//! What an invoice is still owed has one definition (amount due less amount paid), and every
//! rule reads it: a partial payment then a credit note settles the invoice and credits the rest
//! to the balance; a refund of a partial payment makes it owed again; the overdue rule names
//! what is left; an invoice past due after its last retry refuses additions before its due date.

use api::config::AfterLastRetry;
use chrono::Duration;
use serde_json::{Value, json};
use tests::{assert_code, assert_ok, e2e_test};

use super::*;

const OFFLINE: &str =
    "mutation O($input: RecordOfflinePaymentInput!) { recordOfflinePayment(input: $input) {
    payment { id } } }";
const CREDIT: &str = "mutation C($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) {
    creditNote { total { amount } appliedToInvoice { amount } creditedToBalance { amount } } } }";
const PREVIEW: &str = "mutation P($input: PreviewLicenseChangeInput!) {
    previewLicenseChange(input: $input) { quote { id } } }";

/// Minor units of a two-decimal amount: money is never a float.
fn minor(amount: &Value) -> i64 {
    amount
        .as_str()
        .expect("an amount")
        .replace('.', "")
        .parse()
        .expect("a two-decimal amount")
}

fn text(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

async fn credit_balance(session: &Session<'_>) -> i64 {
    let data: Value = session
        .data(
            "balance",
            "{ viewer { organisation { creditBalance { amount } } } }",
            json!({}),
        )
        .await;
    minor(&data["viewer"]["organisation"]["creditBalance"]["amount"])
}

e2e_test!(
    a_partly_paid_invoice_credited_in_whole_is_paid_and_the_rest_goes_to_the_balance,
    |app| {
        let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let seen = history(&billing, &invoice).await;
        let due = minor(&seen["amountDue"]["amount"]);
        let balance_before = credit_balance(&billing).await;

        // €10.00 short of the amount due, by bank transfer.
        let part = due - 1000;
        assert_ok(
            &staff
                .graphql(
                    OFFLINE,
                    json!({ "input": { "invoiceId": invoice, "amount": text(part),
                        "method": "Bank transfer" } }),
                )
                .await,
        );
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["status"], "OPEN");
        assert_eq!(minor(&seen["amountDue"]["amount"]), due, "{seen}");
        assert_eq!(minor(&seen["amountPaid"]["amount"]), part, "{seen}");
        assert_eq!(seen["amountRemaining"]["amount"], "10.00", "{seen}");
        assert_eq!(seen["paymentHistory"]["outstanding"]["amount"], "10.00");

        // The whole invoice credited: €10.00 settles it, the rest (what was paid) is credit.
        let note: Value = staff
            .data(
                "credit note",
                CREDIT,
                json!({ "input": { "invoiceId": invoice, "reason": "Cancelled order",
                    "whole": true } }),
            )
            .await;
        let note = &note["issueCreditNote"]["creditNote"];
        let total = minor(&note["total"]["amount"]);
        assert_eq!(note["appliedToInvoice"]["amount"], "10.00", "{note}");
        assert_eq!(minor(&note["creditedToBalance"]["amount"]), total - 1000);
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["status"], "PAID", "{seen}");
        assert_eq!(seen["amountRemaining"]["amount"], "0.00");
        assert_eq!(minor(&seen["amountPaid"]["amount"]), part);
        assert_eq!(
            credit_balance(&billing).await,
            balance_before + total - 1000
        );
        // Nothing left to collect or to pay.
        let report = app.app.services.payments.collect_due().await.expect("tick");
        assert_eq!(report.charged, 0, "{report:?}");
    }
);

e2e_test!(a_refunded_partial_payment_is_owed_again, |app| {
    let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
    let staff = app.as_staff().await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let due = minor(&history(&billing, &invoice).await["amountDue"]["amount"]);
    let paid: Value = staff
        .data(
            "offline payment",
            OFFLINE,
            json!({ "input": { "invoiceId": invoice, "amount": "5.00", "method": "Cash" } }),
        )
        .await;
    let payment = paid["recordOfflinePayment"]["payment"]["id"]
        .as_str()
        .expect("a payment id");
    let seen = history(&billing, &invoice).await;
    assert_eq!(minor(&seen["amountRemaining"]["amount"]), due - 500);

    assert_ok(
        &staff
            .graphql(
                "mutation R($input: RefundPaymentInput!) { refundPayment(input: $input) {
                        refund { status } } }",
                json!({ "input": { "paymentId": payment, "amount": "5.00" } }),
            )
            .await,
    );
    let seen = history(&billing, &invoice).await;
    assert_eq!(seen["status"], "OPEN");
    assert_eq!(seen["amountPaid"]["amount"], "0.00", "{seen}");
    assert_eq!(minor(&seen["amountRemaining"]["amount"]), due, "{seen}");
});

e2e_test!(
    the_overdue_rule_names_what_is_left_and_counts_an_invoice_past_due_after_its_last_retry,
    config = |config: &mut api::config::Config| {
        config.billing.refuse_additions_when_overdue = true;
        config.payments.retry_days = vec![1];
        config.payments.after_last_retry = AfterLastRetry::PastDue;
    },
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = app.customer_id("Acme Telecom").await;
        card(&billing, &acme, DECLINED, true).await;
        let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
        // Terms that leave the invoice due two months from now: not overdue by its date.
        // The day it was issued (its period's first day), at 10:00.
        let issued = {
            use sea_orm::sea_query::Expr;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let id: ids::InvoiceId = invoice.parse().expect("an invoice id");
            let row = entity::invoice::Entity::find_by_id(id)
                .one(app.app.db.reads())
                .await
                .expect("read")
                .expect("the invoice");
            entity::invoice::Entity::update_many()
                .col_expr(
                    entity::invoice::Column::DueDate,
                    Expr::value(row.issue_date + chrono::Days::new(60)),
                )
                .filter(entity::invoice::Column::Id.eq(id))
                .exec(app.app.db.writes())
                .await
                .expect("move the due date");
            row.issue_date
                .and_hms_opt(10, 0, 0)
                .expect("a time")
                .and_utc()
        };
        let item = billing
            .data::<Value>(
                "licenses",
                "{ viewer { organisation { licenses { id } } } }",
                json!({}),
            )
            .await["viewer"]["organisation"]["licenses"][0]["id"]
            .as_str()
            .expect("an item")
            .to_owned();
        let add = json!({ "input": { "itemId": item, "delta": 1 } });
        let clock = &app.app.services.clock;
        let now = issued;
        clock.set(now);
        // Not overdue, not past due: additions go on.
        assert_ok(&billing.graphql(PREVIEW, add.clone()).await);

        // A partial payment, then the card fails twice (the first attempt and its one retry).
        let staff = app.as_staff().await;
        assert_ok(
            &staff
                .graphql(
                    OFFLINE,
                    json!({ "input": { "invoiceId": invoice, "amount": "100.00",
                        "method": "Bank transfer" } }),
                )
                .await,
        );
        let remaining = history(&billing, &invoice).await["amountRemaining"]["amount"]
            .as_str()
            .expect("an amount")
            .to_owned();
        let payments = &app.app.services.payments;
        assert_eq!(payments.collect_due().await.expect("tick").failed, 1);
        clock.set(now + Duration::days(1));
        assert_eq!(payments.collect_due().await.expect("tick").failed, 1);
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["paymentHistory"]["dunning"]["state"], "EXHAUSTED");
        // The automatic attempts asked for what was left, not the whole amount due.
        let charged: Vec<i64> = sandbox_charges(&app, &invoice)
            .await
            .iter()
            .map(|c| c.amount_minor)
            .collect();
        let left = minor(&json!(remaining));
        assert!(charged.iter().all(|&c| c == left), "{charged:?} vs {left}");

        // Past due: additions are refused, naming what is left to pay.
        let refused = billing.graphql(PREVIEW, add).await;
        assert_code(&refused, "OVERDUE_INVOICES");
        let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(&format!("€{remaining}")), "{message}");
    }
);

e2e_test!(an_invoice_marked_paid_reads_as_paid_in_full, |app| {
    let (invoice, _) = open_invoice(&app, "Acme Telecom").await;
    let staff = app.as_staff().await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    assert_ok(
        &staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": "5.00", "method": "Cash" } }),
            )
            .await,
    );
    assert_ok(
        &staff
            .graphql(
                "mutation M($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) {
                        invoice { status } } }",
                json!({ "input": { "invoiceId": invoice } }),
            )
            .await,
    );
    let seen = history(&billing, &invoice).await;
    assert_eq!(seen["status"], "PAID");
    assert_eq!(seen["amountPaid"], seen["amountDue"], "{seen}");
    assert_eq!(seen["amountRemaining"]["amount"], "0.00");
});
