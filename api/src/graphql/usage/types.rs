//! Usage and API key types.

use async_graphql::{ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::api_key;

use crate::services::usage::keys::{Scope, scopes_of};
use crate::services::usage::{IngestReport, RecordInput};

/// One usage record to record.
#[derive(InputObject)]
pub struct UsageRecordInput {
    /// The metered subscription item (`si_…`), ChargeOver's `line_item_id`.
    pub subscription_item_id: ID,
    /// The quantity used, a decimal ≥ 0 as text (`"22"`, `"1.5"`), at most 12 decimals.
    pub quantity: String,
    /// Start of the span measured: RFC 3339 (`2026-05-01T00:00:00Z`) or `YYYY-MM-DD HH:MM:SS`
    /// (UTC). The record is billed in the period holding this instant's date.
    pub from: String,
    /// End of the span measured (not before `from`), the same forms.
    pub to: String,
    /// The client's key for this record, 1 to 255 characters, unique per customer: sending a
    /// record again with the same key is a duplicate, counted and skipped.
    pub idempotency_key: String,
    /// The member who used it (`mem_…`), one of the item's customer's.
    pub member_id: Option<ID>,
    /// The team it counts against (`team_…`), one of the item's customer's.
    pub team_id: Option<ID>,
    /// The telephone number it came from, E.164 (`+33123456789`).
    pub number: Option<String>,
    /// Free-form properties: a JSON object as text, at most 4 KiB.
    pub properties: Option<String>,
}

impl From<UsageRecordInput> for RecordInput {
    fn from(r: UsageRecordInput) -> Self {
        RecordInput {
            subscription_item: r.subscription_item_id.to_string(),
            quantity: r.quantity,
            from: r.from,
            to: r.to,
            idempotency_key: r.idempotency_key,
            member: r.member_id.map(|m| m.to_string()),
            team: r.team_id.map(|t| t.to_string()),
            number: r.number,
            properties: r.properties,
        }
    }
}

/// Input of `recordUsage`.
#[derive(InputObject)]
pub struct RecordUsageInput {
    /// 1 to 10,000 records. If any is invalid, none is recorded and the error lists every bad
    /// record (`extensions.records`: position from 0, field, message).
    pub records: Vec<UsageRecordInput>,
}

/// Result of `recordUsage`.
#[derive(SimpleObject)]
pub struct RecordUsagePayload {
    /// Records received.
    pub received: u64,
    /// Records written.
    pub inserted: u64,
    /// Records skipped because their idempotency key was already recorded.
    pub duplicates: u64,
}

impl From<IngestReport> for RecordUsagePayload {
    fn from(r: IngestReport) -> Self {
        Self {
            received: r.received,
            inserted: r.inserted,
            duplicates: r.duplicates,
        }
    }
}

/// An API key of a machine client (its secret is shown once, by `createApiKey`).
pub struct ApiKey(pub api_key::Model);

#[Object]
impl ApiKey {
    /// `key_…`.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// What the key is for.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The secret's first characters (`bf_…`), to recognise it.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }

    /// What the key may do.
    async fn scopes(&self) -> Vec<Scope> {
        scopes_of(&self.0)
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last authenticated a request (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// When it was revoked; a revoked key authenticates nothing.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}
