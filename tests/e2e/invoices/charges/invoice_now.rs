//! "Invoice now": one numbered, open invoice, field by field the preview, to the cent and to
//! the yen; the idempotency key replays it; the customer reads its PO number and notes.

use serde_json::{Value, json};
use tests::html::{page, signed_in, unescape};
use tests::{assert_bad_input, assert_code, e2e_test, instant};

use super::{CREATE, PREVIEW, UNBILLED, addon, audit_count, call, ok, written};

e2e_test!(
    invoice_now_finalises_exactly_the_preview_to_the_cent,
    |app| {
        app.app.services.clock.set(instant("2026-06-15T10:00:00Z"));
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let setup = addon(&staff, "Setup", "EUR", "99").await;
        let details = json!({
            "customerId": acme,
            "poNumber": "PO-4471",
            "notes": "Installation at the Lyon office.",
            "charges": [
                // 3.75 × €12.345678901234 = €46.2962958796275 -> €46.30; 20 % = €9.26.
                { "productId": setup, "quantity": "3.75", "unitPrice": "12.345678901234",
                  "servicePeriodStart": "2026-06-01", "servicePeriodEnd": "2026-07-01" },
                // The product's own price: 0.5 × €99 = €49.50, taxable as the price is: €9.90.
                { "productId": setup, "quantity": "0.5", "description": "Half a setup" },
                // A quick charge, taxable on request: €150 + €30.
                { "description": "Cabling", "amount": "150", "taxable": true },
                // A quick charge is untaxed unless said: €20, no tax.
                { "description": "Deposit", "amount": "20.00" },
            ]
        });
        let preview = ok(&staff, PREVIEW, details.clone()).await["previewCharges"].clone();
        assert_eq!(written(&app).await.0, 0, "a preview writes nothing");
        let amounts: Vec<(&str, &str, Value)> = preview["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l["amount"]["amount"].as_str().expect("amount"),
                    l["tax"]["amount"].as_str().expect("tax"),
                    l["taxRate"].clone(),
                )
            })
            .collect();
        assert_eq!(
            amounts,
            [
                ("46.30", "9.26", json!("20")),
                ("49.50", "9.90", json!("20")),
                ("150.00", "30.00", json!("20")),
                ("20.00", "0.00", Value::Null),
            ]
        );
        // 46.30 + 49.50 + 150 + 20 = 265.80; tax 9.26 + 9.90 + 30 = 49.16; total 314.96.
        assert_eq!(preview["subtotal"]["amount"], "265.80");
        assert_eq!(preview["tax"]["amount"], "49.16");
        assert_eq!(preview["total"]["amount"], "314.96");
        assert_eq!(preview["amountDue"]["amount"], "314.96");
        assert_eq!(preview["lines"][1]["description"], "Half a setup");
        assert_eq!(preview["lines"][0]["description"], "Setup");
        assert_eq!(preview["issueDate"], "2026-06-15");
        assert_eq!(preview["unpaidInvoices"], Value::Null);
        assert_eq!(
            (&preview["periodStart"], &preview["periodEnd"]),
            (&json!("2026-06-01"), &json!("2026-07-01"))
        );

        let mut input = details.clone();
        input["timing"] = json!("INVOICE_NOW");
        input["idempotencyKey"] = json!("charge-lyon");
        let created = ok(&staff, CREATE, input.clone()).await["createCharges"].clone();
        let invoice = &created["invoice"];
        assert_eq!(invoice["number"], "INV-2026-000001");
        assert_eq!(invoice["status"], "OPEN");
        assert_eq!(invoice["subscriptionId"], Value::Null);
        assert_eq!(invoice["poNumber"], "PO-4471");
        assert_eq!(invoice["notes"], "Installation at the Lyon office.");
        // Field by field, the preview is the invoice.
        for field in [
            "issueDate",
            "dueDate",
            "periodStart",
            "periodEnd",
            "poNumber",
            "notes",
            "lines",
            "subtotal",
            "discount",
            "tax",
            "total",
            "creditsApplied",
            "amountDue",
        ] {
            assert_eq!(invoice[field], preview[field], "{field}");
        }
        let charges = created["charges"].as_array().expect("charges");
        assert_eq!(charges.len(), 4);
        assert!(charges.iter().all(|c| c["invoiceId"] == invoice["id"]));
        assert_eq!(charges[0]["unitPrice"], "12.345678901234");
        assert_eq!(charges[0]["quantity"], "3.75");
        assert_eq!(charges[1]["unitPrice"], "99");
        assert_eq!(audit_count(&staff, &acme, "charge.create").await, 4);
        // Invoiced now, so nothing waits for the next invoice.
        let unbilled = staff.graphql(UNBILLED, json!({ "id": acme })).await;
        assert_eq!(unbilled["data"]["customer"]["unbilledCharges"], json!([]));

        // The same key and input again: the first result, no second invoice (and no
        // unpaid-invoice refusal, though the first invoice is now open).
        let again = ok(&staff, CREATE, input.clone()).await["createCharges"].clone();
        assert_eq!(again["invoice"]["id"], invoice["id"]);
        assert_eq!(again["charges"], created["charges"]);
        assert_eq!(written(&app).await.0, 1);
        // The same key with another input: a conflict.
        input["poNumber"] = json!("PO-4472");
        assert_code(&call(&staff, CREATE, input).await, "CONFLICT");

        // The customer reads the PO number and notes, in GraphQL and in the portal.
        let billing = app.as_billing_admin("Acme Telecom").await;
        let own = billing
            .graphql(
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) { poNumber notes total { amount } } } } }",
                json!({ "id": invoice["id"] }),
            )
            .await;
        assert_eq!(
            own["data"]["viewer"]["organisation"]["invoice"],
            json!({ "poNumber": "PO-4471", "notes": "Installation at the Lyon office.",
                    "total": { "amount": "314.96" } })
        );
        let (cookies, _) = signed_in(&app, "billing@acme.example").await;
        let html = unescape(
            &page(
                &app,
                &cookies,
                &format!("/invoice?id={}", invoice["id"].as_str().expect("id")),
            )
            .await,
        );
        assert!(html.contains("PO number: PO-4471"), "{html}");
        assert!(html.contains("Installation at the Lyon office."), "{html}");
        assert!(html.contains("Cabling"), "{html}");
    }
);

