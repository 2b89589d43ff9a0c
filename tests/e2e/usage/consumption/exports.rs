//! The exports of a selection: the CSV equals the table's rows (every page of them) with
//! formula cells escaped, the HTML and the PDF (its text, by `pdftotext`) carry the totals, a
//! PDF above its row limit says so, every export is audited, and another organisation's ids
//! answer `NOT_FOUND` (404 on the export routes).

use std::process::Command;

use api::services::usage::consumption::export::CSV_CHUNK;
use serde_json::{Value, json};
use tests::{TestApp, assert_code, e2e_test};

use super::{CONSUMPTION, cents, consumption, euros, metered_acme, quantity_text};

/// GETs an export path as `token`; (status, body bytes).
pub(super) async fn download(
    app: &TestApp,
    token: &str,
    path: &str,
) -> (reqwest::StatusCode, Vec<u8>) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .expect("export sent");
    let status = response.status();
    (status, response.bytes().await.expect("body").to_vec())
}

/// Every record of a selection, through the GraphQL table, page after page: (id, quantity,
/// number, team).
async fn table(
    session: &tests::Session<'_>,
    filter: &Value,
) -> Vec<(String, String, String, String)> {
    let mut rows = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data: Value = session
            .data(
                "consumption",
                CONSUMPTION,
                json!({ "filter": filter, "first": 100, "after": after }),
            )
            .await;
        let records = &data["viewer"]["organisation"]["consumption"]["records"];
        for n in records["nodes"].as_array().expect("nodes") {
            let text = |k: &str| n[k].as_str().unwrap_or_default().to_owned();
            rows.push((text("id"), text("quantity"), text("number"), text("team")));
        }
        if records["pageInfo"]["hasNextPage"] != true {
            return rows;
        }
        after = records["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

e2e_test!(the_csv_of_a_filtered_selection_equals_the_table, |app| {
    // Enough records for more than one CSV chunk; many share an instant, so chunks also end
    // between records of the same instant.
    let fx = metered_acme(&app, 5_600).await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let filter = json!({ "from": "2026-04-02", "to": "2026-04-18", "itemId": fx.item });
    let selection = consumption(&billing, filter.clone(), 1).await;
    let csv_path = selection["exports"]["csv"]
        .as_str()
        .expect("csv link")
        .to_owned();
    assert!(
        csv_path.contains(&format!("itemId={}", fx.item)),
        "{csv_path}"
    );
    let before = billing.audit_count("usage.export").await;

    let (status, body) = download(&app, billing.token(), &csv_path).await;
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(body.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        &header[..5],
        ["id", "started", "ended", "product", "quantity"]
    );
    let column = |name: &str| header.iter().position(|h| h == name).expect("column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let from_csv: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            let cell = |name: &str| r.get(column(name)).unwrap_or_default().to_owned();
            (cell("id"), cell("quantity"), cell("number"), cell("team"))
        })
        .collect();
    let from_table = table(&billing, &filter).await;
    assert!(
        from_table.len() as u64 > CSV_CHUNK,
        "more than one page of the table and one CSV chunk: {}",
        from_table.len()
    );
    assert_eq!(
        from_csv.len(),
        selection["recordCount"].as_u64().unwrap_or(0) as usize
    );
    assert_eq!(from_csv.len(), from_table.len());
    for (csv_row, table_row) in from_csv.iter().zip(&from_table) {
        assert_eq!(csv_row.0, table_row.0, "same records in the same order");
        assert_eq!(csv_row.1, table_row.1);
        // Cells a spreadsheet would run as a formula are escaped: `+33…`, `@risk`.
        assert_eq!(csv_row.2, format!("'{}", table_row.2));
        if table_row.3.starts_with('@') {
            assert_eq!(csv_row.3, format!("'{}", table_row.3));
        } else {
            assert_eq!(csv_row.3, table_row.3);
        }
    }
    assert!(
        from_csv.iter().any(|r| r.3 == "'@risk"),
        "the @risk record is in the selection"
    );
    assert_eq!(
        billing.audit_count("usage.export").await,
        before + 1,
        "the export is audited"
    );

    // The HTML export has the selection's totals.
    let html_path = selection["exports"]["html"].as_str().expect("html link");
    let (status, html) = download(&app, billing.token(), html_path).await;
    assert_eq!(status, 200);
    let html = String::from_utf8(html).expect("utf-8");
    let quarters: i64 = fx
        .sent
        .iter()
        .filter(|s| s.day.to_string().as_str() <= "2026-04-18")
        .map(|s| s.quarters)
        .sum();
    assert!(
        html.contains(&format!(">{}</td>", quantity_text(quarters))),
        "{html}"
    );
    assert!(
        html.contains(&format!("€{}", euros(cents(quarters)))),
        "{html}"
    );
    assert!(html.contains("@risk"), "member names and teams are listed");
});

e2e_test!(
    the_pdf_has_the_totals_and_says_when_it_lists_only_the_first_records,
    |app| {
        let fx = metered_acme(&app, 2_050).await;
        let owner = app.as_owner("Acme Telecom").await;
        let (team, _) = &fx.teams[0];
        let filter = json!({ "from": "2026-04-01", "to": "2026-04-30", "teamId": team });
        let small = consumption(&owner, filter, 1).await;
        let (status, pdf) = download(
            &app,
            owner.token(),
            small["exports"]["pdf"].as_str().expect("pdf"),
        )
        .await;
        assert_eq!(status, 200);
        let text = pdf_text(&pdf);
        let total = &small["totals"][0];
        assert!(
            text.contains(total["quantity"].as_str().expect("quantity")),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "€{}",
                total["amount"]["amount"].as_str().expect("amount")
            )),
            "{text}"
        );
        assert!(text.contains("Acme Telecom"), "{text}");
        assert!(
            !text.contains("lists the first"),
            "a small selection is listed whole"
        );

        let all = consumption(
            &owner,
            json!({ "from": "2026-04-01", "to": "2026-04-30" }),
            1,
        )
        .await;
        assert_eq!(all["recordCount"], 2_050);
        let (status, pdf) = download(
            &app,
            owner.token(),
            all["exports"]["pdf"].as_str().expect("pdf"),
        )
        .await;
        assert_eq!(status, 200, "above the row limit the PDF is still made");
        let text = pdf_text(&pdf);
        assert!(
            text.contains("This selection has 2050 records"),
            "{}",
            &text[..text.len().min(2_000)]
        );
        assert!(text.contains(all["totals"][0]["quantity"].as_str().expect("quantity")));
    }
);

