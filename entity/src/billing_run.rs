//! `billing_runs`: one row per billing run, whoever started it, updated as it goes (counts and a
//! heartbeat) and when it ends. At most one row is `running` (a partial unique index).

use chrono::NaiveDate;
use ids::{BillingRunId, UserId};
use sea_orm::entity::prelude::*;

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RunStatus {
    /// Billing now.
    #[sea_orm(string_value = "running")]
    Running,
    /// Every due subscription was tried (some may have failed: see `failures`).
    #[sea_orm(string_value = "completed")]
    Completed,
    /// Stopped before the end (`error` says why); a rerun finishes the work.
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// Who started a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RunOrigin {
    /// Operator staff, through `startBillingRun` (`started_by` names the user).
    #[sea_orm(string_value = "staff")]
    Staff,
    /// The scheduler inside `billfold serve`.
    #[sea_orm(string_value = "scheduler")]
    Scheduler,
    /// `billfold bill`.
    #[sea_orm(string_value = "cli")]
    Cli,
}

/// One billing run.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "billing_runs")]
pub struct Model {
    /// UUIDv7, exposed as `brun_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: BillingRunId,
    /// The business date billed up to.
    pub as_of: NaiveDate,
    /// Workers that billed concurrently.
    pub workers: i32,
    /// Where it is.
    pub status: RunStatus,
    /// Who started it.
    pub origin: RunOrigin,
    /// The staff user, for a staff run.
    pub started_by: Option<UserId>,
    /// When it started.
    pub started_at: DateTimeUtc,
    /// Last sign of life; a `running` row whose heartbeat is long past was abandoned by a
    /// process that died, and the next run marks it failed.
    pub heartbeat_at: DateTimeUtc,
    /// When it ended.
    pub finished_at: Option<DateTimeUtc>,
    /// Subscriptions due when it started.
    pub due: i64,
    /// Invoices finalised so far (a subscription that missed periods gets several).
    pub invoiced: i64,
    /// Subscriptions whose period could not be billed so far.
    pub failed: i64,
    /// `[{"subscription_id": "sub_…", "code": "INTERNAL", "message": "…"}]`.
    pub failures: Json,
    /// Why a failed run stopped.
    pub error: Option<String>,
}

/// Billing runs have no relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
