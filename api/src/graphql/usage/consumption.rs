//! Detailed consumption as the organisation reads it: `Customer.consumption(filter)`, a
//! selection with its totals, per-day series, records and calls (Relay connections,
//! [`super::consumption_calls`]) and the addresses of its exports. Another organisation's team,
//! member or item answers `NOT_FOUND`.

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::customer;

use super::consumption_calls::{ConsumptionCall, ConsumptionCallTotals, ConsumptionType};
use crate::graphql::context::ContextExt;
use crate::graphql::money::{Money, parse_id};
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::usage::consumption::{
    ConsumptionKind, ConsumptionQuery, ConsumptionRecord as Record, ItemSeries, ItemTotal,
    Selection, Summary,
};

/// The usage-side fields of `Customer`.
pub struct CustomerConsumption(pub(crate) Arc<customer::Model>);

#[Object]
impl CustomerConsumption {
    /// The organisation's usage and calls for a selection: by default its current billing
    /// period, every type, team, member, number and metered item. Days are the organisation's
    /// (its time zone).
    async fn consumption(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to select; every part optional.")] filter: Option<ConsumptionFilter>,
    ) -> Result<Consumption> {
        let query = filter.map(ConsumptionFilter::parse).transpose()?;
        let services = ctx.services();
        let selection = services
            .consumption
            .select(ctx.actor(), &self.0, &query.unwrap_or_default())
            .await?;
        let summary = services.consumption.summary(&selection).await?;
        Ok(Consumption {
            selection: Arc::new(selection),
            summary,
        })
    }
}

/// Which usage records and calls to select. Calls carry a number but no team, member or
/// metered item: a team, member or item filter selects usage records only.
#[derive(InputObject, Default)]
pub struct ConsumptionFilter {
    /// First day, inclusive, in the organisation's time zone; default: the current billing
    /// period's first day.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive; default: the current billing period's last day. At most 366 days
    /// after `from`.
    pub to: Option<NaiveDate>,
    /// Only records counted against this team (`team_…`).
    pub team_id: Option<ID>,
    /// Only records of this member (`mem_…`).
    pub member_id: Option<ID>,
    /// Only records of this metered subscription item (`si_…`), e.g. one product.
    pub item_id: Option<ID>,
    /// Only records from this telephone number (exact, E.164), and the calls of that number
    /// when it is one of the organisation's.
    pub number: Option<String>,
    /// Only usage records, or only calls; both when absent.
    #[graphql(name = "type")]
    pub kind: Option<ConsumptionType>,
}

impl ConsumptionFilter {
    fn parse(self) -> Result<ConsumptionQuery, crate::error::ServiceError> {
        Ok(ConsumptionQuery {
            from: self.from,
            to: self.to,
            team: self
                .team_id
                .as_ref()
                .map(|id| parse_id(id, "teamId"))
                .transpose()?,
            member: self
                .member_id
                .as_ref()
                .map(|id| parse_id(id, "memberId"))
                .transpose()?,
            item: self
                .item_id
                .as_ref()
                .map(|id| parse_id(id, "itemId"))
                .transpose()?,
            number: self.number,
            kind: self.kind.map(ConsumptionKind::from),
        })
    }
}

/// A selection of usage records and calls with its totals.
pub struct Consumption {
    selection: Arc<Selection>,
    summary: Summary,
}

#[Object]
impl Consumption {
    /// First day of the selection (the default filled in).
    async fn from(&self) -> NaiveDate {
        self.selection.from
    }

    /// Last day of the selection, inclusive.
    async fn to(&self) -> NaiveDate {
        self.selection.to
    }

    /// The IANA time zone the days are in.
    async fn time_zone(&self) -> String {
        self.selection.tz.name().to_owned()
    }

    /// Every metered item of the organisation, what the item filter chooses from.
    async fn items(&self) -> Vec<ConsumptionItem> {
        self.selection
            .items
            .iter()
            .map(|i| ConsumptionItem {
                id: ID(i.id.to_string()),
                product: i.product.clone(),
            })
            .collect()
    }

    /// How many usage records the selection holds.
    async fn record_count(&self) -> u64 {
        self.summary.records()
    }

    /// The type filter, when one is set.
    #[graphql(name = "type")]
    async fn kind(&self) -> Option<ConsumptionType> {
        self.selection.kind.map(ConsumptionType::from)
    }

    /// The calls' totals and per-day series; null when the selection holds no calls by its
    /// filters (only usage, or a team, member, item or number filter calls do not match).
    async fn call_totals(&self) -> Option<ConsumptionCallTotals> {
        self.summary.calls.clone().map(ConsumptionCallTotals)
    }

    /// The calls, oldest first (by start, then id): what the exports list after the records,
    /// in that order.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn calls(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many calls (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last call of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, ConsumptionCall>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .consumption
            .calls(&self.selection, &request)
            .await?;
        let tz = self.selection.tz;
        Ok(connection(page, |call| ConsumptionCall { call, tz }))
    }

    /// One total per metered item with records in the selection.
    async fn totals(&self) -> Vec<ConsumptionTotal> {
        self.summary
            .totals
            .iter()
            .map(|t| ConsumptionTotal(t.clone()))
            .collect()
    }

    /// One series per item of `totals`: its quantity on every day of the selection.
    async fn series(&self) -> Vec<ConsumptionSeries> {
        self.summary
            .series
            .iter()
            .map(|s| ConsumptionSeries(s.clone()))
            .collect()
    }

    /// The records, oldest first (by start, then id): what the exports list, in that order.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many records (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last record of the previous page.")] after: Option<String>,
    ) -> Result<Connection<String, ConsumptionRecord>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let page = ctx
            .services()
            .consumption
            .records(&self.selection, &request)
            .await?;
        let tz = self.selection.tz;
        Ok(connection(page, |record| ConsumptionRecord { record, tz }))
    }

    /// Where this exact selection is downloaded (signed-in session or bearer token).
    async fn exports(&self) -> ConsumptionExports {
        let query = export_query(&self.selection);
        ConsumptionExports {
            csv: format!("/exports/consumption.csv?{query}"),
            html: format!("/exports/consumption.html?{query}"),
            pdf: format!("/exports/consumption.pdf?{query}"),
        }
    }
}

