//! Releasing a number: within the current period only, never before today; refused while
//! calls are recorded from the release day on, twice, or for the item's last unit; once
//! released, the rental item bills one unit fewer on the next invoice (its calls from before
//! the release still billed), calls from the release day on are refused on their start, the
//! number stays in the customer's list with its release day, and the release is audited.

use entity::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{Session, assert_code, assert_ok, e2e_test, instant};

use super::invoicing::invoice_lines;
use super::{add_number, call_at, record_calls, telecom};
use crate::usage::bill;

const RELEASE: &str = "mutation R($input: ReleasePhoneNumberInput!) {
    releasePhoneNumber(input: $input) {
        phoneNumber { id number releasedOn } subscriptionItemQuantity credited { amount } } }";

/// Sends `releasePhoneNumber` as staff; the raw body.
async fn release(staff: &Session<'_>, number: &str, on: Option<&str>) -> Value {
    staff
        .graphql(
            RELEASE,
            json!({ "input": { "phoneNumberId": number, "on": on } }),
        )
        .await
}

e2e_test!(
    a_released_number_stops_its_rental_and_takes_no_more_calls,
    |app| {
        let staff = app.as_staff().await;
        let acme = staff.customer_id("Acme Telecom").await;
        let fx = telecom(&app, &acme, 3).await;
        let first = add_number(&staff, &fx, "+33142000001").await;
        let second = add_number(&staff, &fx, "+33142000002").await;
        let third = add_number(&staff, &fx, "+33142000003").await;
        assert_ok(
            &record_calls(
                &staff,
                json!([call_at(
                    "+33142000001",
                    "+33145678900",
                    60,
                    "dec",
                    "2026-12-02T09:00:00Z"
                )]),
            )
            .await,
        );
        bill(&app, "2027-01-01").await;
        let january = invoice_lines(&app, &fx, 0).await;
        assert_eq!(january[0].0, "3 × Phone number at €5.00 each");

        // Business time: 10 January 2027, in the period 1 January – 1 February.
        app.app.services.clock.set(instant("2027-01-10T10:00:00Z"));
        let past = release(&staff, &first, Some("2027-01-05")).await;
        assert_code(&past, "BAD_USER_INPUT");
        assert_eq!(
            past["errors"][0]["extensions"]["field"], "input.on",
            "{past}"
        );
        let beyond = release(&staff, &first, Some("2027-02-02")).await;
        assert_code(&beyond, "BAD_USER_INPUT");
        assert_eq!(beyond["errors"][0]["extensions"]["field"], "input.on");

        // A call this morning: the second number is not released today (nothing changes).
        assert_ok(
            &record_calls(
                &staff,
                json!([call_at(
                    "+33142000002",
                    "+33145678900",
                    30,
                    "morning",
                    "2027-01-10T08:00:00Z"
                )]),
            )
            .await,
        );
        let busy = release(&staff, &second, None).await;
        assert_code(&busy, "CONFLICT");
        assert!(
            busy["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("1 call(s)"),
            "{busy}"
        );

        // The first number, on 20 January: its item bills two units from then on.
        assert_ok(
            &record_calls(
                &staff,
                json!([call_at(
                    "+33142000001",
                    "+33145678900",
                    120,
                    "before",
                    "2027-01-15T10:00:00Z"
                )]),
            )
            .await,
        );
        let released = release(&staff, &first, Some("2027-01-20")).await;
        assert_ok(&released);
        let payload = &released["data"]["releasePhoneNumber"];
        assert_eq!(payload["phoneNumber"]["releasedOn"], "2027-01-20");
        assert_eq!(payload["subscriptionItemQuantity"], 2);
        // The price does not credit removals: the paid month stays paid.
        assert_eq!(payload["credited"]["amount"], "0.00");
        assert_code(
            &release(&staff, &first, Some("2027-01-25")).await,
            "CONFLICT",
        );

        // Calls from the release day on (Paris) are refused on their start; the evening before is
        // still the customer's (22:30 UTC on the 19th is 23:30 in Paris).
        let after = record_calls(
            &staff,
            json!([call_at(
                "+33142000001",
                "+33145678900",
                60,
                "after",
                "2027-01-19T23:30:00Z"
            )]),
        )
        .await;
        assert_code(&after, "BAD_USER_INPUT");
        let problem = &after["errors"][0]["extensions"]["records"][0];
        assert_eq!(problem["field"], "startedAt", "{after}");
        assert!(
            problem["message"]
                .as_str()
                .unwrap_or("")
                .contains("released on 2027-01-20"),
            "{after}"
        );
        assert_ok(
            &record_calls(
                &staff,
                json!([call_at(
                    "+33142000001",
                    "+33145678900",
                    60,
                    "evening",
                    "2027-01-19T22:30:00Z"
                )]),
            )
            .await,
        );

        // The second number on the 11th (after its call): one unit; the third is the last.
        assert_ok(&release(&staff, &second, Some("2027-01-11")).await);
        let last = release(&staff, &third, None).await;
        assert_code(&last, "CONFLICT");
        assert!(
            last["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("last unit"),
            "{last}"
        );

        // The next invoice bills one number; the released numbers' January calls are billed.
        bill(&app, "2027-02-01").await;
        let february = invoice_lines(&app, &fx, 1).await;
        assert_eq!(
            february,
            vec![
                (
                    "1 × Phone number at €5.00 each".to_owned(),
                    500,
                    "2027-02-01".to_owned()
                ),
                (
                    "Calls from +33142000001: 2 calls, 3 min billed".to_owned(),
                    20,
                    "2027-01-01".to_owned()
                ),
                (
                    "Calls from +33142000002: 1 call, 30 s billed".to_owned(),
                    10,
                    "2027-01-01".to_owned()
                ),
            ]
        );

        // Still listed, with the day each was released.
        let owner = app.as_owner("Acme Telecom").await;
        let numbers: Value = owner
            .data(
                "viewer",
                "{ viewer { organisation { phoneNumbers(first: 10) {
                nodes { number releasedOn } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            numbers["viewer"]["organisation"]["phoneNumbers"]["nodes"],
            json!([
                { "number": "+33142000001", "releasedOn": "2027-01-20" },
                { "number": "+33142000002", "releasedOn": "2027-01-11" },
                { "number": "+33142000003", "releasedOn": null },
            ])
        );
        let customer: ids::CustomerId = acme.parse().expect("customer id");
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("phone_number.release"))
            .filter(audit_log::Column::CustomerId.eq(customer))
            .count(app.app.db.reads())
            .await
            .expect("audit");
        assert_eq!(audited, 2);
    }
);

e2e_test!(customers_cannot_release_numbers, |app| {
    let staff = app.as_staff().await;
    let acme = staff.customer_id("Acme Telecom").await;
    let fx = telecom(&app, &acme, 2).await;
    let number = add_number(&staff, &fx, "+33142000009").await;
    let owner = app.as_owner("Acme Telecom").await;
    assert_code(&release(&owner, &number, None).await, "FORBIDDEN");
    assert_code(
        &release(&staff, &ids::PhoneNumberId::new().to_string(), None).await,
        "NOT_FOUND",
    );
});
