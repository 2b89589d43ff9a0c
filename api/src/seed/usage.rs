//! Months of demo usage (`cargo run`): outbound call minutes for every member of the demo
//! organisations, each record with its member, team and the member's number, from the day after
//! the subscriptions start until an hour ago, so the consumption page shows a real chart and
//! the invoice history bills real usage. Recorded through the same ingestion API clients use,
//! in batches, from a fixed pseudo-random sequence (the same demo every time, busier on
//! weekdays than at weekends).

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use entity::product::ProductKind;
use entity::{customer, member, price, product, subscription_item};
use ids::PriceId;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{DEMO_ORGANISATIONS, DemoOrganisation, admin_actor};
use crate::BoxError;
use crate::auth::Actor;
use crate::services::Services;
use crate::services::catalog::{NewPrice, NewProduct};
use crate::services::usage::{FieldNames, MAX_BATCH, RecordInput};

/// The metered product's name.
pub const MINUTES: &str = "Outbound minutes";

/// Per minute, in each organisation's currency.
const PRICE_PER_MINUTE: &str = "0.02";

/// Creates the organisation's metered minutes product and its monthly per-minute price.
pub(super) async fn minutes_price(
    services: &Services,
    actor: &Actor,
    org: &DemoOrganisation,
) -> Result<PriceId, BoxError> {
    let error = |e| format!("demo minutes: {e:?}");
    let product = services
        .catalog
        .create_product(
            actor,
            None,
            NewProduct {
                name: MINUTES.into(),
                code: minutes_code(org),
                kind: ProductKind::Metered,
                description: Some("Outbound call minutes, billed monthly in arrears".into()),
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
                    unit_price: PRICE_PER_MINUTE.parse()?,
                },
                taxable: true,
                policy: billing::LicensePolicy::default(),
            },
        )
        .await
        .map_err(error)?;
    Ok(price.id)
}

/// The code of the organisation's minutes product.
fn minutes_code(org: &DemoOrganisation) -> String {
    format!("minutes-{}", org.currency.to_lowercase())
}

/// The telephone number of the organisation's `m`-th member (by name): the number its demo
/// usage names and the demo numbers ([`super::numbers`]) sell.
pub(super) fn member_number(org: &DemoOrganisation, m: usize) -> String {
    let country = if org.currency == "GBP" { "44" } else { "33" };
    format!("+{country}1900{:06}", 100 + m)
}

/// A small deterministic generator (xorshift64*): the demo is the same on every first start.
pub(super) struct Sequence(pub(super) u64);

impl Sequence {
    pub(super) fn next(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound.max(1)
    }
}

/// Records the demo calls of every organisation from the day after `start` until an hour
/// before `now`.
pub(super) async fn seed_usage(
    db: &DatabaseConnection,
    services: &Services,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), BoxError> {
    let actor = admin_actor(db).await?;
    let error = |e| format!("demo usage: {e:?}");
    for (index, org) in DEMO_ORGANISATIONS.iter().enumerate() {
        let customer = customer::Entity::find()
            .filter(customer::Column::Name.eq(org.name))
            .one(db)
            .await?
            .ok_or("demo organisation missing")?;
        let product = product::Entity::find()
            .filter(product::Column::Code.eq(minutes_code(org)))
            .one(db)
            .await?
            .ok_or("demo minutes product missing")?;
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
            .ok_or("demo minutes item missing")?;
        let members = member::Entity::find()
            .filter(member::Column::CustomerId.eq(customer.id))
            .order_by_asc(member::Column::Name)
            .all(db)
            .await?;
        let records = calls(org, index, &item.id.to_string(), &members, start, now);
        for batch in records.chunks(MAX_BATCH) {
            services
                .usage
                .record(&actor, batch, FieldNames::GRAPHQL, 0)
                .await
                .map_err(error)?;
        }
    }
    Ok(())
}

/// The calls of one organisation's members, day by day.
fn calls(
    org: &DemoOrganisation,
    index: usize,
    item: &str,
    members: &[member::Model],
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<RecordInput> {
    let mut sequence = Sequence(0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1));
    let last = now - Duration::hours(1);
    let mut records = Vec::new();
    let mut day = start.date_naive() + Duration::days(1);
    while day <= last.date_naive() {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        for (m, member) in members.iter().enumerate() {
            // Sales call most, the rest less; weekends are quiet.
            let most = if weekend { 2 } else { 4 + (m as u64 % 3) };
            for _ in 0..sequence.next(most + 1) {
                let minute_of_day = 7 * 60 + sequence.next(10 * 60);
                let Some(from) = day
                    .and_hms_opt(0, 0, 0)
                    .map(|t| t.and_utc() + Duration::minutes(minute_of_day as i64))
                else {
                    continue;
                };
                if from > last {
                    continue;
                }
                let whole = 1 + sequence.next(18);
                let quantity = if sequence.next(4) == 0 {
                    format!("{whole}.5")
                } else {
                    whole.to_string()
                };
                records.push(RecordInput {
                    subscription_item: item.to_owned(),
                    quantity,
                    from: from.to_rfc3339(),
                    to: (from + Duration::minutes(whole as i64 + 1)).to_rfc3339(),
                    idempotency_key: format!("demo-{index}-{}", records.len()),
                    member: Some(member.id.to_string()),
                    team: member.team_id.map(|t| t.to_string()),
                    number: Some(member_number(org, m)),
                    properties: None,
                });
            }
        }
        day += Duration::days(1);
    }
    records
}
