//! Paging through lists: `hasPreviousPage`/`hasNextPage` are true exactly when rows lie before
//! or after the page, cursors continue where the previous page stopped (ties on `created_at`
//! broken by id), `first` is bounded, and a cursor that is not this list's is a bad input.

use chrono::{DateTime, Duration, DurationRound, Utc};
use entity::member;
use ids::{CustomerId, MemberId};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};
use tests::{Session, assert_bad_input, assert_ok, e2e_test, instant};

const MEMBERS: &str = "query P($id: ID!, $first: Int, $after: String) { customer(id: $id) { members(first: $first, after: $after) { nodes { id name } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } } } }";

/// One page of a customer's members: the connection, after checking the call succeeded.
async fn members(session: &Session<'_>, customer: &str, first: i32, after: &Value) -> Value {
    let body = session
        .graphql(
            MEMBERS,
            json!({ "id": customer, "first": first, "after": after }),
        )
        .await;
    assert_ok(&body);
    body["data"]["customer"]["members"].clone()
}

fn names(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("nodes: {connection}"))
        .iter()
        .map(|n| n["name"].as_str().expect("name").to_owned())
        .collect()
}

/// `(hasPreviousPage, hasNextPage)`.
fn flags(connection: &Value) -> (bool, bool) {
    let info = &connection["pageInfo"];
    (
        info["hasPreviousPage"].as_bool().expect("hasPreviousPage"),
        info["hasNextPage"].as_bool().expect("hasNextPage"),
    )
}

/// Every page of `first` rows from the start: the pages' names and flags.
async fn walk(
    session: &Session<'_>,
    customer: &str,
    first: i32,
) -> Vec<(Vec<String>, (bool, bool))> {
    let mut pages = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = members(session, customer, first, &after).await;
        pages.push((names(&page), flags(&page)));
        if !flags(&page).1 {
            return pages;
        }
        assert!(pages.len() <= 50, "paging does not end: {pages:?}");
        after = page["pageInfo"]["endCursor"].clone();
    }
}

e2e_test!(
    first_middle_and_last_pages_say_what_lies_around_them,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let all = names(&members(&staff, &acme, 100, &Value::Null).await);
        assert_eq!(all.len(), 7, "{all:?}");

        let pages = walk(&staff, &acme, 3).await;
        let seen: Vec<_> = pages.iter().map(|(_, f)| *f).collect();
        assert_eq!(
            seen,
            [(false, true), (true, true), (true, false)],
            "{pages:?}"
        );
        let paged: Vec<String> = pages.into_iter().flat_map(|(n, _)| n).collect();
        assert_eq!(paged, all, "pages are the list, in order, once each");

        // After the last row: nothing follows, everything precedes.
        let whole = members(&staff, &acme, 7, &Value::Null).await;
        assert_eq!(flags(&whole), (false, false), "{whole}");
        let beyond = members(&staff, &acme, 3, &whole["pageInfo"]["endCursor"]).await;
        assert_eq!(names(&beyond), Vec::<String>::new());
        assert_eq!(flags(&beyond), (true, false), "{beyond}");
    }
);

e2e_test!(first_is_bounded_and_zero_is_an_empty_truthful_page, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;

    let hundred = members(&staff, &acme, 100, &Value::Null).await;
    assert_eq!(names(&hundred).len(), 7);
    for first in [101, -1] {
        let body = staff
            .graphql(MEMBERS, json!({ "id": acme, "first": first }))
            .await;
        assert_bad_input(&body, "first");
    }

    let none = members(&staff, &acme, 0, &Value::Null).await;
    assert_eq!(names(&none), Vec::<String>::new());
    assert_eq!(flags(&none), (false, true), "{none}");

    let two = members(&staff, &acme, 2, &Value::Null).await;
    let none = members(&staff, &acme, 0, &two["pageInfo"]["endCursor"]).await;
    assert_eq!(flags(&none), (true, true), "{none}");

    let last = members(&staff, &acme, 0, &hundred["pageInfo"]["endCursor"]).await;
    assert_eq!(flags(&last), (true, false), "{last}");
});

e2e_test!(
    a_cursor_of_another_list_or_garbage_is_a_bad_input_on_after,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let teams = staff
        .graphql(
            "query T($id: ID!) { customer(id: $id) { teams(first: 1) { pageInfo { endCursor } } } }",
            json!({ "id": acme }),
        )
        .await;
        let team_cursor = teams["data"]["customer"]["teams"]["pageInfo"]["endCursor"].clone();
        assert!(team_cursor.is_string(), "{teams}");
        // A cursor as issued before cursors were tagged: a bare base64url UUID.
        let bare_uuid = "AZJf3Kx1d4qXq0tG1uTm8w";
        for after in [
            team_cursor,
            json!("not a cursor"),
            json!(""),
            json!(bare_uuid),
        ] {
            let body = staff
                .graphql(MEMBERS, json!({ "id": acme, "first": 2, "after": after }))
                .await;
            assert_bad_input(&body, "after");
        }

        let customers = staff
            .graphql(
                "{ customers(first: 1) { pageInfo { endCursor } } }",
                json!({}),
            )
            .await;
        let body = staff
            .graphql(
                "query P($after: String) { products(after: $after) { nodes { id } } }",
                json!({ "after": customers["data"]["customers"]["pageInfo"]["endCursor"] }),
            )
            .await;
        assert_bad_input(&body, "after");
    }
);

