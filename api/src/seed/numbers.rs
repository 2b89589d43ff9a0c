//! Demo telephone numbers and calls (`cargo run`): each demo organisation rents a number per
//! member (the number its demo usage names) on a "Phone number" item of its subscription, rated
//! with an international tariff, and its members' international calls since the subscription
//! started are recorded through the same ingestion staff and machines use — so the invoices
//! show a "Calls from …" line per number, and a few calls to a destination the tariff has no
//! rate for wait in staff's unrated list.

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use entity::phone_number::NumberType;
use entity::product::ProductKind;
use entity::{customer, member, price, product, subscription_item};
use ids::PriceId;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::usage::{Sequence, member_number};
use super::{DEMO_ORGANISATIONS, DemoOrganisation, admin_actor};
use crate::BoxError;
use crate::auth::Actor;
use crate::services::Services;
use crate::services::catalog::{NewPrice, NewProduct};
use crate::services::numbers::calls::{CallFieldNames, MAX_BATCH};
use crate::services::numbers::{CallInput, NewPhoneNumber, SpecInput};

/// Monthly rental of one number, in each organisation's currency.
const RENTAL: &str = "5.00";

/// International destinations the demo members call, with the tariff's rate per minute:
/// (prefix, rate, a number there).
const DESTINATIONS: [(&str, &str, &str); 5] = [
    ("49", "0.06", "+4930901820"),
    ("1", "0.03", "+12125550147"),
    ("34", "0.05", "+34915550123"),
    ("39", "0.05", "+390655501234"),
    ("41", "0.09", "+41445550199"),
];

/// A destination the tariff has no rate for (a satellite network): its calls stay unrated.
const UNRATED_DESTINATION: &str = "+881631234567";

/// Creates the organisation's "Phone number" rental product and its monthly per-unit price.
pub(super) async fn rental_price(
    services: &Services,
    actor: &Actor,
    org: &DemoOrganisation,
) -> Result<PriceId, BoxError> {
    let error = |e| format!("demo numbers: {e:?}");
    let product = services
        .catalog
        .create_product(
            actor,
            None,
            NewProduct {
                name: "Phone number".into(),
                code: rental_code(org),
                kind: ProductKind::Service,
                description: Some("A telephone number, per number and month".into()),
            },
        )
        .await
        .map_err(error)?;
    let price = services
        .catalog
        .create_price(
            actor,
            None,
            NewPrice {
                product: product.id,
                currency: billing::Currency::from_code(org.currency)?,
                interval: billing::Interval::MONTHLY,
                model: billing::PricingModel::PerUnit {
                    unit_price: RENTAL.parse()?,
                },
                taxable: true,
                policy: billing::LicensePolicy::default(),
            },
        )
        .await
        .map_err(error)?;
    Ok(price.id)
}

fn rental_code(org: &DemoOrganisation) -> String {
    format!("numbers-{}", org.currency.to_lowercase())
}

/// Sells each member's number to every demo organisation and records their international
/// calls from the day after `start` until an hour before `now`.
pub(super) async fn seed_numbers(
    db: &DatabaseConnection,
    services: &Services,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), BoxError> {
    let actor = admin_actor(db).await?;
    let error = |e| format!("demo numbers: {e:?}");
    for (index, org) in DEMO_ORGANISATIONS.iter().enumerate() {
        let customer = customer::Entity::find()
            .filter(customer::Column::Name.eq(org.name))
            .one(db)
            .await?
            .ok_or("demo organisation missing")?;
        let product = product::Entity::find()
            .filter(product::Column::Code.eq(rental_code(org)))
            .one(db)
            .await?
            .ok_or("demo rental product missing")?;
        let prices: Vec<PriceId> = price::Entity::find()
            .filter(price::Column::ProductId.eq(product.id))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let item = subscription_item::Entity::find()
            .filter(subscription_item::Column::CustomerId.eq(customer.id))
            .filter(subscription_item::Column::PriceId.is_in(prices))
            .one(db)
            .await?
            .ok_or("demo rental item missing")?;
        let tariff = services
            .numbers
            .create_tariff(
                &actor,
                None,
                &format!("International ({})", org.currency),
                org.currency,
                &SpecInput {
                    rates: DESTINATIONS
                        .iter()
                        .map(|(prefix, rate, _)| ((*prefix).to_owned(), (*rate).to_owned()))
                        .collect(),
                    increment_first_seconds: 30,
                    increment_next_seconds: 6,
                    minimum_charge: "0.05".into(),
                    connection_fee: "0.02".into(),
                },
            )
            .await
            .map_err(error)?;
        let members = member::Entity::find()
            .filter(member::Column::CustomerId.eq(customer.id))
            .order_by_asc(member::Column::Name)
            .all(db)
            .await?;
        let sold_on = local_first_of_month(start, org)?;
        let mut numbers = Vec::with_capacity(members.len());
        for m in 0..members.len() {
            let number = member_number(org, m);
            services
                .numbers
                .add_number(
                    &actor,
                    None,
                    NewPhoneNumber {
                        number: number.clone(),
                        number_type: NumberType::Geographic,
                        subscription_item: item.id,
                        tariff: tariff.tariff.id,
                        sold_on,
                    },
                )
                .await
                .map_err(error)?;
            numbers.push(number);
        }
        let calls = calls(index, &numbers, start, now);
        for batch in calls.chunks(MAX_BATCH) {
            services
                .numbers
                .record_calls(&actor, batch, CallFieldNames::GRAPHQL, 0)
                .await
                .map_err(error)?;
        }
    }
    Ok(())
}

/// The first day of `start`'s month where the organisation is: the subscription's anchor.
fn local_first_of_month(
    start: DateTime<Utc>,
    org: &DemoOrganisation,
) -> Result<chrono::NaiveDate, BoxError> {
    let today = billing::local_date(start, org.time_zone.parse()?);
    Ok(today.with_day(1).ok_or("first of the month")?)
}

/// The international calls of one organisation's numbers, day by day: on weekdays each number
/// makes up to two; in the last week a few go to a destination the tariff does not rate.
fn calls(
    index: usize,
    numbers: &[String],
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<CallInput> {
    let mut sequence = Sequence(0xD1B5_4A32_D192_ED03 ^ (index as u64 + 1));
    let last = now - Duration::hours(1);
    let mut calls = Vec::new();
    let mut day = start.date_naive() + Duration::days(1);
    while day <= last.date_naive() {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            for number in numbers {
                for _ in 0..sequence.next(3) {
                    let minute_of_day = 8 * 60 + sequence.next(9 * 60);
                    let Some(at) = day
                        .and_hms_opt(0, 0, 0)
                        .map(|t| t.and_utc() + Duration::minutes(minute_of_day as i64))
                    else {
                        continue;
                    };
                    if at > last {
                        continue;
                    }
                    let unrated = last - at < Duration::days(7) && sequence.next(20) == 0;
                    let destination = if unrated {
                        UNRATED_DESTINATION
                    } else {
                        DESTINATIONS[sequence.next(DESTINATIONS.len() as u64) as usize].2
                    };
                    calls.push(CallInput {
                        number: number.clone(),
                        started_at: at.to_rfc3339(),
                        // Some unanswered, most a few minutes.
                        duration_seconds: if sequence.next(8) == 0 {
                            "0".into()
                        } else {
                            (20 + sequence.next(900)).to_string()
                        },
                        direction: "outbound".into(),
                        destination: destination.into(),
                        idempotency_key: format!("demo-call-{index}-{}", calls.len()),
                    });
                }
            }
        }
        day += Duration::days(1);
    }
    calls
}
