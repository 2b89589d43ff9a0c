//! Operator staff create customer organisations and their portal logins (teams and members
//! are [`super::teams`] and [`super::members`], which the organisations' own users change too).

use billing::{Currency, Interval, IntervalUnit, TaxRate, Tz};
use chrono::{DateTime, Utc};
use entity::customer::CustomerStatus;
use entity::{customer, user};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;

use super::AccountError;
use super::addresses::write::{self as addresses, NewAddress};
use super::tags::Tags;
use crate::auth::{Actor, Role, hash_password};
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::{Email, RequiredText};
use crate::services::{catalog, tax};
use ids::{CustomerId, UserId};

/// Shortest password accepted for a new login.
pub const MIN_PASSWORD_LEN: usize = 12;

/// A portal login to create for an organisation.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// The organisation.
    pub customer: CustomerId,
    /// Sign-in e-mail (unique).
    pub email: String,
    /// Display name.
    pub name: String,
    /// A customer role: owner, billing admin or viewer.
    pub role: Role,
    /// Initial password.
    pub password: String,
}

/// A customer organisation to create.
#[derive(Clone, Debug)]
pub struct NewCustomer {
    /// Display name.
    pub name: String,
    /// Legal name.
    pub company: Option<String>,
    /// Billing e-mail.
    pub email: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Tax rate in percent; none: not taxed.
    pub tax_rate: Option<String>,
    /// Its id in another system of the operator's; unique when given.
    pub external_reference: Option<String>,
    /// Days from an invoice's issue to its due date; `None`: due on receipt.
    pub payment_terms_days: Option<i32>,
    /// The interval new subscriptions bill at unless another is chosen; `None`: monthly.
    pub billing_cycle: Option<Interval>,
    /// The operator's labels, as typed.
    pub tags: Vec<String>,
    /// Its first billing address (the default), written with it; its country (and its region
    /// in the US and Canada) becomes the customer's tax country.
    pub billing_address: Option<NewAddress>,
}

/// Longest external reference.
pub const MAX_EXTERNAL_REFERENCE: usize = 100;

