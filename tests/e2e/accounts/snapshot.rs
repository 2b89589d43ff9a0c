//! Every invoice keeps the default billing address it was issued to, whichever path finalised
//! it (the billing run, "invoice now" charges, an immediately charged license addition, a
//! cancel-now last invoice); a later change of address leaves finalised invoices as they were;
//! a customer without an address gets invoices without one.

use serde_json::{Value, json};
use tests::{Session, e2e_test};

use super::ops::{REMOVE_ADDRESS, SET_DEFAULT, UPDATE_ADDRESS, addresses, ok};

const INVOICES: &str = "query I($id: ID!) { customer(id: $id) { invoices(first: 10) { nodes {
    id number billingAddress { line1 line2 city postalCode region country lines } } } } }";

/// The invoices of `customer`, newest first.
async fn invoices(session: &Session<'_>, customer: &str) -> Vec<Value> {
    let data: Value = session
        .data("invoices", INVOICES, json!({ "id": customer }))
        .await;
    data["customer"]["invoices"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

e2e_test!(
    an_invoice_keeps_the_default_address_it_was_issued_to,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let globex = staff.customer_id("Globex").await;
        // Globex has no address any more when it is billed.
        let only = addresses(&staff, &globex).await[0]["id"].clone();
        ok(&staff, REMOVE_ADDRESS, json!({ "addressId": only })).await;

        tests::bill_demo_next_period(&app).await;
        let billed = invoices(&staff, &acme).await;
        assert_eq!(billed.len(), 1);
        let paris = json!({
            "line1": "12 Rue de la Paix", "line2": null, "city": "Paris", "postalCode": "75002",
            "region": null, "country": "FR", "lines": ["12 Rue de la Paix", "75002 Paris", "France"]
        });
        assert_eq!(billed[0]["billingAddress"], paris, "{billed:?}");
        assert_eq!(
            invoices(&staff, &globex).await[0]["billingAddress"],
            Value::Null
        );
        // The customer reads it too.
        let billing = app.as_billing_admin("Acme Telecom").await;
        assert_eq!(invoices(&billing, &acme).await[0]["billingAddress"], paris);

        // The default moves to Madrid, and Paris is rewritten: the invoice does not change.
        let list = addresses(&staff, &acme).await;
        let (paris_id, madrid_id) = (list[0]["id"].clone(), list[1]["id"].clone());
        ok(&staff, SET_DEFAULT, json!({ "addressId": madrid_id })).await;
        ok(
            &staff,
            UPDATE_ADDRESS,
            json!({ "addressId": paris_id, "line1": "1 Avenue de l'Opéra", "city": "Paris",
                    "postalCode": "75001", "country": "FR" }),
        )
        .await;
        assert_eq!(invoices(&staff, &acme).await[0]["billingAddress"], paris);

        // An invoice made now is issued to the new default.
        let subscription: Value = staff
            .data(
                "subscriptions",
                "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }",
                json!({ "id": acme }),
            )
            .await;
        let created = ok(
            &staff,
            "mutation C($input: CreateChargesInput!) { createCharges(input: $input) {
                invoice { id billingAddress { country lines } } } }",
            json!({ "customerId": acme, "timing": "INVOICE_NOW", "confirmUnpaidInvoices": true,
                    "subscriptionId": subscription["customer"]["subscriptions"]["nodes"][0]["id"],
                    "charges": [{ "description": "Setup", "amount": "10" }] }),
        )
        .await;
        assert_eq!(
            created["createCharges"]["invoice"]["billingAddress"],
            json!({ "country": "ES", "lines": [
                "Calle de Alcalá 45", "Planta 3", "28014 Madrid", "Comunidad de Madrid", "Spain"
            ] })
        );
    }
);

e2e_test!(
    immediate_license_and_cancel_now_invoices_keep_the_default_address,
    |app| {
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = staff.customer_id("Acme Telecom").await;
        // An addition charged immediately: its invoice is finalised when the quote applies.
        let fx = tests::LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .charged_immediately()
            .at(crate::licenses::APRIL_2)
            .create(&app)
            .await;
        let quote = billing.preview_license_change(&fx.item, 1).await;
        billing.apply_license_change(&quote, "address-now").await;
        // A seat waiting for the next invoice, then cancelled now: the last invoice.
        let fx = tests::LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(crate::licenses::APRIL_2)
            .create(&app)
            .await;
        let quote = billing.preview_license_change(&fx.item, 1).await;
        billing.apply_license_change(&quote, "address-later").await;
        ok(
            &staff,
            "mutation C($input: CancelSubscriptionInput!) {
                cancelSubscription(input: $input) { finalInvoiceId } }",
            json!({ "subscriptionId": fx.subscription, "when": "NOW" }),
        )
        .await;
        let billed = invoices(&staff, &acme).await;
        assert_eq!(billed.len(), 2, "{billed:?}");
        for invoice in &billed {
            assert_eq!(
                invoice["billingAddress"]["lines"],
                json!(["12 Rue de la Paix", "75002 Paris", "France"]),
                "{invoice}"
            );
        }
    }
);