/// The query string naming `selection` on the export routes.
fn export_query(selection: &Selection) -> String {
    let mut parts = vec![
        format!("from={}", selection.from),
        format!("to={}", selection.to),
    ];
    if let Some((team, _)) = &selection.team {
        parts.push(format!("teamId={team}"));
    }
    if let Some((member, _)) = &selection.member {
        parts.push(format!("memberId={member}"));
    }
    if let Some(item) = selection.item {
        parts.push(format!("itemId={item}"));
    }
    if let Some(number) = &selection.number {
        parts.push(format!("number={}", percent(number)));
    }
    match selection.kind {
        Some(ConsumptionKind::Usage) => parts.push("type=usage".to_owned()),
        Some(ConsumptionKind::Calls) => parts.push("type=calls".to_owned()),
        None => {}
    }
    parts.join("&")
}

/// `text` percent-encoded for a query string (everything but unreserved characters).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A metered item the item filter offers.
#[derive(SimpleObject)]
pub struct ConsumptionItem {
    /// The subscription item (`si_…`).
    id: ID,
    /// Its product's name.
    product: String,
}

/// The export addresses of a selection.
#[derive(SimpleObject)]
pub struct ConsumptionExports {
    /// Every record and call as CSV, streamed.
    csv: String,
    /// A printable HTML page.
    html: String,
    /// A PDF (the first 2,000 records and calls; it says so when there are more).
    pdf: String,
}

/// One item's total over a selection.
pub struct ConsumptionTotal(ItemTotal);

#[Object]
impl ConsumptionTotal {
    /// The metered item (`si_…`).
    async fn item_id(&self) -> ID {
        ID(self.0.item.to_string())
    }

    /// Its product's name.
    async fn product(&self) -> &str {
        &self.0.product
    }

    /// How many records.
    async fn records(&self) -> u64 {
        self.0.records
    }

    /// The exact sum of their quantities, decimal text.
    async fn quantity(&self) -> String {
        self.0.quantity.to_string()
    }

    /// What that quantity costs at the item's price, rounded like an invoice line; null when
    /// the price (tiered, package, flat) applies only to a whole period's total, which its
    /// invoice shows.
    async fn amount(&self) -> Option<Money> {
        self.0.amount.map(Money)
    }
}

/// One item's quantity per day.
pub struct ConsumptionSeries(ItemSeries);

#[Object]
impl ConsumptionSeries {
    /// The metered item (`si_…`).
    async fn item_id(&self) -> ID {
        ID(self.0.item.to_string())
    }

    /// Its product's name.
    async fn product(&self) -> &str {
        &self.0.product
    }

    /// Every day of the selection, in order, zero when unused.
    async fn days(&self) -> Vec<ConsumptionDay> {
        self.0
            .points
            .iter()
            .map(|(date, quantity)| ConsumptionDay {
                date: *date,
                quantity: quantity.to_string(),
            })
            .collect()
    }
}

/// One day of a series.
#[derive(SimpleObject)]
pub struct ConsumptionDay {
    /// The day, in the organisation's time zone.
    date: NaiveDate,
    /// The exact sum of the quantities of that day's records, decimal text.
    quantity: String,
}

/// One usage record of a selection.
pub struct ConsumptionRecord {
    record: Record,
    tz: billing::Tz,
}

#[Object]
impl ConsumptionRecord {
    /// `usg_…`.
    async fn id(&self) -> ID {
        ID(self.record.row.id.to_string())
    }

    /// Start of the span measured.
    async fn from(&self) -> DateTime<Utc> {
        self.record.row.from_at
    }

    /// End of the span measured.
    async fn to(&self) -> DateTime<Utc> {
        self.record.row.to_at
    }

    /// The start as a local date and time of the organisation ("2026-11-03 14:05").
    async fn local_start(&self) -> String {
        self.record
            .row
            .from_at
            .with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// The metered item (`si_…`).
    async fn item_id(&self) -> ID {
        ID(self.record.row.subscription_item_id.to_string())
    }

    /// Its product's name.
    async fn product(&self) -> &str {
        &self.record.product
    }

    /// The quantity, exact decimal text.
    async fn quantity(&self) -> &str {
        &self.record.row.quantity
    }

    /// The member's name, when the record names one.
    async fn member(&self) -> Option<&str> {
        self.record.member.as_deref()
    }

    /// The team's name, when the record names one.
    async fn team(&self) -> Option<&str> {
        self.record.team.as_deref()
    }

    /// The telephone number it came from.
    async fn number(&self) -> Option<&str> {
        self.record.row.number.as_deref()
    }

    /// Whether an invoice has billed it.
    async fn invoiced(&self) -> bool {
        self.record.row.invoice_id.is_some()
    }
}
