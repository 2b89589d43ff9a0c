//! Where invoices go: the organisation chooses the address (or none), and anyone who reads an
//! invoice can have a copy sent to themselves.

use entity::outbox_message;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::{assert_bad_input, assert_code, assert_ok, bill_demo_next_period, e2e_test};

const UPDATE: &str = "mutation U($input: UpdateInvoiceDeliveryInput!) {
    updateInvoiceDelivery(input: $input) { customer { invoiceEmail emailInvoices } } }";
const COPY: &str = "mutation S($input: SendInvoiceCopyInput!) {
    sendInvoiceCopy(input: $input) { email { id kind recipient status } } }";

e2e_test!(invoices_go_to_the_address_the_organisation_chose, |app| {
    let billing = app.as_billing_admin("Acme Telecom").await;
    let acme = billing.organisation_id().to_owned();
    let read: Value = billing
        .data(
            "delivery",
            "{ viewer { organisation { invoiceEmail emailInvoices } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        read["viewer"]["organisation"]["invoiceEmail"],
        "accounts@acme.example"
    );
    assert_eq!(read["viewer"]["organisation"]["emailInvoices"], true);

    let bad = billing
        .graphql(
            UPDATE,
            json!({ "input": { "customerId": acme, "email": "not an address", "enabled": true } }),
        )
        .await;
    assert_bad_input(&bad, "input.email");
    let viewer = app.as_viewer("Acme Telecom").await;
    let forbidden = viewer
        .graphql(
            UPDATE,
            json!({ "input": { "customerId": acme, "email": "x@acme.example", "enabled": true } }),
        )
        .await;
    assert_code(&forbidden, "FORBIDDEN");

    let changed = billing
        .graphql(UPDATE, json!({ "input": { "customerId": acme, "email": " Finance@Acme.example ", "enabled": true } }))
        .await;
    assert_ok(&changed);
    let customer = &changed["data"]["updateInvoiceDelivery"]["customer"];
    assert_eq!(customer["invoiceEmail"], "finance@acme.example");
    assert_eq!(billing.audit_count("customer.invoice_delivery").await, 1);

    let report = bill_demo_next_period(&app).await;
    let messages = outbox_message::Entity::find()
        .all(app.app.db.reads())
        .await
        .expect("outbox");
    assert!(
        report
            .invoiced
            .iter()
            .any(|b| b.customer.to_string() == acme)
    );
    let acme_recipients: Vec<&str> = messages
        .iter()
        .filter(|m| m.customer_id.to_string() == acme)
        .map(|m| m.recipient.as_str())
        .collect();
    assert_eq!(
        acme_recipients,
        ["finance@acme.example", "claire.dubois@acme.example"],
        "the chosen address, then the contact who receives invoices"
    );
});

e2e_test!(
    an_organisation_that_wants_no_invoice_emails_gets_none,
    |app| {
        let owner = app.as_owner("Acme Telecom").await;
        let acme = owner.organisation_id().to_owned();
        let off = owner
            .graphql(
                UPDATE,
                json!({ "input": { "customerId": acme, "email": null, "enabled": false } }),
            )
            .await;
        assert_ok(&off);
        assert_eq!(
            off["data"]["updateInvoiceDelivery"]["customer"]["emailInvoices"],
            false
        );
        let report = bill_demo_next_period(&app).await;
        let messages = outbox_message::Entity::find()
            .all(app.app.db.reads())
            .await
            .expect("outbox");
        assert!(
            report
                .invoiced
                .iter()
                .any(|b| b.customer.to_string() == acme)
        );
        assert!(
            messages.iter().all(|m| m.customer_id.to_string() != acme),
            "nothing queued for Acme"
        );
        assert!(!messages.is_empty(), "the others still get theirs");
    }
);

e2e_test!(a_copy_goes_to_whoever_asked_for_it, |app| {
    let report = bill_demo_next_period(&app).await;
    let acme = app.customer_id("Acme Telecom").await;
    let invoice = report
        .invoiced
        .iter()
        .find(|b| b.customer.to_string() == acme)
        .expect("Acme's invoice")
        .invoice
        .to_string();
    let viewer = app.as_viewer("Acme Telecom").await;
    let first = viewer
        .graphql(COPY, json!({ "input": { "invoiceId": invoice } }))
        .await;
    assert_ok(&first);
    let email = &first["data"]["sendInvoiceCopy"]["email"];
    assert_eq!(
        email["recipient"], "viewer@acme.example",
        "to the user who asked"
    );
    assert_eq!(email["kind"], "INVOICE_COPY");
    let again = viewer
        .graphql(COPY, json!({ "input": { "invoiceId": invoice } }))
        .await;
    assert_eq!(
        again["data"]["sendInvoiceCopy"]["email"]["id"], email["id"],
        "asking again before it left answers the same copy"
    );
    let staff = app.as_staff().await;
    let by_staff = staff
        .graphql(COPY, json!({ "input": { "invoiceId": invoice } }))
        .await;
    assert_ok(&by_staff);
    assert_eq!(
        by_staff["data"]["sendInvoiceCopy"]["email"]["recipient"], "accounts@acme.example",
        "staff send it to the organisation's invoice address"
    );
    let queued = outbox_message::Entity::find()
        .all(app.app.db.reads())
        .await
        .expect("outbox")
        .len();
    let sent = app.app.services.mail.deliver_due().await.expect("deliver");
    assert_eq!(sent.sent, queued);
    let after = viewer
        .graphql(COPY, json!({ "input": { "invoiceId": invoice } }))
        .await;
    assert_ne!(
        after["data"]["sendInvoiceCopy"]["email"]["id"], email["id"],
        "once sent, a new request is a new copy"
    );
    assert_eq!(viewer.audit_count("invoice.send_copy").await, 3);
    let missing = viewer
        .graphql(
            COPY,
            json!({ "input": { "invoiceId": ids::InvoiceId::new().to_string() } }),
        )
        .await;
    assert_code(&missing, "NOT_FOUND");
});
