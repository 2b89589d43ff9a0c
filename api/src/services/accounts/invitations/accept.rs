//! Following an invitation's link: reading what it opens, and accepting it, which creates the
//! user in the invitation's organisation and signs them in.

use chrono::{DateTime, Utc};
use entity::{customer, invitation, user};
use ids::UserId;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{InvitationState, InvitationsService, audited, state};
use crate::auth::{AuthenticatedActor, hash_password};
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::accounts::AccountError;
use crate::services::accounts::organisations::MIN_PASSWORD_LEN;
use crate::services::accounts::session::{LoginOutcome, MAX_PASSWORD_LEN};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;
use crate::storage::sha256_hex;

impl InvitationsService {
    /// The invitation a token opens, with its organisation, while it may be accepted: what
    /// the accept page shows. Refused like [`InvitationsService::accept`].
    pub async fn preview(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<(invitation::Model, customer::Model)> {
        let row = self.by_token(token, now).await?;
        let organisation = customer::Entity::find_by_id(row.customer_id)
            .one_by_key(self.db.reads())
            .await?
            .ok_or(AccountError::InvitationNotFound)?;
        Ok((row, organisation))
    }

    /// Accepts the invitation `token` opens: creates the user (the invitation's e-mail and
    /// role, in its organisation) with `name` and `password`, marks the invitation used, and
    /// signs the new user in.
    pub async fn accept(
        &self,
        request_id: Option<&str>,
        token: &str,
        name: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<LoginOutcome> {
        let found = self.by_token(token, now).await?;
        let name = RequiredText::parse("input.name", name, 200)?.into_inner();
        if password.chars().count() < MIN_PASSWORD_LEN || password.len() > MAX_PASSWORD_LEN {
            return Err(AccountError::PasswordLength {
                field: "input.password",
                min: MIN_PASSWORD_LEN,
            }
            .into());
        }
        let password = password.to_owned();
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(ServiceError::internal)?
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        let user = user::Model {
            id: UserId::new(),
            email: found.email.clone(),
            name,
            password_hash,
            role: found.role,
            customer_id: Some(found.customer_id),
            disabled: false,
            session_version: 0,
            created_at: now,
        };
        let taken = || ServiceError::Refused {
            reason: "EMAIL_TAKEN",
            message: format!(
                "{} already signs in to Billfold: sign in instead",
                found.email
            ),
        };
        let txn = self.db.begin_plain_write().await?;
        // Only while still open: of two acceptances at once, one creates the user.
        let claimed = invitation::Entity::update_many()
            .col_expr(invitation::Column::AcceptedAt, Expr::value(Some(now)))
            .col_expr(
                invitation::Column::AcceptedUserId,
                Expr::value(Some(user.id)),
            )
            .filter(invitation::Column::Id.eq(found.id))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(AccountError::InvitationUsed.into());
        }
        if user::Entity::find()
            .filter(user::Column::Email.eq(&user.email))
            .one_by_key(&txn)
            .await?
            .is_some()
        {
            return Err(taken());
        }
        user::Entity::insert(user::ActiveModel::from(user.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(taken))?;
        let new_user = AuthenticatedActor {
            user_id: user.id,
            role: user.role.into(),
            tenant: user.customer_id,
        };
        let accepted = invitation::Model {
            accepted_at: Some(now),
            accepted_user_id: Some(user.id),
            ..found.clone()
        };
        audit::record(
            &txn,
            Some(&new_user),
            request_id,
            AuditEntry {
                customer: Some(found.customer_id),
                action: "invitation.accept",
                subject_type: "invitation",
                subject_id: found.id.to_string(),
                before: Some(audited(&found)),
                after: Some(audited(&accepted)),
            },
        )
        .await?;
        audit::record(
            &txn,
            Some(&new_user),
            request_id,
            AuditEntry {
                customer: Some(found.customer_id),
                action: "user.create",
                subject_type: "user",
                subject_id: user.id.to_string(),
                before: None,
                after: Some(json!({ "email": user.email, "role": new_user.role.as_str(),
                                    "invitation": found.id.to_string() })),
            },
        )
        .await?;
        txn.commit().await?;
        let token = self.accounts.issue_token(&user)?;
        Ok(LoginOutcome { token, user })
    }

    /// The open invitation `token` opens; `NOT_FOUND` when none has it, the reason when it
    /// can no longer be accepted.
    async fn by_token(&self, token: &str, now: DateTime<Utc>) -> ServiceResult<invitation::Model> {
        // Tokens are 43 characters: anything much longer is not one (and not worth hashing).
        if token.is_empty() || token.len() > 128 {
            return Err(AccountError::InvitationNotFound.into());
        }
        let row = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(sha256_hex(token.trim().as_bytes())))
            .one_by_key(self.db.reads())
            .await?
            .ok_or(AccountError::InvitationNotFound)?;
        match state(&row, now) {
            InvitationState::Pending => Ok(row),
            InvitationState::Accepted => Err(AccountError::InvitationUsed.into()),
            InvitationState::Revoked => Err(AccountError::InvitationRevoked.into()),
            InvitationState::Expired => Err(AccountError::InvitationExpired.into()),
        }
    }
}
