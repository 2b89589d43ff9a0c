//! Telephone numbers (staff add them; a customer's users read their own).
//!
//! The monthly rental is the subscription item's own recurring price, one unit per number
//! ("3 phone numbers at €5.00 each"): the item's quantity is what is billed, so a number is
//! only added while the item has a unit for it (numbers on the item < its quantity). Raising
//! the quantity goes through `setSubscriptionItemQuantity`, which prorates the rental for the
//! rest of the period; this slice never computes or changes money itself.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::product::ProductKind;
use entity::{customer, phone_number, price, product, subscription_item, tariff};
use ids::{CustomerId, PhoneNumberId, SubscriptionItemId, TariffId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use serde_json::json;

use super::{NumbersService, is_e164};
use crate::auth::Actor;
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::accounts::search::{number_contains, number_digits};
use crate::services::audit::{self, AuditEntry};
use crate::services::like::search_text;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// A customer's numbers, in the order they were added (the id breaks ties).
const NUMBERS: Keyset<phone_number::Entity> = Keyset {
    list: "phoneNumbers",
    columns: &[
        (phone_number::Column::CreatedAt, KeyKind::Time),
        (phone_number::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |n| time_key(n.created_at, n.id),
};

/// Which of a customer's numbers to list: every one by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NumberFilter {
    /// Digits the number contains ([`number_digits`]: a national `0` may be left out).
    pub digits: Option<Vec<String>>,
    /// Only numbers given a release day (`true`, today's or a later one) or those without.
    pub released: Option<bool>,
}

impl NumberFilter {
    /// The filter from a search as typed (`+33 1 42`, `01 42`, `4268`); `BAD_USER_INPUT` on
    /// `search` when it is not digits of a number.
    pub fn new(search: Option<&str>, released: Option<bool>) -> ServiceResult<Self> {
        let digits = match search_text("search", search)? {
            None => None,
            Some(text) => Some(number_digits(&text, 1).ok_or_else(|| {
                ServiceError::bad_input("search", "enter digits of the number, e.g. 01 42 68")
            })?),
        };
        Ok(Self { digits, released })
    }
}

/// A number to add, as typed.
#[derive(Clone, Debug)]
pub struct NewPhoneNumber {
    /// E.164 (`+33123456789`).
    pub number: String,
    /// Its type.
    pub number_type: phone_number::NumberType,
    /// The recurring item billing its rental.
    pub subscription_item: SubscriptionItemId,
    /// The tariff its calls are rated with.
    pub tariff: TariffId,
    /// The day it was sold.
    pub sold_on: NaiveDate,
}

fn not_found(entity: &'static str) -> ServiceError {
    ServiceError::NotFound { entity }
}

impl NumbersService {
    /// Adds a number to a customer's recurring item (operator staff). `BAD_USER_INPUT` on
    /// `input.number` for a number not in E.164, `CONFLICT` when it is already sold; on
    /// `input.subscriptionItemId` for an item that is not a recurring service or has no unit
    /// left for one more number; on `input.tariffId` for a tariff in another currency than
    /// the customer's.
    pub async fn add_number(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewPhoneNumber,
    ) -> ServiceResult<phone_number::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let e164 = new.number.trim().to_owned();
        if !is_e164(&e164) {
            return Err(ServiceError::bad_input(
                "input.number",
                "a telephone number in E.164 form: + and the country code, e.g. +33123456789",
            ));
        }
        // The number is read with its item's customer by the tenant state (the item's
        // quantity is cached), so this write bumps the tenant's revision.
        let txn = self.db.begin_tenant_write().await?;
        // Lock the item first: concurrent additions to it queue up, so they never hold more
        // numbers than units.
        let touched = subscription_item::Entity::update_many()
            .col_expr(
                subscription_item::Column::Version,
                Expr::col(subscription_item::Column::Version).add(1),
            )
            .filter(subscription_item::Column::Id.eq(new.subscription_item))
            .exec(&txn)
            .await?;
        if touched.rows_affected == 0 {
            return Err(not_found("subscription item"));
        }
        let (item, price) = subscription_item::Entity::find_by_id(new.subscription_item)
            .find_also_related(price::Entity)
            .one(&txn)
            .await?
            .and_then(|(i, p)| p.map(|p| (i, p)))
            .ok_or_else(|| not_found("subscription item"))?;
        let kind = product::Entity::find_by_id(price.product_id)
            .select_only()
            .column(product::Column::Kind)
            .into_tuple::<ProductKind>()
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::corrupt("price", "product missing"))?;
        // The catalog's NUMBER kind ("a telephone number with a tariff") is what a number's
        // rental is sold as; a plain recurring service line does as well (the demo's).
        if !matches!(kind, ProductKind::Number | ProductKind::Service) {
            return Err(ServiceError::bad_input(
                "input.subscriptionItemId",
                "a number's rental is a recurring number or service item (one unit per number)",
            ));
        }
        let held = phone_number::Entity::find()
            .filter(phone_number::Column::SubscriptionItemId.eq(item.id))
            .filter(phone_number::Column::ReleasedOn.is_null())
            .count(&txn)
            .await?;
        let units = u64::try_from(item.quantity).unwrap_or(0);
        if held >= units {
            return Err(ServiceError::bad_input(
                "input.subscriptionItemId",
                format!(
                    "this item bills {units} number(s) and holds {held}: raise its quantity \
                     first (setSubscriptionItemQuantity) so the new number's rental is billed"
                ),
            ));
        }
        let tariff = tariff::Entity::find_by_id(new.tariff)
            .one_by_key(&txn)
            .await?
            .ok_or_else(|| not_found("tariff"))?;
        let customer = customer::Entity::find_by_id(item.customer_id)
            .one_by_key(&txn)
            .await?
            .ok_or_else(|| not_found("customer"))?;
        if tariff.currency != customer.currency {
            return Err(ServiceError::bad_input(
                "input.tariffId",
                format!(
                    "this tariff is in {} and the customer is billed in {}",
                    tariff.currency, customer.currency
                ),
            ));
        }
        let sold = format!("{e164} is already sold");
        let taken = move || ServiceError::Conflict { message: sold };
        if phone_number::Entity::find()
            .filter(phone_number::Column::E164.eq(e164.as_str()))
            .count(&txn)
            .await?
            > 0
        {
            return Err(ServiceError::Conflict {
                message: format!("{e164} is already sold"),
            });
        }
        let row = phone_number::Model {
            id: PhoneNumberId::new(),
            customer_id: item.customer_id,
            subscription_item_id: item.id,
            e164,
            number_type: new.number_type,
            tariff_id: tariff.id,
            sold_on: new.sold_on,
            released_on: None,
            created_at: self.clock.now(),
        };
        phone_number::Entity::insert(phone_number::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(taken))?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "phone_number.add",
                subject_type: "phone_number",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({
                    "number": row.e164, "subscription_item": row.subscription_item_id.to_string(),
                    "tariff": row.tariff_id.to_string(), "sold_on": row.sold_on.to_string(),
                })),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(row)
    }

    /// A page of a customer's numbers, in the order they were added; another tenant's
    /// customer answers `NOT_FOUND`.
    pub async fn numbers_of(
        &self,
        actor: &Actor,
        customer: CustomerId,
        filter: &NumberFilter,
        request: PageRequest,
    ) -> ServiceResult<Page<phone_number::Model>> {
        let user = actor.authenticated()?;
        if !user.scope().allows(customer) {
            return Err(not_found("customer"));
        }
        let mut select =
            phone_number::Entity::find().filter(phone_number::Column::CustomerId.eq(customer));
        if let Some(digits) = &filter.digits {
            select = select.filter(number_contains(digits));
        }
        select = match filter.released {
            Some(true) => select.filter(phone_number::Column::ReleasedOn.is_not_null()),
            Some(false) => select.filter(phone_number::Column::ReleasedOn.is_null()),
            None => select,
        };
        Ok(fetch_page(self.db.reads(), select, &NUMBERS, &request).await?)
    }

    /// One number: the caller's tenant's, or any for staff; else `NOT_FOUND`.
    pub async fn number(
        &self,
        actor: &Actor,
        id: PhoneNumberId,
    ) -> ServiceResult<phone_number::Model> {
        let user = actor.authenticated()?;
        phone_number::Entity::find_by_id(id)
            .filter(user.scope().condition(phone_number::Column::CustomerId))
            .one_by_key(self.db.reads())
            .await?
            .ok_or_else(|| not_found("phone number"))
    }

    /// The E.164 number and its tariff's name of each of `ids`, in two queries, for rows the
    /// actor was already allowed to read (a page of calls); an unknown id is left out.
    pub(crate) async fn numbers_with_tariffs_of_readable(
        &self,
        ids: &[PhoneNumberId],
    ) -> ServiceResult<HashMap<PhoneNumberId, (String, String)>> {
        let db = self.db.reads();
        let numbers: Vec<(PhoneNumberId, String, TariffId)> = phone_number::Entity::find()
            .select_only()
            .column(phone_number::Column::Id)
            .column(phone_number::Column::E164)
            .column(phone_number::Column::TariffId)
            .filter(phone_number::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        let names: HashMap<TariffId, String> = tariff::Entity::find()
            .select_only()
            .column(tariff::Column::Id)
            .column(tariff::Column::Name)
            .filter(tariff::Column::Id.is_in(numbers.iter().map(|(_, _, t)| *t)))
            .into_tuple::<(TariffId, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        Ok(numbers
            .into_iter()
            .map(|(id, e164, tariff)| {
                let name = names.get(&tariff).cloned().unwrap_or_default();
                (id, (e164, name))
            })
            .collect())
    }

    /// The name of a tariff (for a number's page); `NOT_FOUND` if it is gone.
    pub async fn tariff_name(&self, actor: &Actor, id: TariffId) -> ServiceResult<String> {
        actor.authenticated()?;
        tariff::Entity::find_by_id(id)
            .select_only()
            .column(tariff::Column::Name)
            .into_tuple::<String>()
            .one(self.db.reads())
            .await?
            .ok_or_else(|| not_found("tariff"))
    }
}
