//! Changing billing addresses: add, update, remove, make one the default (owners, billing
//! admins, staff), and verify one (staff, for a proof received outside the vault: an accepted
//! proof of address verifies its address by itself). A new default asks the organisation for a
//! new company registration certificate; a changed address detaches the proofs waiting for it. Tenant writes: the default address is in the cached
//! tenant state. Every id is looked up in the caller's scope before the role is checked, so
//! another tenant's id answers `NOT_FOUND` to every role, like a missing one.

use chrono::{DateTime, Utc};
use entity::document_requirement::RequirementReason;
use entity::{billing_address, customer, document};
use ids::{BillingAddressId, CustomerId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::{Value, json};

use super::rules::{self, AddressError, AddressInput, ValidAddress};
use super::{MAX_ADDRESSES, Verification, verification};
use crate::auth::{Actor, AuthenticatedActor};
use crate::db::{TenantWrite, UniqueLookup};
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::accounts::AccountError;
use crate::services::audit::{self, AuditEntry};
use crate::services::vault::requirements;

/// An address as typed, owned (a GraphQL input or a form).
#[derive(Clone, Debug, Default)]
pub struct NewAddress {
    /// Street and number.
    pub line1: String,
    /// Building, floor, c/o…
    pub line2: Option<String>,
    /// City or town.
    pub city: String,
    /// Postal code.
    pub postal_code: Option<String>,
    /// State, province or region.
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

impl NewAddress {
    /// Checks the address against its country's rules ([`rules::validate`]).
    fn validate(&self) -> ServiceResult<ValidAddress> {
        self.check()
            .map_err(|rule| AccountError::Address(rule).into())
    }

    /// [`rules::validate`] on this address: the rule it breaks, if any.
    pub(crate) fn check(&self) -> Result<ValidAddress, AddressError> {
        rules::validate(&AddressInput {
            line1: &self.line1,
            line2: self.line2.as_deref(),
            city: &self.city,
            postal_code: self.postal_code.as_deref(),
            region: self.region.as_deref(),
            country: &self.country,
        })
    }
}

/// An address after a change, with its verification status.
pub type Changed = (billing_address::Model, Verification);

/// What the audit log keeps of an address.
fn audited(a: &billing_address::Model) -> Value {
    json!({
        "line1": a.line1, "line2": a.line2, "city": a.city, "postal_code": a.postal_code,
        "region": a.region, "country": a.country, "default": a.is_default,
        "verified": a.verified_at.is_some()
    })
}

impl super::AddressesService {
    /// Adds a billing address to `customer`; the first one becomes the default.
    pub async fn add(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        input: NewAddress,
        now: DateTime<Utc>,
    ) -> ServiceResult<Changed> {
        let actor = actor.authenticated()?;
        let valid = input.validate()?;
        let txn = self.db.begin_tenant_write().await?;
        let organisation = customer::Entity::find_by_id(customer)
            .filter(actor.scope().condition(customer::Column::Id))
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        actor.require_billing_write()?;
        let count = billing_address::Entity::find()
            .filter(billing_address::Column::CustomerId.eq(customer))
            .count(&txn)
            .await?;
        if count >= MAX_ADDRESSES as u64 {
            return Err(AccountError::TooManyAddresses { max: MAX_ADDRESSES }.into());
        }
        let row = insert(&txn, actor, request_id, customer, valid, count == 0, now).await?;
        txn.commit(customer).await?;
        let status = verification(&row, organisation.country.as_deref());
        Ok((row, status))
    }

    /// Replaces an address's parts with `input`. A change of the address clears its
    /// verification: what was verified was the old one.
    pub async fn update(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: BillingAddressId,
        input: NewAddress,
        now: DateTime<Utc>,
    ) -> ServiceResult<Changed> {
        let actor = actor.authenticated()?;
        let valid = input.validate()?;
        let txn = self.db.begin_tenant_write().await?;
        let (before, organisation) = find(&txn, actor, id).await?;
        actor.require_billing_write()?;
        let moved = super::valid(&before) != valid;
        let after = billing_address::Model {
            line1: valid.line1,
            line2: valid.line2,
            city: valid.city,
            postal_code: valid.postal_code,
            region: valid.region,
            country: valid.country,
            verified_at: before.verified_at.filter(|_| !moved),
            verified_by: before.verified_by.filter(|_| !moved),
            updated_at: now,
            ..before.clone()
        };
        // Every column written: an active model made from a row holds them as unchanged.
        billing_address::ActiveModel::from(after.clone())
            .reset_all()
            .update(&txn)
            .await?;
        if moved {
            // A proof still waiting for review proves the old address: it no longer names it.
            document::Entity::update_many()
                .col_expr(
                    document::Column::AddressId,
                    Expr::value(Option::<BillingAddressId>::None),
                )
                .filter(document::Column::AddressId.eq(id))
                .filter(document::Column::Status.eq(document::DocumentStatus::Pending))
                .exec(&txn)
                .await?;
        }
        record(
            &txn,
            actor,
            request_id,
            "address.update",
            &after,
            Some(&before),
            Some(&after),
        )
        .await?;
        txn.commit(after.customer_id).await?;
        let status = verification(&after, organisation.country.as_deref());
        Ok((after, status))
    }

    /// Makes an address the default, in one transaction with unmarking the previous one.
    pub async fn set_default(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: BillingAddressId,
        now: DateTime<Utc>,
    ) -> ServiceResult<Changed> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_tenant_write().await?;
        let (row, organisation) = find(&txn, actor, id).await?;
        actor.require_billing_write()?;
        if row.is_default {
            let status = verification(&row, organisation.country.as_deref());
            return Ok((row, status));
        }
        let previous = super::default_of(&txn, row.customer_id).await?;
        make_default(&txn, row.customer_id, id, now).await?;
        require_registration(&txn, actor, request_id, row.customer_id, now).await?;
        let after = billing_address::Model {
            is_default: true,
            updated_at: now,
            ..row
        };
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(after.customer_id),
                action: "address.default",
                subject_type: "billing_address",
                subject_id: id.to_string(),
                before: Some(json!({ "default": previous.map(|p| p.id.to_string()) })),
                after: Some(json!({ "default": id.to_string() })),
            },
        )
        .await?;
        txn.commit(after.customer_id).await?;
        let status = verification(&after, organisation.country.as_deref());
        Ok((after, status))
    }

    /// Removes an address; returns it as it was. The default one, while others remain, only
    /// with `new_default`, another of them, which becomes the default in the same transaction.
    pub async fn remove(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: BillingAddressId,
        new_default: Option<BillingAddressId>,
        now: DateTime<Utc>,
    ) -> ServiceResult<billing_address::Model> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_tenant_write().await?;
        let (row, _) = find(&txn, actor, id).await?;
        let successor = match new_default {
            Some(next) => Some(find(&txn, actor, next).await?.0),
            None => None,
        };
        actor.require_billing_write()?;
        if let Some(next) = &successor {
            if next.id == row.id {
                return Err(AccountError::SuccessorIsRemoved.into());
            }
            if !row.is_default {
                return Err(AccountError::SuccessorNotNeeded.into());
            }
            // Found in the caller's scope, but it must also be this organisation's (staff).
            if next.customer_id != row.customer_id {
                return Err(AccountError::AddressNotFound.into());
            }
        }
        if row.is_default && successor.is_none() {
            let others = billing_address::Entity::find()
                .filter(billing_address::Column::CustomerId.eq(row.customer_id))
                .filter(billing_address::Column::Id.ne(id))
                .count(&txn)
                .await?;
            if others > 0 {
                return Err(AccountError::DefaultAddressNeedsSuccessor.into());
            }
        }
        billing_address::Entity::delete_by_id(id).exec(&txn).await?;
        if let Some(next) = &successor {
            make_default(&txn, row.customer_id, next.id, now).await?;
            require_registration(&txn, actor, request_id, row.customer_id, now).await?;
        }
        let mut after = json!(null);
        if let Some(next) = &successor {
            after = json!({ "default": next.id.to_string() });
        }
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(row.customer_id),
                action: "address.remove",
                subject_type: "billing_address",
                subject_id: id.to_string(),
                before: Some(audited(&row)),
                after: (!after.is_null()).then_some(after),
            },
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(row)
    }

    /// Marks an address verified (operator staff). Verifying a verified one changes nothing.
    pub async fn verify(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: BillingAddressId,
        now: DateTime<Utc>,
    ) -> ServiceResult<Changed> {
        let actor = actor.authenticated()?;
        actor.require_staff()?;
        let txn = self.db.begin_tenant_write().await?;
        let (before, organisation) = find(&txn, actor, id).await?;
        if before.verified_at.is_some() {
            let status = verification(&before, organisation.country.as_deref());
            return Ok((before, status));
        }
        let after = billing_address::Model {
            verified_at: Some(now),
            verified_by: Some(actor.user_id),
            updated_at: now,
            ..before.clone()
        };
        // Every column written: an active model made from a row holds them as unchanged.
        billing_address::ActiveModel::from(after.clone())
            .reset_all()
            .update(&txn)
            .await?;
        record(
            &txn,
            actor,
            request_id,
            "address.verify",
            &after,
            Some(&before),
            Some(&after),
        )
        .await?;
        txn.commit(after.customer_id).await?;
        let status = verification(&after, organisation.country.as_deref());
        Ok((after, status))
    }
}