/// An external reference as given: trimmed, `None` when empty, at most
/// [`MAX_EXTERNAL_REFERENCE`] characters without control characters.
fn external_reference(value: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > MAX_EXTERNAL_REFERENCE || value.chars().any(char::is_control) {
        return Err(ServiceError::bad_input(
            "input.externalReference",
            format!(
                "an external reference is at most {MAX_EXTERNAL_REFERENCE} characters on one line"
            ),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// Organisations and their logins (staff writes).
#[derive(Clone)]
pub struct OrganisationsService {
    pub(super) db: Db,
}

impl OrganisationsService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates an active customer organisation.
    pub async fn create_customer(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewCustomer,
        now: DateTime<Utc>,
    ) -> ServiceResult<customer::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let currency =
            Currency::from_code(new.currency.trim()).map_err(AccountError::UnknownCurrency)?;
        let time_zone = new
            .time_zone
            .trim()
            .parse::<Tz>()
            .map_err(|_| AccountError::UnknownTimeZone)?;
        let tax_rate = new
            .tax_rate
            .as_deref()
            .map(|rate| {
                rate.trim()
                    .parse::<billing::Decimal>()
                    .ok()
                    .and_then(|d| TaxRate::new(d).ok())
                    .map(|r| r.0.value().to_string())
                    .ok_or(AccountError::TaxRate)
            })
            .transpose()?;
        let payment_terms_days = new
            .payment_terms_days
            .map(|days| tax::payment_terms("input.paymentTermsDays", days))
            .transpose()?
            .unwrap_or(0);
        let cycle = new
            .billing_cycle
            .unwrap_or_else(|| Interval::new(IntervalUnit::Month, 1).expect("one month"));
        let billing_interval_count = i32::try_from(cycle.count()).map_err(|_| {
            ServiceError::bad_input("input.billingCycle.intervalCount", "too large")
        })?;
        let tags = Tags::parse("input.tags", &new.tags)?;
        // Checked before anything is written: a refused address writes no customer either.
        let address = new
            .billing_address
            .as_ref()
            .map(NewAddress::check)
            .transpose()
            .map_err(|rule| {
                ServiceError::invalid(
                    format!("input.billingAddress.{}", rule.field()),
                    rule.reason(),
                    rule.message(),
                )
            })?;
        let row = customer::Model {
            id: CustomerId::new(),
            name: RequiredText::parse("input.name", &new.name, 200)?.into_inner(),
            company: new
                .company
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty()),
            email: Email::parse(&new.email)?.into_inner(),
            currency: currency.code().to_owned(),
            time_zone: time_zone.name().to_owned(),
            status: CustomerStatus::Active,
            tax_rate,
            created_at: now,
            updated_at: now,
            revision: 0,
            credit_balance_minor: 0,
            // The address's country picks the tax rate, as the billing settings would; its
            // region too where it is a code (the US and Canada), not free text.
            country: address.as_ref().map(|a| a.country.clone()),
            region: address
                .as_ref()
                .filter(|a| matches!(a.country.as_str(), "US" | "CA"))
                .and_then(|a| a.region.clone()),
            tax_id: None,
            tax_exempt: false,
            payment_terms_days,
            invoice_email: None,
            email_invoices: true,
            po_number: None,
            invoice_notes: None,
            external_reference: external_reference(new.external_reference.as_deref())?,
            tags: tags.to_column(),
            billing_interval_unit: catalog::rows::stored_interval_unit(cycle.unit()),
            billing_interval_count,
        };
        let txn = self.db.begin_plain_write().await?;
        customer::Entity::insert(customer::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| {
                ServiceError::bad_input(
                    "input.externalReference",
                    "another customer has this external reference",
                )
            }))?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(row.id),
                action: "customer.create",
                subject_type: "customer",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(
                    json!({ "name": row.name, "currency": row.currency, "tax_rate": row.tax_rate,
                        "external_reference": row.external_reference,
                        "payment_terms_days": row.payment_terms_days, "tags": tags.as_slice(),
                        "country": row.country, "region": row.region,
                        "billing_cycle": [row.billing_interval_unit.to_value(),
                            row.billing_interval_count] }),
                ),
            },
        )
        .await?;
        if let Some(valid) = address {
            addresses::insert(&txn, staff, request_id, row.id, valid, true, now).await?;
        }
        txn.commit().await?;
        Ok(row)
    }

    /// Replaces `customer`'s tags with `tags` (checked by [`Tags::parse`]); staff who change
    /// things (not support). `NOT_FOUND` for an unknown customer. Tags are not part of the
    /// tenant's cached state (customers never see them): a plain write.
    pub async fn set_tags(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        tags: &[String],
        now: DateTime<Utc>,
    ) -> ServiceResult<customer::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let tags = Tags::parse("input.tags", tags)?;
        let txn = self.db.begin_plain_write().await?;
        let before = customer::Entity::find_by_id(customer)
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        let mut row = before.clone().into_active_model();
        row.tags = Set(tags.to_column());
        row.updated_at = Set(now);
        let after = row.update(&txn).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(customer),
                action: "customer.tags",
                subject_type: "customer",
                subject_id: customer.to_string(),
                before: Some(json!({ "tags": before.tag_list() })),
                after: Some(json!({ "tags": tags.as_slice() })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Creates a portal login for an organisation (a customer role only).
    pub async fn create_user(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewUser,
        now: DateTime<Utc>,
    ) -> ServiceResult<user::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        if new.role.is_staff() {
            return Err(AccountError::StaffRoleForCustomer.into());
        }
        let name = RequiredText::parse("input.name", &new.name, 200)?.into_inner();
        let email = Email::parse(&new.email)?.into_inner();
        if new.password.chars().count() < MIN_PASSWORD_LEN || new.password.len() > 1024 {
            return Err(AccountError::PasswordLength {
                field: "input.password",
                min: MIN_PASSWORD_LEN,
            }
            .into());
        }
        let password = new.password;
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(ServiceError::internal)?
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let txn = self.db.begin_plain_write().await?;
        customer::Entity::find_by_id(new.customer)
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        if user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one_by_key(&txn)
            .await?
            .is_some()
        {
            return Err(AccountError::EmailTaken.into());
        }
        let row = user::Model {
            id: UserId::new(),
            email,
            name,
            password_hash,
            role: new.role.into(),
            customer_id: Some(new.customer),
            disabled: false,
            created_at: now,
            session_version: 0,
        };
        user::Entity::insert(user::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| AccountError::EmailTaken.into()))?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: Some(new.customer),
                action: "user.create",
                subject_type: "user",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({ "email": row.email, "role": new.role.as_str() })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }
}