e2e_test!(rows_created_at_the_same_instant_are_ordered_by_id, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let customer: CustomerId = acme.parse().expect("customer id");
    // After the demo data, and whole seconds so PostgreSQL (microseconds) keeps it exactly.
    let instant: DateTime<Utc> = (Utc::now() + Duration::days(1))
        .duration_trunc(Duration::seconds(1))
        .expect("truncate");
    // Ids in creation order: "Twin A" < "Twin B" < "Earlier". By id alone "Earlier" would be
    // last; by time it precedes both twins, which tie and fall back on their ids.
    for (name, created_at) in [
        ("Twin A", instant),
        ("Twin B", instant),
        ("Earlier", instant - Duration::hours(1)),
    ] {
        member::Entity::insert(member::ActiveModel {
            id: Set(MemberId::new()),
            customer_id: Set(customer),
            team_id: Set(None),
            name: Set(name.to_owned()),
            email: Set(None),
            created_at: Set(created_at),
        })
        .exec_without_returning(app.app.db.writes())
        .await
        .expect("insert member");
    }

    let all = names(&members(&staff, &acme, 100, &Value::Null).await);
    assert_eq!(all.len(), 10, "{all:?}");
    assert_eq!(all[7..], ["Earlier", "Twin A", "Twin B"], "{all:?}");

    // One row a page: every cursor falls between two rows, twice between the twins' instant.
    let pages = walk(&staff, &acme, 1).await;
    assert_eq!(pages.len(), 10, "{pages:?}");
    assert_eq!(pages[0].1, (false, true));
    assert!(
        pages[1..9].iter().all(|(_, f)| *f == (true, true)),
        "{pages:?}"
    );
    assert_eq!(pages[9].1, (true, false));
    let paged: Vec<String> = pages.into_iter().flat_map(|(n, _)| n).collect();
    assert_eq!(paged, all);
});

e2e_test!(a_cursor_before_every_row_has_no_previous_page, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let customer: CustomerId = acme.parse().expect("customer id");
    let founder = MemberId::new();
    member::Entity::insert(member::ActiveModel {
        id: Set(founder),
        customer_id: Set(customer),
        team_id: Set(None),
        name: Set("Founder".to_owned()),
        email: Set(None),
        created_at: Set(instant("2001-01-01T00:00:00Z")),
    })
    .exec_without_returning(app.app.db.writes())
    .await
    .expect("insert member");
    let first = members(&staff, &acme, 1, &Value::Null).await;
    assert_eq!(names(&first), ["Founder"], "{first}");

    // The cursor outlives its row: it still finds the rows after it, and none lie before it.
    member::Entity::delete_by_id(founder)
        .exec(app.app.db.writes())
        .await
        .expect("delete member");
    let rest = members(&staff, &acme, 3, &first["pageInfo"]["endCursor"]).await;
    assert_eq!(names(&rest).len(), 3, "{rest}");
    assert_eq!(flags(&rest), (false, true), "{rest}");
});

e2e_test!(fractions_of_a_second_order_as_time, |app| {
    // SQLite keeps instants as text with 0, 3, 6 or 9 fraction digits: `…:02+00:00` must sort
    // before `…:02.100+00:00`, and that before `…:02.100001+00:00`, in the list and across
    // cursors. Microseconds, so PostgreSQL keeps each instant exactly.
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let customer: CustomerId = acme.parse().expect("customer id");
    let second: DateTime<Utc> = (Utc::now() + Duration::days(2))
        .duration_trunc(Duration::seconds(1))
        .expect("truncate");
    // Inserted in reverse, so ids (creation order) disagree with time everywhere.
    for (name, created_at) in [
        ("Third", second + Duration::microseconds(100_001)),
        ("Second", second + Duration::milliseconds(100)),
        ("First", second),
    ] {
        member::Entity::insert(member::ActiveModel {
            id: Set(MemberId::new()),
            customer_id: Set(customer),
            team_id: Set(None),
            name: Set(name.to_owned()),
            email: Set(None),
            created_at: Set(created_at),
        })
        .exec_without_returning(app.app.db.writes())
        .await
        .expect("insert member");
    }
    let all = names(&members(&staff, &acme, 100, &Value::Null).await);
    assert_eq!(
        all[all.len() - 3..],
        ["First", "Second", "Third"],
        "{all:?}"
    );
    let paged: Vec<String> = walk(&staff, &acme, 1)
        .await
        .into_iter()
        .flat_map(|(n, _)| n)
        .collect();
    assert_eq!(paged, all);
});
