//! What `cargo run` shows a newcomer: the demo organisations with months of invoice history
//! (older invoices paid, the latest open, a credit note that left Acme a credit balance), and a
//! next run that bills exactly what upcoming charges show.

use serde_json::{Value, json};
use tests::e2e_test;

const HISTORY: &str = "{ viewer { organisation {
    invoices(first: 20) { nodes { id number status periodStart issueDate total { amount } amountDue { amount }
      creditNotes { number total { amount } } } }
    creditBalance { amount }
    creditLedger(first: 10) { nodes { kind amount { amount } } }
    upcomingCharges { invoiceDate total { amount } creditsApplied { amount } amountDue { amount }
      lines { kind description amount { amount } tax { amount } } } } } }";

e2e_test!(
    the_demo_has_months_of_invoices_a_credit_note_and_a_credit_balance,
    config = |config: &mut api::config::Config| config.seed_demo_history = true,
    |app| {
        let months = api::seed::history::HISTORY_MONTHS as usize;
        let acme = app.as_billing_admin("Acme Telecom").await;
        let org: Value = acme.data("history", HISTORY, json!({})).await;
        let org = &org["viewer"]["organisation"];
        let invoices = org["invoices"]["nodes"].as_array().expect("invoices");
        assert_eq!(
            invoices.len(),
            months,
            "one per month since the start: {org}"
        );
        assert_eq!(invoices[0]["status"], "OPEN", "the latest is open: {org}");
        for older in &invoices[1..] {
            assert_eq!(older["status"], "PAID", "{org}");
        }
        // Numbers are gapless across both organisations (billed in one run): for each year,
        // exactly 1..N.
        let globex = app.as_billing_admin("Globex").await;
        let globex_org: Value = globex.data("history", HISTORY, json!({})).await;
        let globex_invoices = globex_org["viewer"]["organisation"]["invoices"]["nodes"]
            .as_array()
            .expect("invoices")
            .clone();
        assert_eq!(globex_invoices.len(), months);
        let mut by_year: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for invoice in invoices.iter().chain(&globex_invoices) {
            let number = invoice["number"].as_str().expect("number");
            let (year, n) = number["INV-".len()..].split_once('-').expect("INV-YYYY-N");
            by_year
                .entry(year.to_owned())
                .or_default()
                .push(n.parse().expect("a number"));
        }
        for (year, mut numbers) in by_year {
            numbers.sort_unstable();
            let expected: Vec<u32> = (1..=u32::try_from(numbers.len()).expect("few")).collect();
            assert_eq!(numbers, expected, "{year}");
        }

        // The history filtered by issue date: the last two months, then the first two.
        let issued = |i: usize| invoices[i]["issueDate"].as_str().expect("date").to_owned();
        let filtered = |from: Option<String>, to: Option<String>| {
            let acme = &acme;
            async move {
                acme.graphql(
                    "query F($from: NaiveDate, $to: NaiveDate) { viewer { organisation {
                        invoices(first: 20, issuedFrom: $from, issuedTo: $to) { nodes { number } } } } }",
                    json!({ "from": from, "to": to }),
                )
                .await
            }
        };
        let numbers = |body: &Value| -> Vec<String> {
            body["data"]["viewer"]["organisation"]["invoices"]["nodes"]
                .as_array()
                .unwrap_or_else(|| panic!("invoices: {body}"))
                .iter()
                .map(|n| n["number"].as_str().expect("number").to_owned())
                .collect()
        };
        let number = |i: usize| invoices[i]["number"].as_str().expect("number").to_owned();
        assert_eq!(
            numbers(&filtered(Some(issued(1)), None).await),
            vec![number(0), number(1)]
        );
        assert_eq!(
            numbers(&filtered(None, Some(issued(months - 2))).await),
            vec![number(months - 2), number(months - 1)]
        );
        tests::assert_bad_input(
            &filtered(Some(issued(0)), Some(issued(1))).await,
            "issuedTo",
        );

        // The credit note: €32.00 + 20 % on the last paid invoice, all to the balance.
        let noted = &invoices[1];
        assert_eq!(noted["creditNotes"][0]["total"]["amount"], "38.40", "{org}");
        assert_eq!(org["creditBalance"]["amount"], "38.40");
        assert_eq!(org["creditLedger"]["nodes"][0]["kind"], "CREDIT_NOTE");

        // Upcoming charges take the unbilled setup charge and use the credit; the next run
        // bills exactly that.
        let upcoming = &org["upcomingCharges"][0];
        assert_eq!(upcoming["creditsApplied"]["amount"], "38.40");
        let one_off = upcoming["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|l| l["kind"] == "ONE_OFF")
            .unwrap_or_else(|| panic!("the setup charge is upcoming: {upcoming}"));
        assert_eq!(one_off["description"], "On-site setup of 2 desk phones");
        assert_eq!(one_off["amount"]["amount"], "150.00");
        let next: chrono::NaiveDate = upcoming["invoiceDate"]
            .as_str()
            .expect("date")
            .parse()
            .expect("date");
        let report = app.app.services.billing_runs.run(next).await.expect("run");
        assert_eq!(report.invoiced.len(), 2, "one per organisation: {report:?}");
        let after: Value = acme.data("history", HISTORY, json!({})).await;
        let latest = &after["viewer"]["organisation"]["invoices"]["nodes"][0];
        let id = latest["id"].as_str().expect("id");
        let billed: Value = acme
            .data(
                "the new invoice",
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) {
                    total { amount } creditsApplied { amount } amountDue { amount }
                    lines { kind description amount { amount } tax { amount } } } } } }",
                json!({ "id": id }),
            )
            .await;
        let billed = &billed["viewer"]["organisation"]["invoice"];
        for field in ["total", "creditsApplied", "amountDue", "lines"] {
            assert_eq!(billed[field], upcoming[field], "{field}");
        }
        assert_eq!(
            after["viewer"]["organisation"]["creditBalance"]["amount"],
            "0.00"
        );

        // Globex's loyalty coupon: a discount line of 10 % of the charges on the upcoming
        // invoice, in GraphQL and on the portal's upcoming charges, and on the invoice the run
        // then made.
        let globex_upcoming = &globex_org["viewer"]["organisation"]["upcomingCharges"][0];
        let lines = globex_upcoming["lines"].as_array().expect("lines");
        let cents = |l: &Value| -> i64 {
            let text = l["amount"]["amount"]
                .as_str()
                .expect("amount")
                .replace('.', "");
            text.parse().expect("cents")
        };
        let charged: i64 = lines
            .iter()
            .filter(|l| l["kind"] != "DISCOUNT")
            .map(cents)
            .sum();
        let discounts: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "DISCOUNT").collect();
        assert_eq!(discounts.len(), 1, "{globex_upcoming}");
        let code = api::seed::history::DEMO_COUPON;
        assert_eq!(discounts[0]["description"], format!("Coupon {code} (10%)"));
        // Half away from zero, as billing rounds: −round(10 % of the charges).
        assert_eq!(
            cents(discounts[0]),
            -((charged + 5) / 10),
            "{globex_upcoming}"
        );
        let (cookies, _) = tests::html::signed_in(&app, "billing@globex.example").await;
        let charges_page = tests::html::page(&app, &cookies, "/charges").await;
        assert!(
            charges_page.contains(&format!("Coupon {code} (10%)")),
            "{charges_page}"
        );
        let globex_after: Value = globex.data("history", HISTORY, json!({})).await;
        let billed_id = globex_after["viewer"]["organisation"]["invoices"]["nodes"][0]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let billed: Value = globex
            .data(
                "the new invoice",
                "query I($id: ID!) { viewer { organisation { invoice(id: $id) {
                    lines { kind description amount { amount } tax { amount } } } } } }",
                json!({ "id": billed_id }),
            )
            .await;
        assert_eq!(
            billed["viewer"]["organisation"]["invoice"]["lines"],
            globex_upcoming["lines"]
        );
    }
);

