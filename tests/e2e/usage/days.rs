//! The running daily totals (`usage_days`) that upcoming charges and the consumption totals
//! read: exact with fractional quantities, kept per day, member and number, billed when the
//! billing run takes the records and given back when its invoice is not written.

use api::services::usage::invoicing;
use chrono_tz::Tz;
use ids::{InvoiceId, SubscriptionItemId};
use sea_orm::EntityTrait;
use serde_json::json;
use tests::e2e_test;

use super::{assert_daily_totals_match_the_records, daily_totals, record_usage, voip};

e2e_test!(
    the_daily_totals_are_exact_and_an_unwritten_invoice_gives_back_what_it_took,
    |app| {
        let fx = voip(
            &app,
            "VoIP Co",
            json!({ "model": "PER_UNIT", "unitAmount": "0.05" }),
        )
        .await;
        let staff = app.as_staff().await;
        let record = |quantity: &str, from: &str, key: &str, number: Option<&str>| {
            json!({ "subscriptionItemId": fx.minutes, "quantity": quantity, "from": from,
                "to": from, "idempotencyKey": key, "number": number })
        };
        let body = record_usage(
            &app,
            staff.token(),
            json!([
                record("0.1", "2026-04-03T10:00:00Z", "a", Some("+33100000001")),
                record("0.2", "2026-04-03T11:00:00Z", "b", Some("+33100000001")),
                record("0.000000000001", "2026-04-03T12:00:00Z", "c", None),
                record("7", "2026-04-04T23:59:59Z", "d", Some("+33100000002")),
                // A duplicate of "a": not counted again.
                record("0.1", "2026-04-03T10:00:00Z", "a", Some("+33100000001")),
            ]),
        )
        .await;
        assert_eq!(body["data"]["recordUsage"]["inserted"], 4, "{body}");
        let kept = daily_totals(&app).await;
        let rows: Vec<(String, Option<String>, i64, i64, i64)> = kept
            .iter()
            .map(|d| {
                (
                    d.day.to_string(),
                    d.number.clone(),
                    d.records,
                    d.whole,
                    d.fraction,
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("2026-04-03".into(), None, 1, 0, 1),
                (
                    "2026-04-03".into(),
                    Some("+33100000001".into()),
                    2,
                    0,
                    300_000_000_000
                ),
                ("2026-04-04".into(), Some("+33100000002".into()), 1, 7, 0),
            ]
        );

        // What a billing run takes is counted billed in its transaction; if its invoice is not
        // written, the records and the totals are given back as they were.
        let item: SubscriptionItemId = fx.minutes.parse().expect("item");
        let cutoff = tests::instant("2026-05-01T00:00:00Z");
        let txn = app.app.db.begin_plain_write().await.expect("write");
        let invoice = InvoiceId::new();
        let taken = invoicing::take_unbilled(&txn, &[item], cutoff, invoice, Tz::UTC)
            .await
            .expect("take");
        assert_eq!(taken.len(), 4);
        let billed = entity::usage_day::Entity::find()
            .all(&txn)
            .await
            .expect("usage_days");
        assert!(
            billed.iter().all(|d| d.billed_records == d.records
                && d.billed_whole == d.whole
                && d.billed_fraction == d.fraction),
            "{billed:?}"
        );
        invoicing::release(&txn, invoice, Tz::UTC)
            .await
            .expect("release");
        txn.commit().await.expect("commit");
        assert_eq!(daily_totals(&app).await, kept);
        assert_daily_totals_match_the_records(&app).await;
    }
);
