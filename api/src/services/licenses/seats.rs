//! Assigning seats to members of the same organisation.

use entity::{license, member, subscription_item};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;

use super::LicenseError;
use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use chrono::{DateTime, Utc};
use ids::{CustomerId, LicenseId, MemberId, SubscriptionItemId};
use sea_orm::ActiveValue::Set;

/// Assigns and unassigns seats.
#[derive(Clone)]
pub struct LicenseSeats {
    db: Db,
}

impl LicenseSeats {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Gives a free seat to a member of the same organisation. A member holds at most one
    /// seat of an item; an assigned seat must be unassigned first.
    pub async fn assign(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        seat: LicenseId,
        member: MemberId,
    ) -> ServiceResult<(license::Model, Option<member::Model>)> {
        let actor = actor.authenticated()?;
        let scope = actor.scope();
        let txn = self.db.begin_tenant_write().await?;
        let row = license::Entity::find_by_id(seat)
            .filter(scope.condition(license::Column::CustomerId))
            .one_by_key(&txn)
            .await?
            .ok_or(LicenseError::SeatNotFound)?;
        let mut person = member::Entity::find_by_id(member)
            .filter(scope.condition(member::Column::CustomerId))
            .filter(member::Column::CustomerId.eq(row.customer_id));
        // Held in share mode to the commit (PostgreSQL): removing the member waits for this
        // assignment and then sees it, so a seat is never left with a removed member.
        if txn.get_database_backend() == DbBackend::Postgres {
            person = person.lock_shared();
        }
        let person = person
            .one_by_key(&txn)
            .await?
            .ok_or(LicenseError::MemberNotFound)?;
        actor.require_billing_write()?;
        // Queue behind any change to the item (its row lock on PostgreSQL), so a removal that
        // chose this seat as free cannot delete it once it is assigned.
        subscription_item::Entity::update_many()
            .col_expr(
                subscription_item::Column::Version,
                Expr::col(subscription_item::Column::Version).add(1),
            )
            .filter(subscription_item::Column::Id.eq(row.item_id))
            .filter(scope.condition(subscription_item::Column::CustomerId))
            .exec(&txn)
            .await?;
        if row.member_id == Some(person.id) {
            return Ok((row, Some(person)));
        }
        if row.member_id.is_some() {
            return Err(LicenseError::SeatTaken.into());
        }
        let holds_one = license::Entity::find()
            .filter(license::Column::ItemId.eq(row.item_id))
            .filter(license::Column::MemberId.eq(person.id))
            .one_by_key(&txn)
            .await?
            .is_some();
        if holds_one {
            return Err(LicenseError::MemberHasSeat.into());
        }
        // Only a still-free seat is taken: a concurrent assignment of the same seat loses.
        let taken = license::Entity::update_many()
            .col_expr(license::Column::MemberId, Expr::value(person.id))
            .filter(license::Column::Id.eq(row.id))
            .filter(license::Column::MemberId.is_null())
            .exec(&txn)
            .await
            .map_err(on_unique_violation(|| {
                LicenseError::MemberJustGivenSeat.into()
            }))?;
        if taken.rows_affected != 1 {
            return Err(LicenseError::SeatJustTaken.into());
        }
        record(
            &txn,
            actor,
            request_id,
            &row,
            "license.assign",
            None,
            Some(person.id),
        )
        .await?;
        txn.commit(row.customer_id).await?;
        let row = license::Model {
            member_id: Some(person.id),
            ..row
        };
        Ok((row, Some(person)))
    }

    /// Frees a seat. Freeing a free seat changes nothing.
    pub async fn unassign(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        seat: LicenseId,
    ) -> ServiceResult<license::Model> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_tenant_write().await?;
        let row = license::Entity::find_by_id(seat)
            .filter(actor.scope().condition(license::Column::CustomerId))
            .one_by_key(&txn)
            .await?
            .ok_or(LicenseError::SeatNotFound)?;
        actor.require_billing_write()?;
        let Some(previous) = row.member_id else {
            return Ok(row);
        };
        license::Entity::update_many()
            .col_expr(
                license::Column::MemberId,
                Expr::value(Option::<MemberId>::None),
            )
            .filter(license::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            actor,
            request_id,
            &row,
            "license.unassign",
            Some(previous),
            None,
        )
        .await?;
        txn.commit(row.customer_id).await?;
        Ok(license::Model {
            member_id: None,
            ..row
        })
    }
}

async fn record<C: sea_orm::ConnectionTrait>(
    db: &C,
    actor: &crate::auth::AuthenticatedActor,
    request_id: Option<&str>,
    seat: &license::Model,
    action: &'static str,
    before: Option<MemberId>,
    after: Option<MemberId>,
) -> ServiceResult<()> {
    let member = |m: Option<MemberId>| json!({ "member": m.map(|id| id.to_string()) });
    audit::record(
        db,
        Some(actor),
        request_id,
        AuditEntry {
            customer: Some(seat.customer_id),
            action,
            subject_type: "license",
            subject_id: seat.id.to_string(),
            before: Some(member(before)),
            after: Some(member(after)),
        },
    )
    .await?;
    Ok(())
}

/// Inserts `count` unassigned seats on a license item: when a subscription is created with a
/// license item, and when a quote adds seats.
pub(crate) async fn insert_unassigned<C: sea_orm::ConnectionTrait>(
    db: &C,
    item: SubscriptionItemId,
    customer: CustomerId,
    count: u32,
    now: DateTime<Utc>,
) -> Result<Vec<LicenseId>, sea_orm::DbErr> {
    let ids: Vec<_> = (0..count).map(|_| LicenseId::new()).collect();
    // Batches keep each statement well under the databases' bound-parameter limits.
    for chunk in ids.chunks(500) {
        license::Entity::insert_many(chunk.iter().map(|id| license::ActiveModel {
            id: Set(*id),
            item_id: Set(item),
            customer_id: Set(customer),
            member_id: Set(None),
            created_at: Set(now),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(ids)
}
