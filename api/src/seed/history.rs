//! Months of invoice history for the demo organisations (`cargo run`), made by the same billing
//! run, settlements and credit notes operator staff use: the subscriptions start
//! [`HISTORY_MONTHS`] months back, a run bills every period since, the older invoices are paid
//! by bank transfer, the latest stays open, Acme gets a credit note that left it a credit
//! balance and a one-time charge waiting for its next invoice, and Globex a coupon (10 % off its
//! next three invoices, [`DEMO_COUPON`]) that its upcoming charges show as a discount line.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use entity::customer;
use entity::invoice::InvoiceStatus;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::admin_actor;
use crate::BoxError;
use crate::services::Services;
use crate::services::charges::{ChargeEntry, ChargesEntry, CreateCharges, Timing};
use crate::services::coupons::{ApplyCoupon, NewCoupon, NewCouponDiscount, NewCouponDuration};
use crate::services::credits::CreditNoteRequest;
use crate::services::invoices::Settlement;

/// How many months before this one the demo subscriptions start.
pub const HISTORY_MONTHS: u32 = 4;

/// The code of the demo coupon Globex has: 10 % off its next three invoices.
pub const DEMO_COUPON: &str = "LOYALTY10";

/// The instant the demo subscriptions are created at: 09:00 UTC on the first day of the month
/// [`HISTORY_MONTHS`] before `now`'s.
pub fn history_start(now: DateTime<Utc>) -> Result<DateTime<Utc>, BoxError> {
    let first = NaiveDate::from_ymd_opt(now.year(), now.month(), 1)
        .and_then(|d| d.checked_sub_months(Months::new(HISTORY_MONTHS)))
        .ok_or("history start")?;
    Ok(first
        .and_hms_opt(9, 0, 0)
        .ok_or("history start time")?
        .and_utc())
}

/// Bills the demo subscriptions up to `today` and settles their history.
pub(super) async fn seed_invoice_history(
    db: &DatabaseConnection,
    services: &Services,
    today: NaiveDate,
) -> Result<(), BoxError> {
    let actor = admin_actor(db).await?;
    let error = |e| format!("{e:?}");
    let report = services.billing_runs.run(today).await.map_err(error)?;
    if let Some((subscription, why)) = report.failed.first() {
        return Err(format!("billing the demo history failed for {subscription}: {why}").into());
    }
    for customer in customer::Entity::find()
        .order_by_asc(customer::Column::Id)
        .all(db)
        .await?
    {
        let invoices = entity::invoice::Entity::find()
            .filter(entity::invoice::Column::CustomerId.eq(customer.id))
            .filter(entity::invoice::Column::Status.eq(InvoiceStatus::Open))
            .order_by_asc(entity::invoice::Column::PeriodStart)
            .all(db)
            .await?;
        // Every invoice but the latest was paid by bank transfer.
        let Some((_latest, older)) = invoices.split_last() else {
            continue;
        };
        for invoice in older {
            services
                .invoices
                .settle(&actor, None, invoice.id, Settlement::Paid)
                .await
                .map_err(error)?;
        }
        if customer.name == "Globex" {
            apply_demo_coupon(services, &actor, customer.id, today).await?;
        }
        if customer.name != "Acme Telecom" {
            continue;
        }
        // Acme ordered two desk phones set up on site: a one-time charge waiting for its next
        // invoice.
        services
            .charges
            .create(
                &actor,
                None,
                &CreateCharges {
                    entry: ChargesEntry {
                        customer: customer.id,
                        subscription: None,
                        charges: vec![ChargeEntry {
                            description: Some("On-site setup of 2 desk phones".into()),
                            amount: Some("150.00".into()),
                            product: None,
                            quantity: None,
                            unit_price: None,
                            service_period_start: None,
                            service_period_end: None,
                            taxable: Some(true),
                        }],
                        po_number: None,
                        notes: None,
                        coupon_code: None,
                        coupon_id: None,
                    },
                    timing: Timing::Unbilled,
                    confirm_unpaid_invoices: true,
                    idempotency_key: None,
                },
                services.clock.now(),
            )
            .await
            .map_err(error)?;
        // Acme had an outage last month: a credit note on that paid invoice went to its
        // credit balance, which the next invoice will use.
        if let Some(invoice) = older.last() {
            services
                .credits
                .issue_credit_note(
                    &actor,
                    None,
                    invoice.id,
                    CreditNoteRequest::Lines(vec![(0, "32.00".into())]),
                    "Service outage: three days without calls",
                )
                .await
                .map_err(error)?;
        }
    }
    Ok(())
}

/// Globex's loyalty coupon, applied once its history is billed, so that it discounts the next
/// three invoices (the first of which upcoming charges show) rather than past ones.
async fn apply_demo_coupon(
    services: &Services,
    actor: &crate::auth::Actor,
    customer: ids::CustomerId,
    today: NaiveDate,
) -> Result<(), BoxError> {
    let error = |e| format!("demo coupon: {e:?}");
    let coupon = services
        .coupons
        .create(
            actor,
            None,
            NewCoupon {
                code: DEMO_COUPON.into(),
                name: "Loyalty: 10 % for three months".into(),
                discount: Some(NewCouponDiscount::Percent("10".into())),
                duration: NewCouponDuration::Repeating,
                duration_periods: Some(3),
                product_ids: Vec::new(),
                max_redemptions: None,
                expires_on: None,
            },
            today,
        )
        .await
        .map_err(error)?;
    services
        .coupons
        .apply(
            actor,
            None,
            ApplyCoupon {
                coupon: coupon.id,
                customer,
                subscription: None,
            },
            today,
        )
        .await
        .map_err(error)?;
    Ok(())
}