e2e_test!(yen_charges_are_rounded_once_to_the_yen, |app| {
    // Noon in Tokyo on 1 March 2026.
    app.app.services.clock.set(instant("2026-03-01T03:00:00Z"));
    let staff = app.as_staff().await;
    let customer = ok(
        &staff,
        "mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }",
        json!({ "name": "Tokyo KK", "email": "billing@tokyo.example", "currency": "JPY",
                "timeZone": "Asia/Tokyo", "taxRate": "10" }),
    )
    .await["createCustomer"]["customer"]["id"]
        .clone();
    let kit = addon(&staff, "Handset", "JPY", "1234.5").await;
    let details = json!({ "customerId": customer, "charges": [
        // 2.5 × ¥1234.567890123456 = ¥3086.41972530864 -> ¥3086; 10 % = 308.6 -> ¥309.
        { "productId": kit, "quantity": "2.5", "unitPrice": "1234.567890123456" },
        // 0.5 × ¥1234.5 = ¥617.25 -> ¥617; 10 % = 61.7 -> ¥62.
        { "productId": kit, "quantity": "0.5" },
    ] });
    let preview = ok(&staff, PREVIEW, details.clone()).await["previewCharges"].clone();
    assert_eq!(preview["issueDate"], "2026-03-01");
    let mut input = details.clone();
    input["timing"] = json!("INVOICE_NOW");
    let invoice = ok(&staff, CREATE, input.clone()).await["createCharges"]["invoice"].clone();
    let lines: Vec<(&Value, &Value)> = invoice["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (&l["amount"]["amount"], &l["tax"]["amount"]))
        .collect();
    assert_eq!(
        lines,
        [
            (&json!("3086"), &json!("309")),
            (&json!("617"), &json!("62"))
        ]
    );
    assert_eq!(invoice["lines"][0]["amount"]["currency"], "JPY");
    // 3086 + 617 = 3703; 309 + 62 = 371; 4074.
    assert_eq!(invoice["subtotal"]["amount"], "3703");
    assert_eq!(invoice["tax"]["amount"], "371");
    assert_eq!(invoice["total"]["amount"], "4074");
    for field in [
        "lines",
        "subtotal",
        "tax",
        "total",
        "amountDue",
        "issueDate",
    ] {
        assert_eq!(invoice[field], preview[field], "{field}");
    }
    // A yen amount has no decimals.
    let mut yen = input.clone();
    yen["charges"] = json!([{ "description": "Fee", "amount": "100.5" }]);
    yen["confirmUnpaidInvoices"] = json!(true);
    assert_bad_input(&call(&staff, CREATE, yen).await, "input.charges.0.amount");

    // Without a subscription there is no next invoice to add charges to.
    let before = written(&app).await;
    input["timing"] = json!("ADD_TO_UNBILLED");
    input["confirmUnpaidInvoices"] = json!(true);
    assert_bad_input(&call(&staff, CREATE, input).await, "input.timing");
    assert_eq!(written(&app).await, before);
});
