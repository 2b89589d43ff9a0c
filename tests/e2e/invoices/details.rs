//! PO numbers and invoice notes from the customer, the subscription and the charge: upcoming
//! charges show what the billing run's invoice then carries (the subscription's PO number,
//! else the customer's; the customer's notes, then the subscription's); an "invoice now"
//! charge's own PO number wins and its notes come last; too long a field is refused on that
//! field with nothing written; customers may not set them. Immediate license invoices and the
//! last invoice of a subscription cancelled now carry them too.

use serde_json::{Value, json};
use tests::{Session, assert_bad_input, assert_code, assert_ok, e2e_test};

use super::charges::{CREATE, audit_count, ok, written};
use super::coupons::{acme_seats, run};

const SETTINGS: &str = "mutation S($input: UpdateCustomerBillingSettingsInput!) {
    updateCustomerBillingSettings(input: $input) { customer { id poNumber invoiceNotes } } }";

const SUBSCRIPTION: &str = "mutation D($input: SetSubscriptionInvoiceDetailsInput!) {
    setSubscriptionInvoiceDetails(input: $input) { subscription { id poNumber invoiceNotes } } }";

const UPCOMING: &str = "{ viewer { organisation { poNumber invoiceNotes upcomingCharges { subscriptionId poNumber notes } } } }";

const INVOICES: &str = "query I($id: ID!) { customer(id: $id) { invoices(first: 50) { nodes {
    subscriptionId periodStart poNumber notes } } } }";

/// Sends `query` with `input`; returns the body.
async fn call(session: &Session<'_>, query: &str, input: Value) -> Value {
    session.graphql(query, json!({ "input": input })).await
}

/// The upcoming invoice of `subscription` as the organisation's user reads it:
/// (poNumber, notes).
async fn upcoming(user: &Session<'_>, subscription: &str) -> (Value, Value) {
    let data: Value = user.data("upcomingCharges", UPCOMING, json!({})).await;
    let next = data["viewer"]["organisation"]["upcomingCharges"]
        .as_array()
        .and_then(|all| all.iter().find(|u| u["subscriptionId"] == subscription))
        .cloned()
        .unwrap_or_else(|| panic!("no upcoming invoice: {data}"));
    (next["poNumber"].clone(), next["notes"].clone())
}

/// The finalised invoices of a customer whose period starts on `period_start` (or all, for
/// `None`), as (poNumber, notes).
async fn invoices(staff: &Session<'_>, customer: &str, period_start: &str) -> Vec<(Value, Value)> {
    let data: Value = staff
        .data("invoices", INVOICES, json!({ "id": customer }))
        .await;
    data["customer"]["invoices"]["nodes"]
        .as_array()
        .expect("invoices")
        .iter()
        .filter(|i| i["periodStart"] == period_start)
        .map(|i| (i["poNumber"].clone(), i["notes"].clone()))
        .collect()
}

e2e_test!(
    the_run_invoice_carries_the_subscription_po_then_the_customer_s_and_both_notes,
    |app| {
        let fx = acme_seats(&app).await;
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = staff.customer_id("Acme Telecom").await;
        let body = call(
            &staff,
            SETTINGS,
            json!({ "customerId": acme, "poNumber": " PO-CUST ", "invoiceNotes": "Customer note" }),
        )
        .await;
        assert_ok(&body);
        let customer = &body["data"]["updateCustomerBillingSettings"]["customer"];
        assert_eq!(customer["poNumber"], "PO-CUST", "trimmed");
        assert_eq!(customer["invoiceNotes"], "Customer note");
        let body = call(
            &staff,
            SUBSCRIPTION,
            json!({ "subscriptionId": fx.subscription, "poNumber": "PO-SUB",
                    "invoiceNotes": "Subscription note" }),
        )
        .await;
        assert_ok(&body);
        let subscription = &body["data"]["setSubscriptionInvoiceDetails"]["subscription"];
        assert_eq!(subscription["poNumber"], "PO-SUB");
        assert_eq!(subscription["invoiceNotes"], "Subscription note");
        assert_eq!(
            audit_count(&staff, &acme, "subscription.invoice_details").await,
            1
        );

        // Upcoming charges show what the run then finalises.
        let both = (json!("PO-SUB"), json!("Customer note\n\nSubscription note"));
        assert_eq!(upcoming(&billing, &fx.subscription).await, both);
        run(&app, "2026-05-01").await;
        assert_eq!(invoices(&staff, &acme, "2026-05-01").await, vec![both]);

        // The subscription's PO number cleared (an empty string), its notes kept (left out):
        // the customer's PO number applies.
        let body = call(
            &staff,
            SUBSCRIPTION,
            json!({ "subscriptionId": fx.subscription, "poNumber": "" }),
        )
        .await;
        assert_ok(&body);
        let subscription = &body["data"]["setSubscriptionInvoiceDetails"]["subscription"];
        assert_eq!(subscription["poNumber"], Value::Null);
        assert_eq!(subscription["invoiceNotes"], "Subscription note");
        let customers = (
            json!("PO-CUST"),
            json!("Customer note\n\nSubscription note"),
        );
        assert_eq!(upcoming(&billing, &fx.subscription).await, customers);
        run(&app, "2026-06-01").await;
        assert_eq!(invoices(&staff, &acme, "2026-06-01").await, vec![customers]);
        // The invoice already finalised keeps what it carries.
        assert_eq!(
            invoices(&staff, &acme, "2026-05-01").await[0].0,
            json!("PO-SUB")
        );

        // The customer's notes cleared with null: only the subscription's remain.
        assert_ok(
            &call(
                &staff,
                SETTINGS,
                json!({ "customerId": acme, "invoiceNotes": null }),
            )
            .await,
        );
        assert_eq!(
            upcoming(&billing, &fx.subscription).await,
            (json!("PO-CUST"), json!("Subscription note"))
        );
    }
);