/// The address `id` and its organisation, within the actor's scope: another tenant's answers
/// `NOT_FOUND` like an unknown one.
async fn find(
    txn: &TenantWrite,
    actor: &AuthenticatedActor,
    id: BillingAddressId,
) -> ServiceResult<(billing_address::Model, customer::Model)> {
    let (address, organisation) = billing_address::Entity::find_by_id(id)
        .filter(actor.scope().condition(billing_address::Column::CustomerId))
        .find_also_related(customer::Entity)
        .one_by_key(txn)
        .await?
        .ok_or(AccountError::AddressNotFound)?;
    let organisation =
        organisation.ok_or_else(|| ServiceError::internal("an address without its customer"))?;
    Ok((address, organisation))
}

/// Makes `id` the default of `customer`: the previous default unmarked first, so the partial
/// unique index never sees two.
async fn make_default<C: ConnectionTrait>(
    txn: &C,
    customer: CustomerId,
    id: BillingAddressId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    billing_address::Entity::update_many()
        .col_expr(billing_address::Column::IsDefault, Expr::value(false))
        .col_expr(billing_address::Column::UpdatedAt, Expr::value(now))
        .filter(billing_address::Column::CustomerId.eq(customer))
        .filter(billing_address::Column::IsDefault.eq(true))
        .exec(txn)
        .await?;
    billing_address::Entity::update_many()
        .col_expr(billing_address::Column::IsDefault, Expr::value(true))
        .col_expr(billing_address::Column::UpdatedAt, Expr::value(now))
        .filter(billing_address::Column::Id.eq(id))
        .exec(txn)
        .await
        .map_err(on_unique_violation(|| ServiceError::Conflict {
            message: "the default address was just changed: try again".into(),
        }))?;
    Ok(())
}

