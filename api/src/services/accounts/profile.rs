//! A customer's profile, changed by operator staff: its name, company, e-mail, time zone and
//! currency (`updateCustomer`). Each value is checked exactly as `createCustomer` checks it,
//! before anything is written. The currency is what every amount of the customer is in, and
//! the time zone what its periods and usage days are counted in (usage is bucketed by local
//! day when recorded), so each changes only while nothing was priced or billed: no
//! subscription, invoice, unbilled charge, credit entry or applied coupon (`CONFLICT`, reason
//! `CURRENCY_IN_USE` or `TIME_ZONE_IN_USE`). The change is a tenant write: the customer's
//! cached state (which holds both) is read again after it.

use billing::{Currency, Tz};
use chrono::{DateTime, Utc};
use entity::{coupon_redemption, credit_entry, customer, invoice, subscription, unbilled_charge};
use ids::CustomerId;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::json;

use super::AccountError;
use super::organisations::OrganisationsService;
use crate::auth::Actor;
use crate::db::{TenantWrite, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::{Email, RequiredText};

/// What `updateCustomer` changes: a `None` field stays as it is.
#[derive(Debug, Default)]
pub struct ProfileChange {
    /// The name, 1 to 200 characters.
    pub name: Option<String>,
    /// The company; `Some(None)` or a blank one clears it.
    pub company: Option<Option<String>>,
    /// The e-mail address invoices are sent to.
    pub email: Option<String>,
    /// An IANA time zone.
    pub time_zone: Option<String>,
    /// An ISO 4217 currency code.
    pub currency: Option<String>,
}

/// The change checked: every value as it will be stored.
struct Checked {
    name: Option<String>,
    company: Option<Option<String>>,
    email: Option<String>,
    time_zone: Option<String>,
    currency: Option<String>,
}

impl ProfileChange {
    /// Each value checked as `createCustomer` checks it, the field at fault named.
    fn check(self) -> ServiceResult<Checked> {
        Ok(Checked {
            name: self
                .name
                .map(|n| RequiredText::parse("input.name", &n, 200).map(|t| t.into_inner()))
                .transpose()?,
            company: self
                .company
                .map(|c| match c.as_deref().map(str::trim) {
                    None | Some("") => Ok(None),
                    Some(c) if c.chars().count() > 200 => Err(ServiceError::bad_input(
                        "input.company",
                        "at most 200 characters",
                    )),
                    Some(c) => Ok(Some(c.to_owned())),
                })
                .transpose()?,
            email: self
                .email
                .map(|e| Email::parse(&e).map(|e| e.into_inner()))
                .transpose()?,
            time_zone: self
                .time_zone
                .map(|tz| {
                    tz.trim()
                        .parse::<Tz>()
                        .map(|tz| tz.name().to_owned())
                        .map_err(|_| AccountError::UnknownTimeZone)
                })
                .transpose()?,
            currency: self
                .currency
                .map(|c| {
                    Currency::from_code(c.trim())
                        .map(|c| c.code().to_owned())
                        .map_err(AccountError::UnknownCurrency)
                })
                .transpose()?,
        })
    }
}

impl OrganisationsService {
    /// Changes a customer's profile (operator staff who change things, not support); audited
    /// with the values before and after.
    pub async fn update_profile(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: CustomerId,
        change: ProfileChange,
        now: DateTime<Utc>,
    ) -> ServiceResult<customer::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let checked = change.check()?;
        let txn = self.db.begin_tenant_write().await?;
        // On PostgreSQL the row is locked before "nothing is priced" is checked: a write that
        // priced something in the old currency either committed before (and is counted) or
        // waits, then finds the currency changed and commits nothing (`commit_priced`).
        let mut select = customer::Entity::find_by_id(id);
        if txn.get_database_backend() == DbBackend::Postgres {
            select = select.lock_exclusive();
        }
        let before = select
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        let currency_changes = checked
            .currency
            .as_ref()
            .is_some_and(|c| *c != before.currency);
        let zone_changes = checked
            .time_zone
            .as_ref()
            .is_some_and(|z| *z != before.time_zone);
        if (currency_changes || zone_changes) && priced(&txn, id).await? {
            return Err(if currency_changes {
                ServiceError::Refused {
                    reason: "CURRENCY_IN_USE",
                    message: format!(
                        "the customer's subscriptions, invoices, charges, credits or coupons \
                         are in {}: its currency cannot change",
                        before.currency
                    ),
                }
            } else {
                ServiceError::Refused {
                    reason: "TIME_ZONE_IN_USE",
                    message: format!(
                        "the customer's periods and usage are counted in {}: its time zone \
                         cannot change once it is billed",
                        before.time_zone
                    ),
                }
            });
        }
        let mut row = before.clone().into_active_model();
        if let Some(name) = checked.name {
            row.name = Set(name);
        }
        if let Some(company) = checked.company {
            row.company = Set(company);
        }
        if let Some(email) = checked.email {
            row.email = Set(email);
        }
        if let Some(time_zone) = checked.time_zone {
            row.time_zone = Set(time_zone);
        }
        if let Some(currency) = checked.currency {
            row.currency = Set(currency);
        }
        row.updated_at = Set(now);
        let mut after = row.update(&txn).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(id),
                action: "customer.update",
                subject_type: "customer",
                subject_id: id.to_string(),
                before: Some(profile(&before)),
                after: Some(profile(&after)),
            },
        )
        .await?;
        txn.commit(id).await?;
        // The commit bumped the revision: the row returned says so, so a read of this
        // customer's state right after sees the new profile.
        after.revision = before.revision + 1;
        Ok(after)
    }
}

/// The audited values of a profile.
fn profile(row: &customer::Model) -> serde_json::Value {
    json!({
        "name": row.name,
        "company": row.company,
        "email": row.email,
        "time_zone": row.time_zone,
        "currency": row.currency,
    })
}

/// Whether anything of `customer` is priced in its currency or counted in its time zone: a
/// subscription (and so any usage), an invoice, an unbilled charge, a credit entry or an
/// applied coupon (a fixed amount is in a currency).
async fn priced(db: &impl ConnectionTrait, customer: CustomerId) -> ServiceResult<bool> {
    let subscriptions = subscription::Entity::find()
        .filter(subscription::Column::CustomerId.eq(customer))
        .count(db)
        .await?;
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(customer))
        .count(db)
        .await?;
    let charges = unbilled_charge::Entity::find()
        .filter(unbilled_charge::Column::CustomerId.eq(customer))
        .count(db)
        .await?;
    let credits = credit_entry::Entity::find()
        .filter(credit_entry::Column::CustomerId.eq(customer))
        .count(db)
        .await?;
    let coupons = coupon_redemption::Entity::find()
        .filter(coupon_redemption::Column::CustomerId.eq(customer))
        .count(db)
        .await?;
    Ok(subscriptions + invoices + charges + credits + coupons > 0)
}

/// Commits `txn`, a write that priced or dated something with `customer`'s currency and time
/// zone as read in it; `CONFLICT`, nothing written, when `updateCustomer` changed either
/// meanwhile (see `TenantWrite::commit_as_read`).
pub(crate) async fn commit_priced(
    txn: TenantWrite,
    customer: &customer::Model,
) -> ServiceResult<()> {
    if txn.commit_as_read(customer).await? {
        Ok(())
    } else {
        Err(ServiceError::Conflict {
            message: "the customer's currency or time zone changed meanwhile: nothing was \
                      saved, try again"
                .into(),
        })
    }
}
