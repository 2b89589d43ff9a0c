//! Staff: offline payments (paid once they cover what is owed, never more), refunds through
//! the processor up to what is left, each refused to customers.

use entity::outbox_message::MessageKind;
use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, assert_ok, e2e_test};

use super::*;

/// Minor units of a two-decimal amount (`"768.00"` is 76800): money is never a float.
fn minor(amount: &str) -> i64 {
    amount
        .replace('.', "")
        .parse()
        .expect("a two-decimal amount")
}

/// The two-decimal text of `minor` units.
fn text(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

const OFFLINE: &str =
    "mutation O($input: RecordOfflinePaymentInput!) { recordOfflinePayment(input: $input) {
    payment { id kind amount { amount } method reference } } }";
const REFUND: &str = "mutation R($input: RefundPaymentInput!) { refundPayment(input: $input) {
    refund { id status amount { amount } } } }";

e2e_test!(
    an_offline_payment_pays_the_invoice_once_it_covers_what_is_owed,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let seen = history(&billing, &invoice).await;
        let due = minor(seen["amountDue"]["amount"].as_str().expect("an amount due"));
        assert!(due > 100, "{seen}");
        let part = text(due - 100);

        // More than owed is refused; customers may not record payments.
        let more = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": text(due + 1),
            "method": "Bank transfer" } }),
            )
            .await;
        assert_bad_input(&more, "input.amount");
        assert_eq!(more["errors"][0]["extensions"]["reason"], "MORE_THAN_DUE");
        assert_code(
        &billing
            .graphql(OFFLINE, json!({ "input": { "invoiceId": invoice, "amount": "1.00", "method": "Cash" } }))
            .await,
        "FORBIDDEN",
    );

        let first = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": part,
            "method": "Bank transfer", "reference": "TRF-1", "idempotencyKey": "trf-1" } }),
            )
            .await;
        assert_ok(&first);
        // The same key records nothing more.
        let again = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": part,
            "method": "Bank transfer", "reference": "TRF-1", "idempotencyKey": "trf-1" } }),
            )
            .await;
        assert_eq!(
            again["data"]["recordOfflinePayment"]["payment"]["id"],
            first["data"]["recordOfflinePayment"]["payment"]["id"]
        );
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["status"], "OPEN");
        assert_eq!(
            seen["paymentHistory"]["outstanding"]["amount"], "1.00",
            "{seen}"
        );
        let rest = staff
            .graphql(
                OFFLINE,
                json!({ "input": { "invoiceId": invoice, "amount": "1.00",
            "method": "Bank transfer", "reference": "TRF-2" } }),
            )
            .await;
        assert_ok(&rest);
        let seen = history(&billing, &invoice).await;
        assert_eq!(seen["status"], "PAID", "{seen}");
        assert_eq!(seen["paymentHistory"]["outstanding"]["amount"], "0.00");
        assert_eq!(
            seen["paymentHistory"]["payments"].as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(messages(&app, &acme, MessageKind::PaymentReceipt).await, 2);
        assert_eq!(billing.audit_count("payment.recorded").await, 2);
    }
);

e2e_test!(
    a_refund_goes_through_the_processor_up_to_what_is_left,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        card(&billing, &acme, SUCCEEDS, true).await;
        assert_ok(&pay(&billing, &invoice, None, None).await);
        let seen = history(&billing, &invoice).await;
        let payment = seen["paymentHistory"]["payments"][0].clone();
        let paid = minor(payment["amount"]["amount"].as_str().expect("paid"));
        let staff = app.as_staff().await;
        let refund = |amount: String| {
            let staff = &staff;
            let id = payment["id"].clone();
            async move {
                staff
                .graphql(REFUND, json!({ "input": { "paymentId": id, "amount": amount, "reason": "Goodwill" } }))
                .await
            }
        };
        assert_code(
            &billing
                .graphql(
                    REFUND,
                    json!({ "input": { "paymentId": payment["id"], "amount": "1.00" } }),
                )
                .await,
            "FORBIDDEN",
        );
        let first: Value = refund("10.00".into()).await;
        assert_eq!(
            first["data"]["refundPayment"]["refund"]["status"], "SUCCEEDED",
            "{first}"
        );
        let left = paid - 1000;
        let too_much = refund(text(left + 1)).await;
        assert_bad_input(&too_much, "input.amount");
        assert_eq!(
            too_much["errors"][0]["extensions"]["reason"],
            "REFUND_TOO_LARGE"
        );
        assert_ok(&refund(text(left)).await);
        let nothing_left = refund("0.01".into()).await;
        assert_eq!(
            nothing_left["errors"][0]["extensions"]["reason"],
            "REFUND_TOO_LARGE"
        );
        assert_bad_input(&refund("-5".into()).await, "input.amount");

        let seen = history(&billing, &invoice).await;
        assert_eq!(
            seen["paymentHistory"]["payments"][0]["refunded"]["amount"],
            payment["amount"]["amount"]
        );
        assert_eq!(
            seen["paymentHistory"]["refunds"].as_array().map(Vec::len),
            Some(2)
        );
        // The processor refunded exactly that.
        let charges = sandbox_charges(&app, &invoice).await;
        assert_eq!(charges[0].refunded_minor, paid);
        assert_eq!(billing.audit_count("payment.refunded").await, 2);
    }
);
