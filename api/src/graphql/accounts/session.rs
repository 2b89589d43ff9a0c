//! Sign-in.

use async_graphql::{Context, Object, Result};

use super::types::{LoginInput, LoginPayload, User};
use crate::graphql::context::ContextExt;

/// Sign-in.
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
}
