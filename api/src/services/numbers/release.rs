//! Releasing a number (operator staff): the customer stops holding it from a day on. Its
//! rental item bills one unit fewer from that day ([`release_rental_unit`], prorated like a
//! lowered quantity), calls of it that start on or after that day are refused at ingestion,
//! and it stays — with its calls, billed or still to bill — in the customer's history.
//!
//! Calls already recorded from the release day on make the release a `CONFLICT`: they would be
//! calls of a number the customer no longer held.

use billing::local_midnight;
use chrono::NaiveDate;
use entity::{call_record, phone_number};
use ids::PhoneNumberId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::NumbersService;
use crate::auth::Actor;
use crate::error::{ServiceError, ServiceResult};
use crate::services::accounts;
use crate::services::audit::{self, AuditEntry};
use crate::services::subscriptions::rental::{RentalReleased, release_rental_unit};

/// What a release did.
#[derive(Clone, Debug)]
pub struct NumberReleased {
    /// The number, released.
    pub number: phone_number::Model,
    /// What its rental item became.
    pub rental: RentalReleased,
}

impl NumbersService {
    /// Releases a number on `on` (default: the customer's today); see the module. `NOT_FOUND`
    /// for no such number; `CONFLICT` for a number already released, calls recorded from `on`
    /// on, or its item's last unit; `BAD_USER_INPUT` on `input.on` for a day before today or
    /// after the current period.
    pub async fn release_number(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: PhoneNumberId,
        on: Option<NaiveDate>,
    ) -> ServiceResult<NumberReleased> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let now = self.clock.now();
        let txn = self.db.begin_tenant_write().await?;
        let number = phone_number::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(ServiceError::NotFound {
                entity: "phone number",
            })?;
        if let Some(day) = number.released_on {
            return Err(ServiceError::Conflict {
                message: format!("{} was already released on {day}", number.e164),
            });
        }
        let rental = release_rental_unit(
            &txn,
            staff,
            request_id,
            number.subscription_item_id,
            on,
            now,
        )
        .await?;
        // From the start of the day, as ingestion refuses them.
        let tz = accounts::rows::time_zone(&rental.customer)?;
        let later = call_record::Entity::find()
            .filter(call_record::Column::PhoneNumberId.eq(number.id))
            .filter(call_record::Column::StartedAt.gte(local_midnight(rental.on, tz)))
            .count(&txn)
            .await?;
        if later > 0 {
            return Err(ServiceError::Conflict {
                message: format!(
                    "{later} call(s) of {} are recorded from {} on: a number is released on a \
                     day after its last call",
                    number.e164, rental.on
                ),
            });
        }
        phone_number::Entity::update_many()
            .col_expr(phone_number::Column::ReleasedOn, Expr::value(rental.on))
            .filter(phone_number::Column::Id.eq(number.id))
            .filter(phone_number::Column::ReleasedOn.is_null())
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(number.customer_id),
                action: "phone_number.release",
                subject_type: "phone_number",
                subject_id: number.id.to_string(),
                before: Some(json!({ "released_on": null })),
                after: Some(json!({
                    "released_on": rental.on.to_string(),
                    "subscription_item": number.subscription_item_id.to_string(),
                    "item_quantity": rental.after,
                    "credited": rental.credited.to_string(),
                })),
            },
        )
        .await?;
        txn.commit(number.customer_id).await?;
        Ok(NumberReleased {
            number: phone_number::Model {
                released_on: Some(rental.on),
                ..number
            },
            rental,
        })
    }
}
