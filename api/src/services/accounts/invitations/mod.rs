//! Owners invite people to become portal users of their organisation: an invitation names an
//! e-mail address and a role, and carries a single-use token valid for 7 days, sent through
//! the mail outbox as a link to the portal's accept page. Only the token's SHA-256 is stored
//! (the outbox row holds the token until the e-mail is sent). The invitee opens the link,
//! chooses a name and a password, and is signed in as a new user of the inviting organisation
//! only: the token decides the organisation, nothing the invitee sends does.
//!
//! A token is refused once expired, accepted, or revoked; an unknown one answers `NOT_FOUND`
//! ([`accept`]).

mod accept;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::user::UserRole;
use entity::{customer, invitation, user};
use ids::{CustomerId, InvitationId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::AccountError;
use super::session::AccountsService;
use crate::auth::{Actor, AuthenticatedActor, Role};
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::Email;
use crate::services::mail::{NewMessage, outbox};
use crate::storage::sha256_hex;

/// How long an invitation may be accepted.
pub const VALID_FOR: Duration = Duration::days(7);

/// Most open invitations an organisation may have: the list is read whole, never paged.
pub const MAX_OPEN_INVITATIONS: usize = 20;

/// Where an invitation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationState {
    /// Waiting for the invitee.
    Pending,
    /// Accepted: a user was created.
    Accepted,
    /// Withdrawn by an owner.
    Revoked,
    /// Not accepted in time.
    Expired,
}

/// The state of `row` at `now`.
pub fn state(row: &invitation::Model, now: DateTime<Utc>) -> InvitationState {
    if row.accepted_at.is_some() {
        InvitationState::Accepted
    } else if row.revoked_at.is_some() {
        InvitationState::Revoked
    } else if now >= row.expires_at {
        InvitationState::Expired
    } else {
        InvitationState::Pending
    }
}

/// A role as the invitation e-mail and the portal say it.
pub fn role_label(role: UserRole) -> &'static str {
    match role {
        UserRole::Owner => "owner",
        UserRole::BillingAdmin => "billing admin",
        UserRole::Viewer => "viewer",
        UserRole::Admin => "operator administrator",
        UserRole::Staff => "operator staff",
        UserRole::Support => "operator support",
    }
}

/// `FORBIDDEN` unless the actor is an owner of an organisation or operator staff: who may
/// change who uses the organisation.
pub fn require_owner(actor: &AuthenticatedActor) -> ServiceResult<()> {
    match actor.role {
        Role::Owner | Role::Admin | Role::Staff => Ok(()),
        Role::BillingAdmin | Role::Viewer | Role::Support => Err(ServiceError::Forbidden),
    }
}

/// A new token: 32 random bytes, URL-safe base64 (43 characters).
fn new_token() -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the audit log keeps of an invitation (never the token or its hash).
fn audited(row: &invitation::Model) -> serde_json::Value {
    json!({
        "email": row.email, "role": Role::from(row.role).as_str(), "expires_at": row.expires_at,
        "accepted_user_id": row.accepted_user_id.map(|u| u.to_string()),
        "revoked": row.revoked_at.is_some(),
    })
}

/// Invitations: sent by owners, accepted by anyone holding the token.
#[derive(Clone)]
pub struct InvitationsService {
    db: Db,
    accounts: AccountsService,
}

impl InvitationsService {
    /// A service over `db`, signing the invitee in with `accounts`.
    pub fn new(db: Db, accounts: AccountsService) -> Self {
        Self { db, accounts }
    }

