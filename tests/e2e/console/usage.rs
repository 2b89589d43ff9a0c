//! The console's usage page: staff import calls from a CSV file (a multipart form, through the
//! API's import): a file with bad rows is refused whole with every bad row named; a good one
//! is recorded with its unrated calls listed; after a new tariff version, "Rate again" rates
//! them. Support is refused the import.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::json;
use tests::html::{form, page};
use tests::{TestApp, assert_ok, e2e_test};

use super::console_session;
use crate::numbers::{add_number, stored_calls, telecom};

const BOUNDARY: &str = "billfold-console-usage";

/// Posts the import form: `kind` and the CSV `file`.
async fn import(
    app: &TestApp,
    cookies: &str,
    csrf: &str,
    kind: &str,
    file: &str,
) -> reqwest::Response {
    let mut body = String::new();
    for (name, value) in [("csrf", csrf), ("kind", kind)] {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"calls.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{BOUNDARY}--\r\n"
    ));
    app.client
        .post(format!("{}/admin/usage", app.address))
        .header(COOKIE, cookies)
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("sent")
}

e2e_test!(
    staff_import_calls_read_bad_rows_and_rate_unrated_calls_again,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let fx = telecom(&app, &acme, 1).await;
        add_number(&staff, &fx, "+33140000004").await;
        let (cookies, token) = console_session(&app, "billing@billfold.example").await;
        let html = page(&app, &cookies, "/admin/usage").await;
        assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");

        let bad = "number,start,duration_seconds,direction,destination,idempotency_key\n\
        +33140000004,2026-12-02 09:00:00,61,outbound,+33612345678,a\n\
        +33140000004,2026-12-02 09:05:00,61,sideways,+33612345678,b\n";
        let refused = import(&app, &cookies, &token, "calls", bad).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = refused.text().await.expect("html");
        assert!(html.contains("id=\"bad-rows\""), "{html}");
        assert!(
            html.contains("<td class=\"num\">3</td><td><code>direction</code></td>"),
            "{html}"
        );
        assert!(
            stored_calls(&app, &acme).await.is_empty(),
            "nothing recorded"
        );

        let good = "number,start,duration_seconds,direction,destination,idempotency_key\n\
        +33140000004,2026-12-02 09:00:00,61,outbound,+33612345678,a\n\
        +33140000004,2026-12-02 09:05:00,61,outbound,+15550100,b\n";
        let imported = import(&app, &cookies, &token, "calls", good).await;
        assert_eq!(imported.status(), StatusCode::OK);
        let html = imported.text().await.expect("html");
        assert!(
            html.contains("Imported 2 calls of 2; 0 skipped as already imported; 1 without a rate"),
            "{html}"
        );
        let unrated = html
            .split("id=\"unrated-calls\"")
            .nth(1)
            .unwrap_or_else(|| panic!("the unrated calls: {html}"));
        assert!(
            unrated.contains("+15550100") && !unrated.contains("+33612345678"),
            "{unrated}"
        );

        // The same file again: every call skipped.
        let again = import(&app, &cookies, &token, "calls", good).await;
        let html = again.text().await.expect("html");
        assert!(html.contains("Imported 0 calls of 2; 2 skipped"), "{html}");

        // Support may read the page, not import.
        let (support, support_token) = console_session(&app, "support@billfold.example").await;
        page(&app, &support, "/admin/usage").await;
        let refused = import(&app, &support, &support_token, "calls", good).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.expect("html").contains("Not allowed"));

        // A version with the US prefix, then "Rate again".
        let v2 = staff
        .graphql(
            "mutation V($input: CreateTariffVersionInput!) { createTariffVersion(input: $input) {
                tariffVersion { id } } }",
            json!({ "input": {
                "tariffId": fx.tariff,
                "rates": [
                    { "prefix": "33", "ratePerMinute": "0.10" },
                    { "prefix": "1", "ratePerMinute": "0.02" }
                ],
                "incrementFirstSeconds": 60, "incrementNextSeconds": 60,
                "minimumCharge": "0", "connectionFee": "0"
            } }),
        )
        .await;
        assert_ok(&v2);
        let rerated = form(
            &app,
            &cookies,
            "/admin/usage/rerate",
            &[("csrf", token.as_str()), ("tariff", fx.tariff.as_str())],
        )
        .await;
        assert_eq!(rerated.status(), StatusCode::SEE_OTHER);
        let to = rerated.headers()[LOCATION]
            .to_str()
            .expect("location")
            .to_owned();
        assert_eq!(to, "/admin/usage?done=calls-rerated");
        let html = page(&app, &cookies, &to).await;
        assert!(html.contains("id=\"no-unrated\""), "{html}");
        assert!(
            stored_calls(&app, &acme)
                .await
                .iter()
                .all(|c| c.amount_minor.is_some())
        );
    }
);