/// A change of default address asks for a new company registration certificate (the
/// organisation's details as registered should match where it is billed).
async fn require_registration(
    txn: &TenantWrite,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    customer: CustomerId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    requirements::require(
        txn,
        actor,
        request_id,
        customer,
        document::DocumentKind::CompanyRegistration,
        RequirementReason::DefaultAddressChanged,
        now,
    )
    .await
}

/// Writes the audit entry of a change to one address.
async fn record<C: ConnectionTrait>(
    txn: &C,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    action: &'static str,
    row: &billing_address::Model,
    before: Option<&billing_address::Model>,
    after: Option<&billing_address::Model>,
) -> ServiceResult<()> {
    audit::record(
        txn,
        Some(actor),
        request_id,
        AuditEntry {
            customer: Some(row.customer_id),
            action,
            subject_type: "billing_address",
            subject_id: row.id.to_string(),
            before: before.map(audited),
            after: after.map(audited),
        },
    )
    .await?;
    Ok(())
}

/// Inserts `valid` as an address of `customer` (its default when `is_default`) in `txn` and
/// audits it (`address.add`): adding one, and a customer created with its address.
pub(crate) async fn insert<C: ConnectionTrait>(
    txn: &C,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    customer: CustomerId,
    valid: ValidAddress,
    is_default: bool,
    now: DateTime<Utc>,
) -> ServiceResult<billing_address::Model> {
    let row = billing_address::Model {
        id: BillingAddressId::new(),
        customer_id: customer,
        line1: valid.line1,
        line2: valid.line2,
        city: valid.city,
        postal_code: valid.postal_code,
        region: valid.region,
        country: valid.country,
        is_default,
        verified_at: None,
        verified_by: None,
        created_at: now,
        updated_at: now,
    };
    // Two first addresses added at once: the partial unique index lets one be the default.
    billing_address::Entity::insert(billing_address::ActiveModel::from(row.clone()))
        .exec_without_returning(txn)
        .await
        .map_err(on_unique_violation(|| ServiceError::Conflict {
            message: "another address was just added: try again".into(),
        }))?;
    record(
        txn,
        actor,
        request_id,
        "address.add",
        &row,
        None,
        Some(&row),
    )
    .await?;
    Ok(row)
}
