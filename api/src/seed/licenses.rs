//! The demo license subscriptions, made through the same services operator staff use, so the
//! demo data obeys the same rules as real data.

use billing::{AdditionCharge, Currency, Interval, LicensePolicy, PricingModel, local_date};
use chrono::{DateTime, Datelike, Utc};
use entity::product::ProductKind;
use entity::{customer, member};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::{DEMO_ORGANISATIONS, admin_actor};
use crate::BoxError;
use crate::services::Services;
use crate::services::catalog::{NewPrice, NewProduct};
use crate::services::page::PageRequest;
use crate::services::subscriptions::{NewItem, NewSubscription};

/// Gives each demo organisation its license product, a monthly subscription anchored on the
/// first of this month, and members on some of the seats. Additions are charged on the next
/// invoice, prorated by day, as in Ringover's example. With `metered`, the subscription also
/// has a metered item for outbound call minutes ([`super::usage::MINUTES`]), which the demo
/// usage is recorded against, and a "Phone number" item renting a number per member.
pub(super) async fn seed_licenses(
    db: &DatabaseConnection,
    services: &Services,
    now: DateTime<Utc>,
    metered: bool,
) -> Result<(), BoxError> {
    let actor = admin_actor(db).await?;
    let error = |e| format!("{e:?}");
    for org in &DEMO_ORGANISATIONS {
        let customer = customer::Entity::find()
            .filter(customer::Column::Name.eq(org.name))
            .one(db)
            .await?
            .ok_or("demo organisation missing")?;
        let (name, code, unit) = org.license;
        let product = services
            .catalog
            .create_product(
                &actor,
                None,
                NewProduct {
                    name: name.into(),
                    code: code.into(),
                    kind: ProductKind::License,
                    description: Some(format!("{name} license, per user and month")),
                },
            )
            .await
            .map_err(error)?;
        let price = services
            .catalog
            .create_price(
                &actor,
                None,
                NewPrice {
                    product: product.id,
                    currency: Currency::from_code(org.currency)?,
                    interval: Interval::MONTHLY,
                    model: PricingModel::PerUnit {
                        unit_price: unit.parse()?,
                    },
                    taxable: true,
                    policy: LicensePolicy {
                        additions: AdditionCharge::NextInvoice,
                        ..LicensePolicy::default()
                    },
                },
            )
            .await
            .map_err(error)?;
        let mut items = vec![NewItem::at_catalog_price(price.id, org.seats.0)];
        if metered {
            items.push(NewItem::at_catalog_price(
                super::usage::minutes_price(services, &actor, org).await?,
                1,
            ));
            // A telephone number per member ([`super::numbers`]).
            let members = member::Entity::find()
                .filter(member::Column::CustomerId.eq(customer.id))
                .count(db)
                .await?;
            items.push(NewItem::at_catalog_price(
                super::numbers::rental_price(services, &actor, org).await?,
                u32::try_from(members)?,
            ));
        }
        let today = local_date(now, org.time_zone.parse()?);
        let anchor = today.with_day(1).ok_or("first of the month")?;
        let subscription = services
            .subscriptions
            .create(
                &actor,
                None,
                NewSubscription {
                    customer: customer.id,
                    anchor,
                    interval: Interval::MONTHLY,
                    items,
                    trial_end: None,
                    po_number: None,
                    invoice_notes: None,
                    automatic_payment: true,
                },
                now,
            )
            .await
            .map_err(error)?;
        let items = services
            .subscriptions
            .items(&actor, subscription.id)
            .await
            .map_err(error)?;
        let (item, _, _) = items.first().ok_or("subscription without item")?;
        let seats = services
            .licenses
            .seats(
                &actor,
                item.id,
                PageRequest {
                    limit: u64::from(org.seats.0),
                    after: None,
                },
            )
            .await
            .map_err(error)?
            .into_items();
        let members = member::Entity::find()
            .filter(member::Column::CustomerId.eq(customer.id))
            .order_by_asc(member::Column::Id)
            .all(db)
            .await?;
        let assigned = usize::try_from(org.seats.1)?;
        for ((seat, _), person) in seats.iter().zip(&members).take(assigned) {
            services
                .license_seats
                .assign(&actor, None, seat.id, person.id)
                .await
                .map_err(error)?;
        }
    }
    Ok(())
}
