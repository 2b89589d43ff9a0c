//! Credits: a credit balance that only the ledger changes and never goes below zero, applied by
//! the billing run to the next invoice exactly as upcoming charges showed; credit notes that
//! take their total off the invoice's amount due first, then credit the balance; license
//! removals that credit unused days when the price says so.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, Session, assert_bad_input, assert_code, assert_ok, e2e_test};

use crate::licenses::APRIL_2;

/// Minor units of a two-decimal amount as the API writes it ("-12.34" → -1234).
fn cents(amount: &Value) -> i64 {
    let text = amount["amount"]
        .as_str()
        .unwrap_or_else(|| panic!("an amount: {amount}"));
    let negative = text.starts_with('-');
    let digits = text.trim_start_matches('-');
    let (units, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let fraction = format!("{fraction:0<2}");
    assert_eq!(fraction.len(), 2, "two decimals: {text}");
    let value =
        units.parse::<i64>().expect("units") * 100 + fraction.parse::<i64>().expect("cents");
    if negative { -value } else { value }
}

const ADJUST: &str = "mutation A($input: AdjustCreditBalanceInput!) {
    adjustCreditBalance(input: $input) { entry { kind amount { amount } balanceAfter { amount } description } } }";

const ISSUE: &str = "mutation C($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) {
    creditNote { id number invoiceId reason subtotal { amount } tax { amount } total { amount }
      appliedToInvoice { amount } creditedToBalance { amount }
      lines { description amount { amount } tax { amount } taxRate } } } }";

const CREDITS: &str = "{ viewer { organisation { creditBalance { amount currency }
    creditLedger(first: 50) { nodes { kind amount { amount } balanceAfter { amount } description invoiceId creditNoteId } }
    creditNotes(first: 10) { nodes { number total { amount } } } } } }";

async fn adjust(staff: &Session<'_>, customer: &str, kind: &str, amount: &str) -> Value {
    staff
        .graphql(
            ADJUST,
            json!({ "input": { "customerId": customer, "kind": kind, "amount": amount,
                "description": "Goodwill" } }),
        )
        .await
}

async fn credits(session: &Session<'_>) -> Value {
    session.data::<Value>("credits", CREDITS, json!({})).await["viewer"]["organisation"].clone()
}

async fn read_invoice(session: &Session<'_>, id: &str) -> Value {
    session
        .data::<Value>(
            "an invoice",
            "query I($id: ID!) { viewer { organisation { invoice(id: $id) { id number status
                total { amount } creditsApplied { amount } amountDue { amount }
                amountRemaining { amount } lines { kind amount { amount } tax { amount } }
                creditNotes { number total { amount } } } } } }",
            json!({ "id": id }),
        )
        .await["viewer"]["organisation"]["invoice"]
        .clone()
}

/// The ledger explains the balance: each entry's balance is the previous one plus its amount.
fn assert_ledger_explains(org: &Value) {
    let entries = org["creditLedger"]["nodes"].as_array().expect("ledger");
    let mut balance = 0;
    for entry in entries.iter().rev() {
        balance += cents(&entry["amount"]);
        assert!(balance >= 0, "never negative: {org}");
        assert_eq!(cents(&entry["balanceAfter"]), balance, "{org}");
    }
    assert_eq!(cents(&org["creditBalance"]), balance, "{org}");
}