e2e_test!(
    an_invoice_now_charge_po_wins_and_its_notes_come_last,
    |app| {
        let fx = acme_seats(&app).await;
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        assert_ok(
            &call(
                &staff,
                SETTINGS,
                json!({ "customerId": acme, "poNumber": "PO-CUST", "invoiceNotes": "Customer note" }),
            )
            .await,
        );
        assert_ok(
            &call(
                &staff,
                SUBSCRIPTION,
                json!({ "subscriptionId": fx.subscription, "poNumber": "PO-SUB",
                        "invoiceNotes": "Subscription note" }),
            )
            .await,
        );
        let charge = |po: Value, notes: Value| {
            json!({
                "customerId": acme, "subscriptionId": fx.subscription,
                "poNumber": po, "notes": notes, "timing": "INVOICE_NOW",
                "confirmUnpaidInvoices": true,
                "charges": [{ "description": "Cabling", "amount": "150" }],
            })
        };
        let created = ok(
            &staff,
            CREATE,
            charge(json!("PO-CHARGE"), json!("Charge note")),
        )
        .await;
        let invoice = &created["createCharges"]["invoice"];
        assert_eq!(invoice["poNumber"], "PO-CHARGE");
        assert_eq!(
            invoice["notes"],
            "Customer note\n\nSubscription note\n\nCharge note"
        );
        // Without its own, the charge's invoice takes the subscription's.
        let created = ok(&staff, CREATE, charge(Value::Null, Value::Null)).await;
        let invoice = &created["createCharges"]["invoice"];
        assert_eq!(invoice["poNumber"], "PO-SUB");
        assert_eq!(invoice["notes"], "Customer note\n\nSubscription note");
        // A charge on the customer alone: the customer's.
        let mut alone = charge(Value::Null, json!("Charge note"));
        alone["subscriptionId"] = Value::Null;
        let created = ok(&staff, CREATE, alone).await;
        let invoice = &created["createCharges"]["invoice"];
        assert_eq!(invoice["poNumber"], "PO-CUST");
        assert_eq!(invoice["notes"], "Customer note\n\nCharge note");
    }
);

