//! Sign-in, and a signed-in user's change of password.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::types::{LoginInput, LoginPayload, User};
use crate::graphql::context::ContextExt;

/// Input of `changePassword`.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The user's current password.
    pub current_password: String,
    /// The new password, 12 to 1024 characters, not the current one.
    pub new_password: String,
}

/// Result of `changePassword`.
#[derive(SimpleObject)]
pub struct ChangePasswordPayload {
    /// A new bearer token for the caller: every token issued before the change, this
    /// request's included, is refused from now on.
    pub token: String,
    /// When the new token stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Sign-in and passwords.
#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Signs in with an e-mail and password and returns a bearer token. Wrong password and
    /// unknown e-mail give the same `UNAUTHENTICATED` answer.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<LoginPayload> {
        let outcome = ctx
            .services()
            .accounts
            .login(&input.email, &input.password, ctx.request_id())
            .await?;
        Ok(LoginPayload {
            token: outcome.token.token,
            expires_at: outcome.token.expires_at,
            user: User(outcome.user),
        })
    }

    /// Changes the signed-in user's own password (any role), once the current one is given.
    /// Every other session of the user ends: their tokens are refused from now on.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> Result<ChangePasswordPayload> {
        let token = ctx
            .services()
            .accounts
            .change_password(
                ctx.actor(),
                ctx.request_id(),
                &input.current_password,
                &input.new_password,
            )
            .await?;
        Ok(ChangePasswordPayload {
            token: token.token,
            expires_at: token.expires_at,
        })
    }
}
