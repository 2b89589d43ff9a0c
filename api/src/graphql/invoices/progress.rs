//! `billingRunProgress`: a billing run's record as it changes, over WebSocket
//! (graphql-transport-ws at `/graphql/ws`, and `/admin/graphql/ws` for the console).

use async_graphql::{Context, ID, Result, Subscription};
use futures_util::{Stream, StreamExt};
use ids::BillingRunId;

use super::runs::BillingRun;
use crate::graphql::context::ContextExt;
use crate::graphql::errors::malformed_id;

/// Billing-run subscriptions (operator staff).
#[derive(Default)]
pub struct BillingRunsSubscription;

#[Subscription]
impl BillingRunsSubscription {
    /// A billing run as it goes (operator staff, support included): the run now, then each
    /// time its status or counts change (a few times a second at most), ending after the run
    /// ends with the run as it left it; a run that has ended yields once. `NOT_FOUND` when
    /// there is no run with that id; `FORBIDDEN` for customers.
    async fn billing_run_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The run's id (`brun_…`).")] id: ID,
    ) -> Result<impl Stream<Item = Result<BillingRun>> + use<>> {
        let id: BillingRunId = id.parse().map_err(|e| malformed_id("id", e))?;
        let runs = ctx.services().billing_runs.watch(ctx.actor(), id).await?;
        Ok(runs.map(|run| run.map(BillingRun).map_err(Into::into)))
    }
}