e2e_test!(
    another_organisations_ids_are_not_found_and_exports_stay_in_the_tenant,
    |app| {
        let fx = metered_acme(&app, 30).await;
        let globex = app.as_billing_admin("Globex").await;
        let (acme_team, _) = &fx.teams[0];
        let acme_member = fx.sent[0].member.clone().expect("member");
        for filter in [
            json!({ "teamId": acme_team }),
            json!({ "memberId": acme_member }),
            json!({ "itemId": fx.item }),
        ] {
            let body = globex
                .graphql(CONSUMPTION, json!({ "filter": filter, "first": 1 }))
                .await;
            assert_code(&body, "NOT_FOUND");
        }
        for query in [
            format!("teamId={acme_team}"),
            format!("memberId={acme_member}"),
            format!("itemId={}", fx.item),
        ] {
            for ext in ["csv", "html", "pdf"] {
                let (status, _) = download(
                    &app,
                    globex.token(),
                    &format!("/exports/consumption.{ext}?{query}"),
                )
                .await;
                assert_eq!(status, 404, "{ext} {query}");
            }
        }
        // Globex's own export of April has none of Acme's records; without credentials, nothing.
        let (status, body) = download(
            &app,
            globex.token(),
            "/exports/consumption.csv?from=2026-04-01&to=2026-04-30",
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            String::from_utf8(body).expect("utf-8").lines().count(),
            1,
            "the header only"
        );
        let response = app
            .client
            .get(format!("{}/exports/consumption.csv", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 404);
    }
);

/// The text of a PDF, by Debian's `pdftotext` (poppler-utils).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("export.pdf");
    std::fs::write(&path, pdf).expect("write PDF");
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8(output.stdout).expect("utf-8 text")
}

e2e_test!(a_machine_downloads_an_export_with_a_read_key, |app| {
    let fx = metered_acme(&app, 40).await;
    let billing = app.as_billing_admin("Acme Telecom").await;
    let staff = app.as_staff().await;
    let acme = billing.organisation_id().to_owned();
    let path = "/exports/consumption.csv?from=2026-04-01&to=2026-04-30";
    let (status, mine) = download(&app, billing.token(), path).await;
    assert_eq!(status, 200);

    // A key with `read` names the organisation, as staff do, and gets exactly its export.
    let (_, reader) = crate::usage::api_key(&staff, &["READ"]).await;
    let (status, theirs) = download(&app, &reader, &format!("{path}&customerId={acme}")).await;
    assert_eq!(status, 200);
    assert_eq!(theirs, mine);
    assert_eq!(
        String::from_utf8(theirs).expect("utf-8").lines().count(),
        fx.sent.len() + 1,
        "every record of April and the header"
    );
    // Without naming it: a clear refusal, not someone else's data.
    let (status, _) = download(&app, &reader, path).await;
    assert_eq!(status, 400);
    // A key for writing usage only may not read, and an unknown key is nobody.
    let (_, writer) = crate::usage::api_key(&staff, &["USAGE_WRITE"]).await;
    let (status, _) = download(&app, &writer, &format!("{path}&customerId={acme}")).await;
    assert_eq!(status, 403);
    let (status, _) = download(&app, "bf_notakey", &format!("{path}&customerId={acme}")).await;
    assert_eq!(status, 404);
});
