//! Tariff, number and call types.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::call_record::{self, CallDirection};
use entity::phone_number::{self, NumberType};
use entity::{tariff, tariff_version};

use crate::error::ServiceError;
use crate::graphql::context::ContextExt;
use crate::graphql::loaders::{CallNumbers, CustomerNames};
use crate::services::numbers::{CallsRecorded, Rerated, TariffWithVersion, tariff_of};

/// What kind of number it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(remote = "NumberType")]
pub enum PhoneNumberType {
    /// A landline number tied to an area.
    Geographic,
    /// A national number with no area.
    National,
    /// A mobile number.
    Mobile,
    /// A number free for callers.
    TollFree,
}

/// Which way a call went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
#[graphql(remote = "CallDirection", name = "CallDirection")]
pub enum Direction {
    /// Placed from the customer's number.
    Outbound,
    /// Received on the customer's number.
    Inbound,
}

/// A per-minute rate for destinations starting with a prefix.
#[derive(SimpleObject)]
pub struct TariffRate {
    /// Digits, country code first (`33`, `336`).
    pub prefix: String,
    /// Price of one minute, exact decimal text in the tariff's currency.
    pub rate_per_minute: String,
}

/// One immutable version of a tariff; calls keep the version they were rated with.
pub struct TariffVersion(pub tariff_version::Model);

#[Object]
impl TariffVersion {
    /// `trv_…`.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// 1, 2, …: the highest rates new calls.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Rates by prefix; the longest prefix of a destination wins.
    async fn rates(&self) -> Result<Vec<TariffRate>> {
        let t = tariff_of(&self.0)?;
        Ok(t.spec()
            .rates
            .iter()
            .map(|r| TariffRate {
                prefix: r.prefix.clone(),
                rate_per_minute: r.rate_per_minute.value().normalize().to_string(),
            })
            .collect())
    }
    /// How many prefixes it rates: what a list shows instead of every rate.
    async fn rate_count(&self) -> Result<usize> {
        Ok(tariff_of(&self.0)?.spec().rates.len())
    }
    /// Seconds billed for the first block of a connected call (60/60: started minutes).
    async fn increment_first_seconds(&self) -> Result<u32> {
        Ok(<(u32, u32)>::from(tariff_of(&self.0)?.spec().increment).0)
    }
    /// Seconds of each following block.
    async fn increment_next_seconds(&self) -> Result<u32> {
        Ok(<(u32, u32)>::from(tariff_of(&self.0)?.spec().increment).1)
    }
    /// Least a connected call costs, connection fee included, exact decimal text.
    async fn minimum_charge(&self) -> Result<String> {
        Ok(tariff_of(&self.0)?
            .spec()
            .minimum_charge
            .value()
            .normalize()
            .to_string())
    }
    /// Charged once per connected call, exact decimal text.
    async fn connection_fee(&self) -> Result<String> {
        Ok(tariff_of(&self.0)?
            .spec()
            .connection_fee
            .value()
            .normalize()
            .to_string())
    }
}

/// A telephone tariff (operator staff).
pub struct Tariff {
    /// The tariff.
    pub tariff: tariff::Model,
    /// Its latest version.
    pub version: tariff_version::Model,
}

impl From<TariffWithVersion> for Tariff {
    fn from(t: TariffWithVersion) -> Self {
        Self {
            tariff: t.tariff,
            version: t.version,
        }
    }
}

#[Object]
impl Tariff {
    /// `trf_…`.
    async fn id(&self) -> ID {
        ID(self.tariff.id.to_string())
    }
    /// Name staff know it by.
    async fn name(&self) -> &str {
        &self.tariff.name
    }
    /// ISO 4217 code of every amount of every version.
    async fn currency(&self) -> &str {
        &self.tariff.currency
    }
    /// The latest version: the one new calls are rated with.
    async fn current_version(&self) -> TariffVersion {
        TariffVersion(self.version.clone())
    }
    /// Every version, oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<TariffVersion>> {
        let rows = ctx
            .services()
            .numbers
            .tariff_versions(ctx.actor(), self.tariff.id)
            .await?;
        Ok(rows.into_iter().map(TariffVersion).collect())
    }
}

/// A telephone number sold to a customer. Its monthly rental is its subscription item's
/// recurring price, one unit per number.
pub struct PhoneNumber(pub phone_number::Model);