    /// The invitations of `customer` still waiting for their invitee, newest first.
    pub async fn open(
        &self,
        actor: &Actor,
        customer: CustomerId,
        now: DateTime<Utc>,
    ) -> ServiceResult<Vec<invitation::Model>> {
        let scope = actor.authenticated()?.scope();
        Ok(invitation::Entity::find()
            .filter(scope.condition(invitation::Column::CustomerId))
            .filter(invitation::Column::CustomerId.eq(customer))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now))
            .order_by_desc(invitation::Column::CreatedAt)
            .order_by_desc(invitation::Column::Id)
            .limit(MAX_OPEN_INVITATIONS as u64)
            .all(self.db.reads())
            .await?)
    }

    /// Invites `email` to join `customer` as `role` (its owners, or staff); the e-mail with
    /// the link is queued in the same transaction. An open invitation to the same address is
    /// withdrawn: the newest link is the one that works.
    pub async fn invite(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        email: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> ServiceResult<invitation::Model> {
        let actor = actor.authenticated()?;
        let email = Email::parse(email)?.into_inner();
        if role.is_staff() {
            return Err(AccountError::StaffRoleForCustomer.into());
        }
        let token = new_token()?;
        let txn = self.db.begin_plain_write().await?;
        customer::Entity::find_by_id(customer)
            .filter(actor.scope().condition(customer::Column::Id))
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        require_owner(actor)?;
        if user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one_by_key(&txn)
            .await?
            .is_some()
        {
            return Err(AccountError::EmailTaken.into());
        }
        let open = || {
            invitation::Entity::find()
                .filter(invitation::Column::CustomerId.eq(customer))
                .filter(invitation::Column::AcceptedAt.is_null())
                .filter(invitation::Column::RevokedAt.is_null())
                .filter(invitation::Column::ExpiresAt.gt(now))
        };
        let replaced = open()
            .filter(invitation::Column::Email.eq(&email))
            .all(&txn)
            .await?;
        for previous in &replaced {
            withdraw(&txn, actor, request_id, previous, now).await?;
        }
        if open().count(&txn).await? >= MAX_OPEN_INVITATIONS as u64 {
            return Err(AccountError::TooManyInvitations {
                max: MAX_OPEN_INVITATIONS,
            }
            .into());
        }
        let row = invitation::Model {
            id: InvitationId::new(),
            customer_id: customer,
            email,
            role: role.into(),
            token_hash: sha256_hex(token.as_bytes()),
            invited_by: Some(actor.user_id),
            expires_at: now + VALID_FOR,
            accepted_at: None,
            accepted_user_id: None,
            revoked_at: None,
            created_at: now,
        };
        invitation::Entity::insert(invitation::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await?;
        outbox::enqueue(
            &txn,
            vec![NewMessage::invitation(customer, row.id, &row.email, &token)],
            now,
        )
        .await?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(customer),
                action: "invitation.create",
                subject_type: "invitation",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(audited(&row)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Withdraws an open invitation (its organisation's owners, or staff): its link stops
    /// working. One accepted or withdrawn already is refused.
    pub async fn revoke(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: InvitationId,
        now: DateTime<Utc>,
    ) -> ServiceResult<invitation::Model> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_plain_write().await?;
        let row = invitation::Entity::find_by_id(id)
            .filter(actor.scope().condition(invitation::Column::CustomerId))
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::InvitationNotFound)?;
        require_owner(actor)?;
        match state(&row, now) {
            InvitationState::Accepted => return Err(AccountError::InvitationUsed.into()),
            InvitationState::Revoked => return Err(AccountError::InvitationRevoked.into()),
            InvitationState::Pending | InvitationState::Expired => {}
        }
        let after = withdraw(&txn, actor, request_id, &row, now).await?;
        txn.commit().await?;
        Ok(after)
    }
}

/// Marks `row` withdrawn, with its audit entry; the row as it is now.
async fn withdraw<C: sea_orm::ConnectionTrait>(
    txn: &C,
    actor: &AuthenticatedActor,
    request_id: Option<&str>,
    row: &invitation::Model,
    now: DateTime<Utc>,
) -> ServiceResult<invitation::Model> {
    invitation::Entity::update_many()
        .col_expr(invitation::Column::RevokedAt, Expr::value(Some(now)))
        .filter(invitation::Column::Id.eq(row.id))
        .exec(txn)
        .await?;
    let after = invitation::Model {
        revoked_at: Some(now),
        ..row.clone()
    };
    audit::record(
        txn,
        Some(actor),
        request_id,
        AuditEntry {
            customer: Some(row.customer_id),
            action: "invitation.revoke",
            subject_type: "invitation",
            subject_id: row.id.to_string(),
            before: Some(audited(row)),
            after: Some(audited(&after)),
        },
    )
    .await?;
    Ok(after)
}
