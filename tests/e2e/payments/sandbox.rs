//! Each of Stripe's test numbers behaves in the sandbox as in Stripe's test mode, and anything
//! else is refused with a reason a person can act on.

use serde_json::json;
use tests::{assert_bad_input, assert_code, e2e_test};

use super::*;

e2e_test!(
    each_test_card_pays_declines_or_asks_for_authentication,
    |app| {
        let (invoice, acme) = open_invoice(&app, "Acme Telecom").await;
        let billing = app.as_billing_admin("Acme Telecom").await;

        // Declined, and without funds: PAYMENT_FAILED with a message a person understands; the
        // failed attempt is recorded and the invoice stays open.
        let declined = card(&billing, &acme, DECLINED, false).await;
        let body = pay(&billing, &invoice, Some(&declined), None).await;
        assert_code(&body, "PAYMENT_FAILED");
        assert_eq!(
            body["errors"][0]["message"], "Your card was declined.",
            "{body}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["declineCode"],
            "card_declined"
        );
        let no_funds = card(&billing, &acme, NO_FUNDS, false).await;
        let body = pay(&billing, &invoice, Some(&no_funds), None).await;
        assert_code(&body, "PAYMENT_FAILED");
        assert_eq!(
            body["errors"][0]["message"],
            "Your card has insufficient funds."
        );
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");

        // Authentication: the attempt waits; failing it fails the payment; passing a new one pays.
        let secure = card(&billing, &acme, AUTHENTICATES, false).await;
        let body = pay(&billing, &invoice, Some(&secure), None).await;
        let attempt = &body["data"]["payInvoice"]["attempt"];
        assert_eq!(attempt["status"], "REQUIRES_ACTION", "{body}");
        let waiting = attempt["id"].as_str().expect("attempt").to_owned();
        // While it waits, no other payment of the invoice starts.
        let busy = pay(&billing, &invoice, Some(&declined), None).await;
        assert_code(&busy, "CONFLICT");
        assert_eq!(
            busy["errors"][0]["extensions"]["reason"],
            "PAYMENT_IN_FLIGHT"
        );
        let failed = billing
            .graphql(
                CONFIRM,
                json!({ "input": { "attemptId": waiting, "passed": false } }),
            )
            .await;
        assert_code(&failed, "PAYMENT_FAILED");
        assert_eq!(status(&app, &acme, &invoice).await, "OPEN");
        let body = pay(&billing, &invoice, Some(&secure), None).await;
        let waiting = body["data"]["payInvoice"]["attempt"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("a second authentication: {body}"))
            .to_owned();
        let passed = billing
            .graphql(
                CONFIRM,
                json!({ "input": { "attemptId": waiting, "passed": true } }),
            )
            .await;
        assert_eq!(
            passed["data"]["confirmPaymentAuthentication"]["attempt"]["status"], "SUCCEEDED",
            "{passed}"
        );
        assert_eq!(status(&app, &acme, &invoice).await, "PAID");
        // Answering again changes nothing.
        let again = billing
            .graphql(
                CONFIRM,
                json!({ "input": { "attemptId": waiting, "passed": false } }),
            )
            .await;
        assert_code(&again, "CONFLICT");

        let seen = history(&billing, &invoice).await;
        let statuses: Vec<_> = seen["paymentHistory"]["attempts"]
            .as_array()
            .expect("attempts")
            .iter()
            .map(|a| a["status"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            statuses,
            ["FAILED", "FAILED", "FAILED", "SUCCEEDED"],
            "{seen}"
        );
        assert_eq!(payments_of(&app, &invoice).await, 1);
        assert_eq!(sandbox_charges(&app, &invoice).await.len(), 4);

        // 4242 pays at once (Globex's invoice).
        let (globex_invoice, globex) = invoice_of(&app, "Globex").await;
        let globex_billing = app.as_billing_admin("Globex").await;
        card(&globex_billing, &globex, SUCCEEDS, true).await;
        let body = pay(&globex_billing, &globex_invoice, None, None).await;
        assert_eq!(
            body["data"]["payInvoice"]["attempt"]["status"], "SUCCEEDED",
            "{body}"
        );
        assert_eq!(status(&app, &globex, &globex_invoice).await, "PAID");
        // A paid invoice is not paid again.
        let body = pay(&globex_billing, &globex_invoice, None, None).await;
        assert_code(&body, "CONFLICT");
        assert_eq!(
            body["errors"][0]["extensions"]["reason"],
            "INVOICE_NOT_OPEN"
        );
    }
);

e2e_test!(
    other_numbers_bad_digits_and_past_expiries_are_refused,
    |app| {
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = app.customer_id("Acme Telecom").await;
        // A real card's number (Luhn-valid) is not one of the sandbox's.
        let body = add_card(&billing, &acme, "4111 1111 1111 1111", false).await;
        assert_bad_input(&body, "input.number");
        assert_eq!(body["errors"][0]["extensions"]["reason"], "INVALID_CARD");
        let body = add_card(&billing, &acme, "4242 4242 4242 4241", false).await;
        assert_bad_input(&body, "input.number");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("not valid"),
            "{body}"
        );
        let body = add_card(&billing, &acme, "4242 abcd", false).await;
        assert_bad_input(&body, "input.number");
        let expired = billing
            .graphql(
                ADD_CARD,
                json!({ "input": { "customerId": acme, "number": SUCCEEDS, "expMonth": 1,
                "expYear": 2020, "cvc": "123" } }),
            )
            .await;
        assert_bad_input(&expired, "input.expYear");
        assert_eq!(expired["errors"][0]["extensions"]["reason"], "CARD_EXPIRED");
        let iban = billing
            .graphql(
                ADD_SEPA,
                json!({ "input": { "customerId": acme, "iban": "DE89370400440532013001",
                "holderName": "Acme Telecom" } }),
            )
            .await;
        assert_bad_input(&iban, "input.iban");
        assert_eq!(iban["errors"][0]["extensions"]["reason"], "INVALID_IBAN");
        let methods: serde_json::Value = billing
            .data(
                "methods",
                "{ viewer { organisation { paymentMethods { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            methods["viewer"]["organisation"]["paymentMethods"],
            json!([])
        );
    }
);
