//! The calls of a consumption selection: their totals and per-day series
//! (`Consumption.callTotals`) and the calls themselves (`Consumption.calls`, a Relay
//! connection), as the organisation reads them.

use async_graphql::{Enum, ID, Object, Result};
use billing::CallSummary;
use chrono::{DateTime, NaiveDate, Utc};

use crate::graphql::money::Money;
use crate::graphql::numbers::Direction;
use crate::services::usage::consumption::{CallLine, CallTotals, ConsumptionKind};

/// What a consumption selection holds.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "ConsumptionKind")]
pub enum ConsumptionType {
    /// Usage records of metered items only.
    Usage,
    /// Calls of the organisation's numbers only.
    Calls,
}

/// The calls of a selection, summed: every amount is the sum of each rated call's rounded
/// cost, as on the invoice.
pub struct ConsumptionCallTotals(pub(super) CallTotals);

#[Object]
impl ConsumptionCallTotals {
    /// Every call of the selection, rated or not.
    async fn calls(&self) -> u64 {
        self.0.calls
    }

    /// Calls no rate of their number's tariff matches yet: no cost until the operator
    /// re-rates them.
    async fn unrated(&self) -> u64 {
        self.0.unrated
    }

    /// Seconds billed for the rated calls, each after its tariff's increment and minimum.
    async fn billed_seconds(&self) -> u64 {
        self.0.rated.billed_seconds()
    }

    /// The same in minutes, decimal text to the hundredth.
    async fn billed_minutes(&self) -> String {
        self.0.rated.billed_minutes().to_string()
    }

    /// What the rated calls cost.
    async fn amount(&self) -> Money {
        Money(self.0.rated.amount())
    }

    /// Every day of the selection, in order, with its rated calls (zero when none).
    async fn days(&self) -> Vec<ConsumptionCallDay> {
        self.0
            .days
            .iter()
            .map(|(date, summary)| ConsumptionCallDay {
                date: *date,
                summary: *summary,
            })
            .collect()
    }
}

/// One day of the calls' series.
pub struct ConsumptionCallDay {
    date: NaiveDate,
    summary: CallSummary,
}

#[Object]
impl ConsumptionCallDay {
    /// The day, in the organisation's time zone.
    async fn date(&self) -> NaiveDate {
        self.date
    }

    /// Rated calls started that day.
    async fn calls(&self) -> u64 {
        self.summary.calls()
    }

    /// Their billed minutes, decimal text to the hundredth.
    async fn billed_minutes(&self) -> String {
        self.summary.billed_minutes().to_string()
    }

    /// What they cost.
    async fn amount(&self) -> Money {
        Money(self.summary.amount())
    }
}

/// One call of a selection.
pub struct ConsumptionCall {
    pub(super) call: CallLine,
    pub(super) tz: billing::Tz,
}

#[Object]
impl ConsumptionCall {
    /// `call_…`.
    async fn id(&self) -> ID {
        ID(self.call.row.id.to_string())
    }

    /// When it started.
    async fn started_at(&self) -> DateTime<Utc> {
        self.call.row.started_at
    }

    /// The start as a local date and time of the organisation ("2026-11-03 14:05").
    async fn local_start(&self) -> String {
        self.call
            .row
            .started_at
            .with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// The organisation's number (E.164).
    async fn number(&self) -> &str {
        &self.call.number
    }

    /// Which way it went.
    async fn direction(&self) -> Direction {
        self.call.row.direction.into()
    }

    /// The other party, E.164.
    async fn destination(&self) -> &str {
        &self.call.row.destination
    }

    /// Connected seconds (0: not answered).
    async fn duration_seconds(&self) -> i32 {
        self.call.row.duration_seconds
    }

    /// Seconds billed after the tariff's increment and minimum; null while unrated.
    async fn billed_seconds(&self) -> Option<i64> {
        self.call.row.billed_seconds
    }

    /// Its cost, rounded on its own; null while unrated.
    async fn amount(&self) -> Result<Option<Money>> {
        Ok(self.call.amount()?.map(Money))
    }

    /// Whether an invoice has billed it.
    async fn invoiced(&self) -> bool {
        self.call.row.invoice_id.is_some()
    }
}
