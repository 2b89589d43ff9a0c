//! Recording usage and managing API keys.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::types::{ApiKey, RecordUsageInput, RecordUsagePayload};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::usage::{FieldNames, RecordInput, Scope};

/// Input of `createApiKey`.
#[derive(InputObject)]
pub struct CreateApiKeyInput {
    /// What the key is for, 1 to 100 characters.
    pub name: String,
    /// What it may do (at least one).
    pub scopes: Vec<Scope>,
}

/// Result of `createApiKey`.
#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    /// The key.
    pub api_key: ApiKey,
    /// The secret (`bf_…`) to send as `Authorization: Bearer …`. Shown this once: only its
    /// hash is kept.
    pub secret: String,
}

/// Input of `revokeApiKey`.
#[derive(InputObject)]
pub struct RevokeApiKeyInput {
    /// The key (`key_…`).
    pub api_key_id: ID,
}

/// Result of `revokeApiKey`.
#[derive(SimpleObject)]
pub struct RevokeApiKeyPayload {
    /// The key, revoked.
    pub api_key: ApiKey,
}

/// Usage mutations.
#[derive(Default)]
pub struct UsageMutation;

#[Object]
impl UsageMutation {
    /// Records usage against metered subscription items (operator staff, or an API key with
    /// `usage:write`): up to 10,000 records, validated whole (one bad record refuses the batch,
    /// every bad record listed, nothing written), duplicates by idempotency key counted and
    /// skipped. The records are billed in arrears on their period's invoice.
    async fn record_usage(
        &self,
        ctx: &Context<'_>,
        input: RecordUsageInput,
    ) -> Result<RecordUsagePayload> {
        let records: Vec<RecordInput> = input.records.into_iter().map(Into::into).collect();
        let recorded = ctx
            .services()
            .usage
            .record(ctx.actor(), &records, FieldNames::GRAPHQL, 0)
            .await?;
        Ok(recorded.report.into())
    }

    /// Creates an API key for a machine client (operator admin, signed in). The secret is in
    /// the payload, once.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        input: CreateApiKeyInput,
    ) -> Result<CreateApiKeyPayload> {
        let created = ctx
            .services()
            .api_keys
            .create(ctx.actor(), ctx.request_id(), &input.name, &input.scopes)
            .await?;
        Ok(CreateApiKeyPayload {
            api_key: ApiKey(created.row),
            secret: created.secret,
        })
    }

    /// Revokes an API key (operator admin): it authenticates nothing from now on.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiKeyInput,
    ) -> Result<RevokeApiKeyPayload> {
        let id = parse_id(&input.api_key_id, "input.apiKeyId")?;
        let row = ctx
            .services()
            .api_keys
            .revoke(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(RevokeApiKeyPayload {
            api_key: ApiKey(row),
        })
    }
}