e2e_test!(
    a_top_up_is_applied_to_the_next_invoice_as_upcoming_charges_showed,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let body = adjust(&staff, &acme, "TOP_UP", "50.00").await;
        assert_ok(&body);
        let entry = &body["data"]["adjustCreditBalance"]["entry"];
        assert_eq!(entry["kind"], "TOP_UP");
        assert_eq!(entry["balanceAfter"]["amount"], "50.00");

        let billing = app.as_billing_admin("Acme Telecom").await;
        let before = credits(&billing).await;
        assert_eq!(before["creditBalance"]["amount"], "50.00");
        assert_eq!(before["creditBalance"]["currency"], "EUR");
        let upcoming: Value = billing
        .data(
            "upcoming",
            "{ viewer { organisation { upcomingCharges { total { amount } creditsApplied { amount }
                amountDue { amount } lines { kind amount { amount } } } } } }",
            json!({}),
        )
        .await;
        let upcoming = &upcoming["viewer"]["organisation"]["upcomingCharges"][0];
        let total = cents(&upcoming["total"]);
        assert!(
            total > 5000,
            "the demo invoice is more than the credit: {upcoming}"
        );
        assert_eq!(cents(&upcoming["creditsApplied"]), 5000);
        assert_eq!(cents(&upcoming["amountDue"]), total - 5000);

        let report = tests::bill_demo_next_period(&app).await;
        let acme_invoice = report
            .invoiced
            .iter()
            .find(|b| b.customer.to_string() == acme)
            .expect("Acme billed")
            .invoice
            .to_string();
        let invoice = read_invoice(&billing, &acme_invoice).await;
        assert_eq!(invoice["creditsApplied"], upcoming["creditsApplied"]);
        assert_eq!(invoice["amountDue"], upcoming["amountDue"]);
        let lines = invoice["lines"].as_array().expect("lines");
        let credit = lines.last().expect("a credit line");
        assert_eq!(credit["kind"], "CREDIT");
        assert_eq!(credit["amount"]["amount"], "-50.00");
        assert_eq!(credit["tax"]["amount"], "0.00");

        let after = credits(&billing).await;
        assert_eq!(after["creditBalance"]["amount"], "0.00");
        let ledger = after["creditLedger"]["nodes"].as_array().expect("ledger");
        assert_eq!(ledger.len(), 2, "{after}");
        assert_eq!(ledger[0]["kind"], "INVOICE");
        assert_eq!(ledger[0]["amount"]["amount"], "-50.00");
        assert_eq!(ledger[0]["invoiceId"], acme_invoice.as_str());
        assert_eq!(
            ledger[0]["description"],
            format!(
                "Applied to invoice {}",
                invoice["number"].as_str().unwrap_or_default()
            )
        );
        assert_ledger_explains(&after);

        // More credit than the next invoice: it is paid in full by credit, the rest stays.
        assert_ok(&adjust(&staff, &acme, "TOP_UP", "100000").await);
        let next_month = chrono::Utc::now().date_naive() + chrono::Days::new(64);
        let report = app
            .app
            .services
            .billing_runs
            .run(next_month)
            .await
            .expect("run");
        let second = report
            .invoiced
            .iter()
            .find(|b| b.customer.to_string() == acme)
            .expect("Acme billed again")
            .invoice
            .to_string();
        let second = read_invoice(&billing, &second).await;
        assert_eq!(second["amountDue"]["amount"], "0.00");
        assert_eq!(second["creditsApplied"], second["total"]);
        let after = credits(&billing).await;
        assert_eq!(
            cents(&after["creditBalance"]),
            10_000_000 - cents(&second["total"])
        );
        assert_ledger_explains(&after);
    }
);

e2e_test!(
    adjustments_never_take_the_balance_below_zero_and_bad_input_writes_nothing,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        assert_ok(&adjust(&staff, &acme, "TOP_UP", "10").await);

        let below = adjust(&staff, &acme, "ADJUSTMENT", "-15.00").await;
        assert_bad_input(&below, "input.amount");
        let message = below["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("€10.00"),
            "says what the balance holds: {message}"
        );
        for (kind, amount) in [
            ("TOP_UP", "-5"),
            ("TOP_UP", "ten"),
            ("TOP_UP", "1.001"),
            ("ADJUSTMENT", "0"),
            ("TOP_UP", "99999999999999999999999"),
            ("ADJUSTMENT", ""),
        ] {
            assert_bad_input(&adjust(&staff, &acme, kind, amount).await, "input.amount");
        }
        let no_description = staff
            .graphql(
                ADJUST,
                json!({ "input": { "customerId": acme, "kind": "TOP_UP", "amount": "5",
                "description": "  " } }),
            )
            .await;
        assert_bad_input(&no_description, "input.description");
        assert_bad_input(
            &adjust(&staff, "cus_nope", "TOP_UP", "5").await,
            "input.customerId",
        );
        let unknown = format!("cus_{}", uuid::Uuid::now_v7().simple());
        assert_code(&adjust(&staff, &unknown, "TOP_UP", "5").await, "NOT_FOUND");

        // Customers cannot give themselves credit, whatever their role.
        for session in [
            app.as_billing_admin("Acme Telecom").await,
            app.as_owner("Acme Telecom").await,
        ] {
            assert_code(&adjust(&session, &acme, "TOP_UP", "5").await, "FORBIDDEN");
        }

        let billing = app.as_billing_admin("Acme Telecom").await;
        let org = credits(&billing).await;
        assert_eq!(
            org["creditBalance"]["amount"], "10.00",
            "nothing refused was written"
        );
        assert_eq!(
            org["creditLedger"]["nodes"].as_array().map(Vec::len),
            Some(1)
        );

        let down = adjust(&staff, &acme, "ADJUSTMENT", "-10").await;
        assert_ok(&down);
        let org = credits(&billing).await;
        assert_eq!(org["creditBalance"]["amount"], "0.00");
        assert_ledger_explains(&org);
    }
);

