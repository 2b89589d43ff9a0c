//! Licenses charged immediately: applying the quote finalises an invoice with exactly the
//! quote's line and amount due now (the credit balance pays what it can), once, and the next
//! period's invoice does not bill the addition again.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, assert_ok, e2e_test};

use crate::licenses::APRIL_2;

const PREVIEW: &str = "mutation P($input: PreviewLicenseChangeInput!) { previewLicenseChange(input: $input) {
    quote { id amountDueNow { amount } amountNextInvoice { amount } lineDescription firstPaymentDate } } }";
const APPLY: &str =
    "mutation A($input: ApplyLicenseChangeInput!) { applyLicenseChange(input: $input) {
    quantityAfter invoiceId } }";

e2e_test!(an_immediate_addition_is_invoiced_when_applied, |app| {
    let fx = LicenseItemFixture::for_organisation("Acme Telecom")
        .seats(2)
        .charged_immediately()
        .at(APRIL_2)
        .create(&app)
        .await;
    let staff = app.as_staff().await;
    assert_ok(
        &staff
            .graphql(
                "mutation A($input: AdjustCreditBalanceInput!) { adjustCreditBalance(input: $input) { entry { id } } }",
                json!({ "input": { "customerId": fx.customer, "kind": "TOP_UP", "amount": "20",
                    "description": "Goodwill" } }),
            )
            .await,
    );
    let billing = app.as_billing_admin("Acme Telecom").await;
    let quote: Value = billing
        .data(
            "preview",
            PREVIEW,
            json!({ "input": { "itemId": fx.item, "delta": 2 } }),
        )
        .await;
    let quote = &quote["previewLicenseChange"]["quote"];
    // €64 × 29/30 = €61.87 a seat; two seats €123.74 + 20 % (€24.75) = €148.49, due now.
    assert_eq!(quote["amountDueNow"]["amount"], "148.49", "{quote}");
    assert_eq!(quote["amountNextInvoice"]["amount"], "0.00");
    assert_eq!(quote["firstPaymentDate"], "2026-04-02");

    let apply = json!({ "input": { "quoteId": quote["id"], "idempotencyKey": "now-1" } });
    let applied: Value = billing.data("apply", APPLY, apply.clone()).await;
    let invoice_id = applied["applyLicenseChange"]["invoiceId"]
        .as_str()
        .expect("an invoice for an immediate addition")
        .to_owned();
    // The same request again: the same invoice, not a second one.
    let again: Value = billing.data("apply again", APPLY, apply).await;
    assert_eq!(
        again["applyLicenseChange"]["invoiceId"],
        invoice_id.as_str()
    );

    let invoice: Value = billing
        .data(
            "the invoice",
            "query I($id: ID!) { viewer { organisation { invoice(id: $id) { number status
                subscriptionId issueDate total { amount } creditsApplied { amount }
                amountDue { amount } lines { kind description amount { amount } tax { amount } } }
                invoices(first: 10) { nodes { id } } creditBalance { amount } } } }",
            json!({ "id": invoice_id }),
        )
        .await;
    let org = &invoice["viewer"]["organisation"];
    let invoice = &org["invoice"];
    assert_eq!(invoice["number"], "INV-2026-000001");
    assert_eq!(invoice["status"], "OPEN");
    assert_eq!(invoice["issueDate"], "2026-04-02");
    assert_eq!(invoice["total"], quote["amountDueNow"], "exactly the quote");
    assert_eq!(invoice["creditsApplied"]["amount"], "20.00");
    assert_eq!(invoice["amountDue"]["amount"], "128.49");
    assert_eq!(invoice["lines"][0]["kind"], "PRORATION");
    assert_eq!(invoice["lines"][0]["description"], quote["lineDescription"]);
    assert_eq!(org["invoices"]["nodes"].as_array().map(Vec::len), Some(1));
    assert_eq!(org["creditBalance"]["amount"], "0.00");

    // Nothing waits for the next invoice: it bills the four seats for May, no proration.
    let upcoming = billing.upcoming_charges(&fx.subscription).await;
    assert_eq!(
        upcoming.count_of("PRORATION"),
        0,
        "billed already: {upcoming:?}"
    );
    assert_eq!(
        upcoming.descriptions(),
        vec!["4 ADVANCED licenses at €64.00 each"]
    );
    let report = app
        .app
        .services
        .billing_runs
        .run("2026-05-01".parse().expect("date"))
        .await
        .expect("run");
    let next = report
        .invoiced
        .iter()
        .find(|b| b.subscription.to_string() == fx.subscription)
        .expect("May billed");
    assert_eq!(
        next.number, "INV-2026-000002",
        "numbered after the immediate one"
    );
});
