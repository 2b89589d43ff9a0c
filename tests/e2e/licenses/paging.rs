//! Paging through an item's seats and the audit log their changes leave: seats added by one
//! change share their `created_at` and are told apart by id; the audit log reads newest first.

use serde_json::{Value, json};
use tests::{LicenseItemFixture, Session, assert_ok, e2e_test, instant};

use super::{APRIL_2, APRIL_9};

const SEATS: &str = "query S($first: Int, $after: String) { viewer { organisation { licenses { id
    seats(first: $first, after: $after) { nodes { id } pageInfo { hasPreviousPage hasNextPage endCursor } } } } } }";

const AUDIT: &str = "query A($first: Int, $after: String) { viewer { organisation {
    auditLog(first: $first, after: $after) { nodes { id createdAt } pageInfo { hasPreviousPage hasNextPage endCursor } } } } }";

/// Pages of `first` rows from the start, reading each page's connection with `read`: the
/// pages' node ids and `(hasPreviousPage, hasNextPage)`.
async fn walk(
    session: &Session<'_>,
    query: &str,
    first: i32,
    read: impl Fn(&Value) -> Value,
) -> Vec<(Vec<Value>, (bool, bool))> {
    let mut pages = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = session
            .graphql(query, json!({ "first": first, "after": after }))
            .await;
        assert_ok(&body);
        let connection = read(&body["data"]);
        let nodes = connection["nodes"].as_array().expect("nodes").clone();
        let info = &connection["pageInfo"];
        let flags = (
            info["hasPreviousPage"].as_bool().expect("hasPreviousPage"),
            info["hasNextPage"].as_bool().expect("hasNextPage"),
        );
        pages.push((nodes, flags));
        if !flags.1 {
            return pages;
        }
        assert!(pages.len() <= 50, "paging does not end: {pages:?}");
        after = info["endCursor"].clone();
    }
}

/// Every page but the first has rows before it, every page but the last rows after it.
#[track_caller]
fn assert_truthful(pages: &[(Vec<Value>, (bool, bool))]) {
    let last = pages.len() - 1;
    for (i, (_, flags)) in pages.iter().enumerate() {
        assert_eq!(*flags, (i > 0, i < last), "page {i} of {pages:?}");
    }
}

e2e_test!(
    seats_page_through_ties_and_the_audit_log_newest_first,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .seats(5)
            .at(APRIL_2)
            .create(&app)
            .await;
        let billing = app.as_billing_admin("Acme Telecom").await;
        // Two more seats a week later: seven seats at two instants, five of them tied.
        app.app.services.clock.set(instant(APRIL_9));
        let quote = billing.preview_license_change(&fx.item, 2).await;
        billing.apply_license_change(&quote, "paging-add-2").await;

        let item = |data: &Value| -> Value {
            data["viewer"]["organisation"]["licenses"]
                .as_array()
                .expect("licenses")
                .iter()
                .find(|i| i["id"] == fx.item.as_str())
                .expect("the fixture's item")["seats"]
                .clone()
        };
        let all = walk(&billing, SEATS, 100, item).await;
        assert_eq!(all.len(), 1);
        let all = all[0].0.clone();
        assert_eq!(all.len(), 7, "{all:?}");

        let pages = walk(&billing, SEATS, 2, item).await;
        assert_eq!(pages.len(), 4, "{pages:?}");
        assert_truthful(&pages);
        let paged: Vec<Value> = pages.into_iter().flat_map(|(n, _)| n).collect();
        assert_eq!(paged, all, "pages are the list, in order, once each");

        let audit = |data: &Value| data["viewer"]["organisation"]["auditLog"].clone();
        let all = walk(&billing, AUDIT, 100, audit).await.remove(0).0;
        assert!(all.len() >= 3, "{all:?}");
        let times: Vec<&str> = all
            .iter()
            .map(|e| e["createdAt"].as_str().expect("createdAt"))
            .collect();
        let newest_first = times.windows(2).all(|w| instant(w[0]) >= instant(w[1]));
        assert!(newest_first, "{times:?}");

        let pages = walk(&billing, AUDIT, 2, audit).await;
        assert!(pages.len() >= 2, "{pages:?}");
        assert_truthful(&pages);
        let paged: Vec<Value> = pages.into_iter().flat_map(|(n, _)| n).collect();
        assert_eq!(paged, all, "pages are the log, in order, once each");
    }
);