e2e_test!(
    too_long_details_are_refused_on_their_field_and_customers_are_forbidden,
    |app| {
        let fx = acme_seats(&app).await;
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let before = written(&app).await;
        let long_po = "P".repeat(101);
        let long_notes = "n".repeat(2001);
        for (query, id, field, value) in [
            (SETTINGS, "customerId", "poNumber", &long_po),
            (SETTINGS, "customerId", "invoiceNotes", &long_notes),
            (SUBSCRIPTION, "subscriptionId", "poNumber", &long_po),
            (SUBSCRIPTION, "subscriptionId", "invoiceNotes", &long_notes),
        ] {
            let target = if id == "customerId" {
                acme.clone()
            } else {
                fx.subscription.clone()
            };
            // The other field is valid: only the bad one is named, and neither is written.
            let mut input = json!({ id: target, "poNumber": "PO-OK", "invoiceNotes": "OK" });
            input[field] = json!(value);
            assert_bad_input(&call(&staff, query, input).await, &format!("input.{field}"));
        }
        // The longest accepted.
        assert_ok(
            &call(
                &staff,
                SUBSCRIPTION,
                json!({ "subscriptionId": fx.subscription, "poNumber": "P".repeat(100),
                        "invoiceNotes": "n".repeat(2000) }),
            )
            .await,
        );
        let after_ok = written(&app).await;
        assert_ne!(
            after_ok.2, before.2,
            "the accepted change bumped the revision"
        );

        for role in ["owner", "billing_admin", "viewer"] {
            let user = match role {
                "owner" => app.as_owner("Acme Telecom").await,
                "billing_admin" => app.as_billing_admin("Acme Telecom").await,
                _ => app.as_viewer("Acme Telecom").await,
            };
            assert_code(
                &call(
                    &user,
                    SUBSCRIPTION,
                    json!({ "subscriptionId": fx.subscription, "poNumber": "MINE" }),
                )
                .await,
                "FORBIDDEN",
            );
            assert_code(
                &call(
                    &user,
                    SETTINGS,
                    json!({ "customerId": acme, "poNumber": "MINE" }),
                )
                .await,
                "FORBIDDEN",
            );
        }
        assert_eq!(written(&app).await, after_ok, "refusals write nothing");
        assert_eq!(
            audit_count(&staff, &acme, "subscription.invoice_details").await,
            1
        );
        let unknown = format!("sub_{}", uuid::Uuid::now_v7().simple());
        assert_code(
            &call(
                &staff,
                SUBSCRIPTION,
                json!({ "subscriptionId": unknown, "poNumber": "X" }),
            )
            .await,
            "NOT_FOUND",
        );
        assert_bad_input(
            &call(
                &staff,
                SUBSCRIPTION,
                json!({ "subscriptionId": "sub_x", "poNumber": "X" }),
            )
            .await,
            "input.subscriptionId",
        );
    }
);

/// Every finalised invoice of a customer, as (poNumber, notes).
async fn all_invoices(staff: &Session<'_>, customer: &str) -> Vec<(Value, Value)> {
    let data: Value = staff
        .data("invoices", INVOICES, json!({ "id": customer }))
        .await;
    data["customer"]["invoices"]["nodes"]
        .as_array()
        .expect("invoices")
        .iter()
        .map(|i| (i["poNumber"].clone(), i["notes"].clone()))
        .collect()
}

e2e_test!(
    immediate_license_and_cancel_now_invoices_carry_the_details,
    |app| {
        let staff = app.as_staff().await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let acme = staff.customer_id("Acme Telecom").await;
        let both = (json!("PO-SUB"), json!("Customer note\n\nSubscription note"));
        let set = |subscription: &str| {
            json!({ "subscriptionId": subscription, "poNumber": "PO-SUB",
                    "invoiceNotes": "Subscription note" })
        };
        assert_ok(
            &call(
                &staff,
                SETTINGS,
                json!({ "customerId": acme, "invoiceNotes": "Customer note" }),
            )
            .await,
        );
        // An addition charged immediately: its invoice is finalised when the quote applies.
        let fx = tests::LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .charged_immediately()
            .at(crate::licenses::APRIL_2)
            .create(&app)
            .await;
        assert_ok(&call(&staff, SUBSCRIPTION, set(&fx.subscription)).await);
        let quote = billing.preview_license_change(&fx.item, 1).await;
        billing.apply_license_change(&quote, "details-now").await;
        assert_eq!(all_invoices(&staff, &acme).await, vec![both.clone()]);

        // A seat waiting for the next invoice, then cancelled now: the last invoice.
        let fx = tests::LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(2)
            .at(crate::licenses::APRIL_2)
            .create(&app)
            .await;
        assert_ok(&call(&staff, SUBSCRIPTION, set(&fx.subscription)).await);
        let quote = billing.preview_license_change(&fx.item, 1).await;
        billing.apply_license_change(&quote, "details-later").await;
        let done = ok(
            &staff,
            "mutation C($input: CancelSubscriptionInput!) {
                cancelSubscription(input: $input) { finalInvoiceId } }",
            json!({ "subscriptionId": fx.subscription, "when": "NOW" }),
        )
        .await;
        assert!(
            done["cancelSubscription"]["finalInvoiceId"].is_string(),
            "{done}"
        );
        assert_eq!(all_invoices(&staff, &acme).await, vec![both.clone(), both]);
    }
);