e2e_test!(
    credit_notes_take_off_the_amount_due_then_credit_the_balance,
    |app| {
        let report = tests::bill_demo_next_period(&app).await;
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let of = |customer: &str| {
            report
                .invoiced
                .iter()
                .find(|b| b.customer.to_string() == customer)
                .expect("billed")
                .invoice
                .to_string()
        };
        let acme_invoice = of(&acme);
        let billing = app.as_billing_admin("Acme Telecom").await;
        let before = read_invoice(&billing, &acme_invoice).await;
        let due = cents(&before["amountDue"]);
        let year = chrono::Utc::now().format("%Y").to_string();

        // Part of the first line: €10.00 + 20 % tax off what is due; nothing to the balance.
        let issue = |input: Value| {
            let staff = &staff;
            async move { staff.graphql(ISSUE, json!({ "input": input })).await }
        };
        let body = issue(
            json!({ "invoiceId": acme_invoice, "reason": "Two days of outage",
        "lines": [{ "line": 0, "amount": "10.00" }] }),
        )
        .await;
        assert_ok(&body);
        let note = &body["data"]["issueCreditNote"]["creditNote"];
        assert_eq!(note["number"], format!("CN-{year}-000001"));
        assert_eq!(note["subtotal"]["amount"], "10.00");
        assert_eq!(note["tax"]["amount"], "2.00");
        assert_eq!(note["total"]["amount"], "12.00");
        assert_eq!(note["appliedToInvoice"]["amount"], "12.00");
        assert_eq!(note["creditedToBalance"]["amount"], "0.00");
        assert_eq!(note["lines"][0]["taxRate"], "20");
        let after = read_invoice(&billing, &acme_invoice).await;
        assert_eq!(cents(&after["amountDue"]), due - 1200);
        assert_eq!(
            after["amountRemaining"], after["amountDue"],
            "open: all of it remains"
        );
        assert_eq!(after["status"], "OPEN");
        assert_eq!(
            after["total"], before["total"],
            "the invoice itself never changes"
        );
        assert_eq!(
            after["creditNotes"][0]["number"],
            format!("CN-{year}-000001")
        );

        // Refusals name the field; none writes anything or takes a number.
        let too_much = issue(json!({ "invoiceId": acme_invoice, "reason": "x",
        "lines": [{ "line": 0, "amount": "1000000" }] }))
        .await;
        assert_bad_input(&too_much, "input.lines.0");
        let no_line = issue(json!({ "invoiceId": acme_invoice, "reason": "x",
        "lines": [{ "line": 99, "amount": "1" }] }))
        .await;
        assert_bad_input(&no_line, "input.lines.0");
        let cents_too_fine = issue(json!({ "invoiceId": acme_invoice, "reason": "x",
        "lines": [{ "line": 0, "amount": "0.001" }] }))
        .await;
        assert_bad_input(&cents_too_fine, "input.lines.0.amount");
        let both = issue(
            json!({ "invoiceId": acme_invoice, "reason": "x", "whole": true,
        "lines": [{ "line": 0, "amount": "1" }] }),
        )
        .await;
        assert_bad_input(&both, "input.lines");
        let no_reason =
            issue(json!({ "invoiceId": acme_invoice, "reason": " ", "whole": true })).await;
        assert_bad_input(&no_reason, "input.reason");
        let customer = billing
            .graphql(
                ISSUE,
                json!({ "input": { "invoiceId": acme_invoice, "reason": "x", "whole": true } }),
            )
            .await;
        assert_code(&customer, "FORBIDDEN");

        // The rest of the invoice: exactly what is left is due, so it is settled; the balance is
        // untouched (nothing was paid with credit).
        let body =
            issue(json!({ "invoiceId": acme_invoice, "reason": "Cancelled", "whole": true })).await;
        assert_ok(&body);
        let note = &body["data"]["issueCreditNote"]["creditNote"];
        assert_eq!(note["number"], format!("CN-{year}-000002"));
        assert_eq!(cents(&note["total"]), cents(&before["total"]) - 1200);
        assert_eq!(cents(&note["appliedToInvoice"]), due - 1200);
        let settled = read_invoice(&billing, &acme_invoice).await;
        assert_eq!(settled["status"], "PAID");
        assert_eq!(settled["amountDue"]["amount"], "0.00");
        let nothing_left =
            issue(json!({ "invoiceId": acme_invoice, "reason": "again", "whole": true })).await;
        assert_bad_input(&nothing_left, "input");
        assert_eq!(credits(&billing).await["creditBalance"]["amount"], "0.00");

        // A paid invoice: the whole credit goes to the balance.
        let globex = staff.customer_id("Globex").await;
        let globex_invoice = of(&globex);
        assert_ok(
        &staff
            .graphql(
                "mutation P($input: SettleInvoiceInput!) { markInvoicePaid(input: $input) { invoice { id } } }",
                json!({ "input": { "invoiceId": globex_invoice } }),
            )
            .await,
    );
        let body = issue(
            json!({ "invoiceId": globex_invoice, "reason": "Refund as credit",
        "lines": [{ "line": 0, "amount": "5.00" }] }),
        )
        .await;
        assert_ok(&body);
        let note = &body["data"]["issueCreditNote"]["creditNote"];
        assert_eq!(note["number"], format!("CN-{year}-000003"));
        assert_eq!(note["appliedToInvoice"]["amount"], "0.00");
        assert_eq!(note["creditedToBalance"], note["total"]);
        let globex_billing = app.as_billing_admin("Globex").await;
        // Paid: it asked for its total, and nothing remains.
        let paid = read_invoice(&globex_billing, &globex_invoice).await;
        assert_eq!(paid["amountDue"], paid["total"]);
        assert_eq!(paid["amountRemaining"]["amount"], "0.00");
        let org = credits(&globex_billing).await;
        assert_eq!(org["creditBalance"]["amount"], note["total"]["amount"]);
        assert_eq!(org["creditLedger"]["nodes"][0]["kind"], "CREDIT_NOTE");
        assert_eq!(
            org["creditNotes"]["nodes"][0]["number"],
            format!("CN-{year}-000003")
        );
        assert_ledger_explains(&org);
        // Acme sees its own two notes only.
        let acme_org = credits(&billing).await;
        assert_eq!(
            acme_org["creditNotes"]["nodes"].as_array().map(Vec::len),
            Some(2)
        );

        // A void invoice cannot be credited.
        let later = chrono::Utc::now().date_naive() + chrono::Days::new(64);
        let report = app.app.services.billing_runs.run(later).await.expect("run");
        let next = report
            .invoiced
            .iter()
            .find(|b| b.customer.to_string() == acme)
            .expect("Acme billed")
            .invoice
            .to_string();
        assert_ok(
        &staff
            .graphql(
                "mutation V($input: SettleInvoiceInput!) { voidInvoice(input: $input) { invoice { id } } }",
                json!({ "input": { "invoiceId": next } }),
            )
            .await,
    );
        let void = issue(json!({ "invoiceId": next, "reason": "x", "whole": true })).await;
        assert_code(&void, "CONFLICT");
    }
);

