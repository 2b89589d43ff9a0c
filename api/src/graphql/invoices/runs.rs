//! Billing runs for operator staff: start one (it goes on in the background), and read how far
//! it got and what failed. Customers get `FORBIDDEN`.

use async_graphql::connection::Connection;
use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::billing_run;
use ids::{BillingRunId, CustomerId, SubscriptionId};

use super::types::Invoice;
use crate::graphql::context::ContextExt;
use crate::graphql::errors::malformed_id;
use crate::graphql::loaders::SubscriptionCustomers;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::invoices::{RunFilter, StartRun};

/// Where a billing run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum BillingRunStatus {
    /// Billing now.
    Running,
    /// Every due subscription was tried (see `failures` for those that could not be billed).
    Completed,
    /// Stopped before the end (see `error`); a new run finishes the work.
    Failed,
}

impl From<BillingRunStatus> for billing_run::RunStatus {
    fn from(status: BillingRunStatus) -> Self {
        match status {
            BillingRunStatus::Running => billing_run::RunStatus::Running,
            BillingRunStatus::Completed => billing_run::RunStatus::Completed,
            BillingRunStatus::Failed => billing_run::RunStatus::Failed,
        }
    }
}

/// Who started a billing run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum BillingRunOrigin {
    /// Operator staff, with `startBillingRun`.
    Staff,
    /// The scheduler of `billfold serve`.
    Scheduler,
    /// `billfold bill` on the command line.
    Cli,
}

/// A subscription whose next period a run could not bill; the next run tries it again.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct BillingRunFailure {
    /// The subscription (`sub_…`).
    pub subscription_id: ID,
    /// The same, parsed: what its customer is looked up by (`None` for a malformed one).
    #[graphql(skip)]
    pub subscription: Option<SubscriptionId>,
    /// The error's code (`INTERNAL`, …).
    pub code: String,
    /// Why, as far as it may be told (an internal error's cause is in the server log).
    pub message: String,
}

#[ComplexObject]
impl BillingRunFailure {
    /// The subscription's customer (`cus_…`), read with the run's other failures at once
    /// (two queries); null if the subscription is gone.
    async fn customer_id(&self, ctx: &Context<'_>) -> Result<Option<ID>> {
        Ok(self.customer(ctx).await?.map(|(id, _)| id.into()))
    }
    /// That customer's name.
    async fn customer_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(self.customer(ctx).await?.map(|(_, name)| name))
    }
}

impl BillingRunFailure {
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<(CustomerId, String)>> {
        let Some(subscription) = self.subscription else {
            return Ok(None);
        };
        ctx.data::<DataLoader<SubscriptionCustomers>>()?
            .load_one(subscription)
            .await
    }
}

/// One billing run: one invoice per due subscription period, exactly once.
pub struct BillingRun(pub billing_run::Model);