#[Object]
impl PhoneNumber {
    /// `num_…`.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// E.164 (`+33123456789`).
    async fn number(&self) -> &str {
        &self.0.e164
    }
    /// Its type.
    async fn number_type(&self) -> PhoneNumberType {
        self.0.number_type.into()
    }
    /// The day it was sold.
    async fn sold_on(&self) -> NaiveDate {
        self.0.sold_on
    }
    /// The day it was released (the customer's time zone): from then it takes no calls and
    /// its rental is no longer billed. Null while the customer holds it.
    async fn released_on(&self) -> Option<NaiveDate> {
        self.0.released_on
    }
    /// The subscription item (`si_…`) billing its rental.
    async fn subscription_item_id(&self) -> ID {
        ID(self.0.subscription_item_id.to_string())
    }
    /// The name of the tariff its calls are rated with.
    async fn tariff_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(ctx
            .services()
            .numbers
            .tariff_name(ctx.actor(), self.0.tariff_id)
            .await?)
    }
}

/// One call record, as operator staff see it.
pub struct CallRecord(pub call_record::Model);

impl CallRecord {
    /// The call's number and its tariff's name, batched with the page's other calls.
    async fn call_number(&self, ctx: &Context<'_>) -> Result<(String, String)> {
        let found = ctx
            .data::<DataLoader<CallNumbers>>()?
            .load_one(self.0.phone_number_id)
            .await?;
        Ok(found.ok_or_else(|| ServiceError::corrupt("call", "no number"))?)
    }
}

#[Object]
impl CallRecord {
    /// `call_…`.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The customer (`cus_…`).
    async fn customer_id(&self) -> ID {
        ID(self.0.customer_id.to_string())
    }
    /// The customer's name, read for a page of calls in one query.
    async fn customer_name(&self, ctx: &Context<'_>) -> Result<String> {
        let name = ctx
            .data::<DataLoader<CustomerNames>>()?
            .load_one(self.0.customer_id)
            .await?;
        name.ok_or_else(|| ServiceError::corrupt("call", "no customer").into())
    }
    /// The number (`num_…`).
    async fn phone_number_id(&self) -> ID {
        ID(self.0.phone_number_id.to_string())
    }
    /// The number the call was made from or to, E.164; read for a page of calls at once.
    async fn number(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.call_number(ctx).await?.0)
    }
    /// The name of the number's tariff: the one that found no prefix for an unrated call,
    /// and the one `rerateCalls` rates it with.
    async fn tariff_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.call_number(ctx).await?.1)
    }
    /// When the call started.
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    /// Connected seconds (0: not answered).
    async fn duration_seconds(&self) -> i32 {
        self.0.duration_seconds
    }
    /// Which way it went.
    async fn direction(&self) -> Direction {
        self.0.direction.into()
    }
    /// The other party, E.164.
    async fn destination(&self) -> &str {
        &self.0.destination
    }
    /// The client's key.
    async fn idempotency_key(&self) -> &str {
        &self.0.idempotency_key
    }
    /// The tariff version it was rated with; null while unrated.
    async fn tariff_version_id(&self) -> Option<ID> {
        self.0.tariff_version_id.map(|v| ID(v.to_string()))
    }
    /// Seconds billed after the increment; null while unrated.
    async fn billed_seconds(&self) -> Option<i64> {
        self.0.billed_seconds
    }
    /// The per-minute rate applied, exact decimal text; null while unrated.
    async fn rate_per_minute(&self) -> Option<&str> {
        self.0.rate_per_minute.as_deref()
    }
    /// The call's cost, rounded on its own; null while unrated.
    async fn amount(&self) -> Result<Option<crate::graphql::money::Money>> {
        let currency = billing::Currency::from_code(&self.0.currency)
            .map_err(|e| crate::error::ServiceError::corrupt("call currency", e))?;
        Ok(self
            .0
            .amount_minor
            .map(|m| crate::graphql::money::Money(billing::Money::from_minor(m, currency))))
    }
}

/// Result of `recordCalls`.
#[derive(SimpleObject)]
pub struct RecordCallsPayload {
    /// Calls received.
    pub received: u64,
    /// Calls written.
    pub inserted: u64,
    /// Calls skipped because their idempotency key was already recorded.
    pub duplicates: u64,
    /// Calls written without a rate (no prefix of their tariff matched): staff re-rate them
    /// with `rerateCalls` once the tariff has one.
    pub unrated: u64,
}

impl From<CallsRecorded> for RecordCallsPayload {
    fn from(r: CallsRecorded) -> Self {
        Self {
            received: r.received,
            inserted: r.inserted,
            duplicates: r.duplicates,
            unrated: r.unrated,
        }
    }
}

/// Result of `rerateCalls`.
#[derive(SimpleObject)]
pub struct RerateCallsPayload {
    /// Calls rated now.
    pub rated: u64,
    /// Calls still without a matching prefix.
    pub still_unrated: u64,
}

impl From<Rerated> for RerateCallsPayload {
    fn from(r: Rerated) -> Self {
        Self {
            rated: r.rated,
            still_unrated: r.still_unrated,
        }
    }
}