e2e_test!(
    removing_licenses_credits_unused_days_when_the_price_says_so,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(3)
            .credit_removals()
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        let quote = billing
        .graphql(
            "mutation P($input: PreviewLicenseChangeInput!) { previewLicenseChange(input: $input) {
                quote { id creditToBalance { amount } } } }",
            json!({ "input": { "itemId": fx.item, "delta": -1 } }),
        )
        .await;
        assert_ok(&quote);
        let quote = &quote["data"]["previewLicenseChange"]["quote"];
        // €64 a month; 29 of April's 30 days left: 64 × 29 / 30 = 61.8667 → €61.87, and the 20 %
        // tax it was paid with, 12.374 → €12.37: €74.24.
        assert_eq!(quote["creditToBalance"]["amount"], "74.24", "{quote}");
        let id = quote["id"].as_str().expect("quote id");
        assert_ok(&billing.try_apply_license_change(id, "remove-one").await);
        let org = credits(&billing).await;
        assert_eq!(org["creditBalance"]["amount"], "74.24");
        let entry = &org["creditLedger"]["nodes"][0];
        assert_eq!(entry["kind"], "LICENSE_REMOVAL");
        assert_eq!(
            entry["description"],
            "Unused time of 1 removed ADVANCED license"
        );
        // Applying the same quote again credits nothing more.
        assert_ok(&billing.try_apply_license_change(id, "remove-one").await);
        assert_eq!(credits(&billing).await["creditBalance"]["amount"], "74.24");
        assert_ledger_explains(&credits(&billing).await);
    }
);