#[Object]
impl BillingRun {
    /// Opaque id (`brun_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The business date billed up to: every period whose invoice date is on or before it.
    async fn as_of(&self) -> NaiveDate {
        self.0.as_of
    }
    /// Concurrent workers.
    async fn workers(&self) -> i32 {
        self.0.workers
    }
    /// Where it is.
    async fn status(&self) -> BillingRunStatus {
        match self.0.status {
            billing_run::RunStatus::Running => BillingRunStatus::Running,
            billing_run::RunStatus::Completed => BillingRunStatus::Completed,
            billing_run::RunStatus::Failed => BillingRunStatus::Failed,
        }
    }
    /// Who started it.
    async fn origin(&self) -> BillingRunOrigin {
        match self.0.origin {
            billing_run::RunOrigin::Staff => BillingRunOrigin::Staff,
            billing_run::RunOrigin::Scheduler => BillingRunOrigin::Scheduler,
            billing_run::RunOrigin::Cli => BillingRunOrigin::Cli,
        }
    }
    /// The staff user who started it (`usr_…`); null for the scheduler and the command line.
    async fn started_by(&self) -> Option<ID> {
        self.0.started_by.map(Into::into)
    }
    /// When it started.
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    /// When it ended; null while running.
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
    /// Subscriptions due when it started (written within a second of the start).
    async fn due(&self) -> i64 {
        self.0.due
    }
    /// Invoices finalised so far; more than `due` when subscriptions had missed periods.
    async fn invoiced(&self) -> i64 {
        self.0.invoiced
    }
    /// Subscriptions that could not be billed so far.
    async fn failed(&self) -> i64 {
        self.0.failed
    }
    /// Those subscriptions, with why.
    async fn failures(&self) -> Vec<BillingRunFailure> {
        self.0
            .failures
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| BillingRunFailure {
                subscription_id: ID(f["subscription_id"].as_str().unwrap_or_default().into()),
                subscription: f["subscription_id"].as_str().and_then(|s| s.parse().ok()),
                code: f["code"].as_str().unwrap_or_default().into(),
                message: f["message"].as_str().unwrap_or_default().into(),
            })
            .collect()
    }
    /// Why a failed run stopped; null otherwise.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    /// The invoices it finalised so far, newest first (runs recorded before invoices named
    /// their run list none).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many invoices (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last invoice of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, Invoice>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .invoices
            .of_run(ctx.actor(), self.0.id, &request)
            .await?;
        Ok(connection(page, Invoice))
    }
}

/// Billing-run queries (operator staff).
#[derive(Default)]
pub struct BillingRunsQuery;

#[Object]
impl BillingRunsQuery {
    /// One billing run (operator staff). `NOT_FOUND` when there is none with that id.
    async fn billing_run(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The run's id (`brun_…`).")] id: ID,
    ) -> Result<BillingRun> {
        let id: BillingRunId = id.parse().map_err(|e| malformed_id("id", e))?;
        let run = ctx.services().billing_runs.get(ctx.actor(), id).await?;
        Ok(BillingRun(run))
    }

    /// Billing runs, newest first, optionally only those in `status` or those with
    /// `failures` (operator staff).
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn billing_runs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only runs in this status.")] status: Option<BillingRunStatus>,
        #[graphql(
            desc = "`true`: only runs that could not bill some subscriptions (whatever their \
                    status); omitted or `false`: every run."
        )]
        with_failures: Option<bool>,
        #[graphql(desc = "How many runs (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last run of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, BillingRun>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = RunFilter {
            status: status.map(Into::into),
            with_failures: with_failures.unwrap_or(false),
        };
        let page = ctx
            .services()
            .billing_runs
            .list(ctx.actor(), filter, request)
            .await?;
        Ok(connection(page, BillingRun))
    }
}

/// Input of `startBillingRun`.
#[derive(InputObject)]
pub struct StartBillingRunInput {
    /// The business date to bill up to, `YYYY-MM-DD`, not after today (default: today).
    pub as_of: Option<String>,
    /// Concurrent workers, 1 to 16 (default: 1).
    pub workers: Option<i32>,
}

/// Result of `startBillingRun`.
#[derive(SimpleObject)]
pub struct StartBillingRunPayload {
    /// The run as it started (`RUNNING`); read `billingRun` for its progress.
    pub run: BillingRun,
}

/// Billing-run mutations (operator staff).
#[derive(Default)]
pub struct BillingRunsMutation;

#[Object]
impl BillingRunsMutation {
    /// Starts a billing run (operator staff) and answers at once; the run goes on in the
    /// background. `CONFLICT` while another run (staff, scheduled or command line) is running;
    /// `BAD_USER_INPUT` on `input.asOf` or `input.workers`.
    async fn start_billing_run(
        &self,
        ctx: &Context<'_>,
        input: StartBillingRunInput,
    ) -> Result<StartBillingRunPayload> {
        let services = ctx.services();
        let today = services.clock.now().date_naive();
        let run = services
            .billing_runs
            .start(
                ctx.actor(),
                ctx.request_id(),
                today,
                StartRun {
                    as_of: input.as_of,
                    workers: input.workers,
                },
            )
            .await?;
        Ok(StartBillingRunPayload {
            run: BillingRun(run),
        })
    }
}