e2e_test!(
    each_subscription_shows_the_day_of_its_last_invoice,
    config = |config: &mut api::config::Config| config.seed_demo_history = true,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let data: Value = staff
            .data(
                "subscriptions",
                "query S($id: ID!) { customer(id: $id) {
                    subscriptions { nodes { id lastInvoiceDate } }
                    invoices(first: 100) { nodes { subscriptionId issueDate } } } }",
                json!({ "id": acme }),
            )
            .await;
        let invoices = data["customer"]["invoices"]["nodes"]
            .as_array()
            .expect("invoices");
        let subscriptions = data["customer"]["subscriptions"]["nodes"]
            .as_array()
            .expect("subscriptions");
        let mut invoiced = 0;
        for s in subscriptions {
            // The latest issue day among the subscription's invoices (ISO days sort as text).
            let latest = invoices
                .iter()
                .filter(|i| i["subscriptionId"] == s["id"])
                .filter_map(|i| i["issueDate"].as_str())
                .max();
            assert_eq!(s["lastInvoiceDate"].as_str(), latest, "{data}");
            invoiced += usize::from(latest.is_some());
        }
        assert!(invoiced > 0, "the demo has invoiced subscriptions: {data}");

        // A new subscription has none yet.
        let product = staff
            .create_product(json!({ "name": "Hosting", "code": "hosting-last", "kind": "SERVICE" }))
            .await;
        let price = staff
            .create_price(
                json!({ "productId": product, "currency": "EUR", "interval": "MONTH",
                "model": "PER_UNIT", "unitAmount": "3" }),
            )
            .await;
        let created = staff
            .create_subscription(json!({ "customerId": acme, "anchorDate": "2026-12-01",
                "interval": "MONTH", "items": [{ "priceId": price, "quantity": 1 }] }))
            .await;
        let data: Value = staff
            .data(
                "subscriptions",
                "query S($id: ID!) { customer(id: $id) { subscriptions { nodes { id lastInvoiceDate } } } }",
                json!({ "id": acme }),
            )
            .await;
        let new = data["customer"]["subscriptions"]["nodes"]
            .as_array()
            .expect("subscriptions")
            .iter()
            .find(|s| s["id"] == created.id.as_str())
            .cloned()
            .expect("the new subscription");
        assert_eq!(new["lastInvoiceDate"], Value::Null);
    }
);
