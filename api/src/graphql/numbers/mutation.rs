//! Tariffs, numbers and calls (operator staff; `recordCalls` also for API keys with
//! `usage:write`).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;

use super::types::{
    Direction, PhoneNumber, PhoneNumberType, RecordCallsPayload, RerateCallsPayload, Tariff,
    TariffVersion,
};
use crate::graphql::context::ContextExt;
use crate::graphql::money::{Money, parse_id};
use crate::services::numbers::calls::CallFieldNames;
use crate::services::numbers::{CallInput, NewPhoneNumber, SpecInput};

/// A per-minute rate for a destination prefix.
#[derive(InputObject)]
pub struct TariffRateInput {
    /// Digits only, country code first (`33`, `336`); unique within the version.
    pub prefix: String,
    /// Price of one minute, exact decimal text ≥ 0, at most 12 decimals.
    pub rate_per_minute: String,
}

/// Input of `createTariff`.
#[derive(InputObject)]
pub struct CreateTariffInput {
    /// Name, 1 to 100 characters.
    pub name: String,
    /// ISO 4217 code (`EUR`); a number's tariff is in its customer's currency.
    pub currency: String,
    /// 1 to 20,000 rates; a destination is rated by its longest matching prefix.
    pub rates: Vec<TariffRateInput>,
    /// Seconds billed for the first block of a connected call, 1 to 3,600 (60 with 60:
    /// started minutes; 1 with 1: exact seconds).
    pub increment_first_seconds: i32,
    /// Seconds of each following block, 1 to 3,600.
    pub increment_next_seconds: i32,
    /// Least a connected call costs, connection fee included, exact decimal text.
    pub minimum_charge: String,
    /// Charged once per connected call, exact decimal text.
    pub connection_fee: String,
}

/// Input of `createTariffVersion`: the whole new version (the currency stays the tariff's).
#[derive(InputObject)]
pub struct CreateTariffVersionInput {
    /// The tariff (`trf_…`).
    pub tariff_id: ID,
    /// 1 to 20,000 rates.
    pub rates: Vec<TariffRateInput>,
    /// Seconds billed for the first block, 1 to 3,600.
    pub increment_first_seconds: i32,
    /// Seconds of each following block, 1 to 3,600.
    pub increment_next_seconds: i32,
    /// Least a connected call costs, connection fee included, exact decimal text.
    pub minimum_charge: String,
    /// Charged once per connected call, exact decimal text.
    pub connection_fee: String,
}

/// Result of `createTariff` and `createTariffVersion`.
#[derive(SimpleObject)]
pub struct TariffPayload {
    /// The tariff.
    pub tariff: Tariff,
    /// The version just written.
    pub tariff_version: TariffVersion,
}

/// Input of `addPhoneNumber`.
#[derive(InputObject)]
pub struct AddPhoneNumberInput {
    /// E.164 (`+33123456789`), not already sold.
    pub number: String,
    /// Its type.
    pub number_type: PhoneNumberType,
    /// The customer's recurring number or service item (`si_…`) whose price is the monthly
    /// rental of one number; it must have a unit free (numbers on it < its quantity).
    pub subscription_item_id: ID,
    /// The tariff (`trf_…`) its calls are rated with, in the customer's currency.
    pub tariff_id: ID,
    /// The day it was sold.
    pub sold_on: NaiveDate,
}

/// Result of `addPhoneNumber`.
#[derive(SimpleObject)]
pub struct AddPhoneNumberPayload {
    /// The number.
    pub phone_number: PhoneNumber,
}

/// Input of `releasePhoneNumber`.
#[derive(InputObject)]
pub struct ReleasePhoneNumberInput {
    /// The number (`num_…`).
    pub phone_number_id: ID,
    /// The day it is released, in the customer's time zone: from today to the end of its
    /// subscription's current period (default: today). From that day on it takes no calls.
    pub on: Option<NaiveDate>,
}

/// Result of `releasePhoneNumber`.
#[derive(SimpleObject)]
pub struct ReleasePhoneNumberPayload {
    /// The number, released (still listed with the customer's numbers).
    pub phone_number: PhoneNumber,
    /// Its rental item's quantity now: one unit fewer.
    pub subscription_item_quantity: u32,
    /// The unused days of its rental credited to the customer's balance, tax included (zero
    /// when the price does not credit removals).
    pub credited: Money,
}

/// One call to record.
#[derive(InputObject)]
pub struct CallRecordInput {
    /// The customer's number, E.164.
    pub number: String,
    /// When it started: RFC 3339, or `YYYY-MM-DD HH:MM:SS` in the customer's time zone.
    pub started_at: String,
    /// Connected seconds, 0 (not answered) to 86,400.
    pub duration_seconds: i32,
    /// Which way it went.
    pub direction: Direction,
    /// The other party, E.164.
    pub destination: String,
    /// The client's key for this call, 1 to 255 characters, unique per customer: sending it
    /// again is a duplicate, counted and skipped.
    pub idempotency_key: String,
}

/// Input of `recordCalls`.
#[derive(InputObject)]
pub struct RecordCallsInput {
    /// 1 to 10,000 calls. If any is invalid, none is recorded and the error lists every bad
    /// call (`extensions.records`: position from 0, field, message).
    pub calls: Vec<CallRecordInput>,
}

/// Input of `rerateCalls`.
#[derive(InputObject)]
pub struct RerateCallsInput {
    /// The tariff (`trf_…`) whose numbers' unrated calls are rated with its latest version.
    pub tariff_id: ID,
}

/// Numbers mutations.
#[derive(Default)]
pub struct NumbersMutation;

fn spec(
    rates: Vec<TariffRateInput>,
    first: i32,
    next: i32,
    minimum: String,
    fee: String,
) -> SpecInput {
    SpecInput {
        rates: rates
            .into_iter()
            .map(|r| (r.prefix, r.rate_per_minute))
            .collect(),
        increment_first_seconds: first,
        increment_next_seconds: next,
        minimum_charge: minimum,
        connection_fee: fee,
    }
}

#[Object]
impl NumbersMutation {
    /// Creates a tariff with its version 1 (operator staff). Every problem names its field
    /// (`input.rates.2.prefix` for a repeated prefix).
    async fn create_tariff(
        &self,
        ctx: &Context<'_>,
        input: CreateTariffInput,
    ) -> Result<TariffPayload> {
        let spec = spec(
            input.rates,
            input.increment_first_seconds,
            input.increment_next_seconds,
            input.minimum_charge,
            input.connection_fee,
        );
        let created = ctx
            .services()
            .numbers
            .create_tariff(
                ctx.actor(),
                ctx.request_id(),
                &input.name,
                &input.currency,
                &spec,
            )
            .await?;
        Ok(TariffPayload {
            tariff_version: TariffVersion(created.version.clone()),
            tariff: created.into(),
        })
    }

    /// Adds a version to a tariff (operator staff): calls recorded from now on are rated with
    /// it; calls already rated keep their version and amount.
    async fn create_tariff_version(
        &self,
        ctx: &Context<'_>,
        input: CreateTariffVersionInput,
    ) -> Result<TariffPayload> {
        let id = parse_id(&input.tariff_id, "input.tariffId")?;
        let spec = spec(
            input.rates,
            input.increment_first_seconds,
            input.increment_next_seconds,
            input.minimum_charge,
            input.connection_fee,
        );
        let created = ctx
            .services()
            .numbers
            .create_tariff_version(ctx.actor(), ctx.request_id(), id, &spec)
            .await?;
        Ok(TariffPayload {
            tariff_version: TariffVersion(created.version.clone()),
            tariff: created.into(),
        })
    }

    /// Sells a number to the customer of a recurring item (operator staff).
    async fn add_phone_number(
        &self,
        ctx: &Context<'_>,
        input: AddPhoneNumberInput,
    ) -> Result<AddPhoneNumberPayload> {
        let new = NewPhoneNumber {
            number: input.number,
            number_type: input.number_type.into(),
            subscription_item: parse_id(&input.subscription_item_id, "input.subscriptionItemId")?,
            tariff: parse_id(&input.tariff_id, "input.tariffId")?,
            sold_on: input.sold_on,
        };
        let row = ctx
            .services()
            .numbers
            .add_number(ctx.actor(), ctx.request_id(), new)
            .await?;
        Ok(AddPhoneNumberPayload {
            phone_number: PhoneNumber(row),
        })
    }

    /// Releases a number (operator staff): its rental item bills one unit fewer from the
    /// release day (prorated like a lowered quantity; unused days credited when the price
    /// credits removals), calls of it from that day on are refused, and it stays in the
    /// customer's history. `CONFLICT` when already released, when calls are recorded from that
    /// day on, or for its item's last unit; `BAD_USER_INPUT` on `input.on` for a day before
    /// today or after the current period.
    async fn release_phone_number(
        &self,
        ctx: &Context<'_>,
        input: ReleasePhoneNumberInput,
    ) -> Result<ReleasePhoneNumberPayload> {
        let id = parse_id(&input.phone_number_id, "input.phoneNumberId")?;
        let released = ctx
            .services()
            .numbers
            .release_number(ctx.actor(), ctx.request_id(), id, input.on)
            .await?;
        Ok(ReleasePhoneNumberPayload {
            phone_number: PhoneNumber(released.number),
            subscription_item_quantity: released.rental.after,
            credited: Money(released.rental.credited),
        })
    }

    /// Records calls (operator staff, or an API key with `usage:write`), each rated at
    /// ingestion with its number's tariff's latest version. Up to 10,000 calls, validated
    /// whole; duplicates by idempotency key counted and skipped; a call no prefix matches is
    /// stored unrated (counted in `unrated`), never refused.
    async fn record_calls(
        &self,
        ctx: &Context<'_>,
        input: RecordCallsInput,
    ) -> Result<RecordCallsPayload> {
        let calls: Vec<CallInput> = input
            .calls
            .into_iter()
            .map(|c| CallInput {
                number: c.number,
                started_at: c.started_at,
                duration_seconds: c.duration_seconds.to_string(),
                direction: match c.direction {
                    Direction::Outbound => "outbound",
                    Direction::Inbound => "inbound",
                }
                .to_owned(),
                destination: c.destination,
                idempotency_key: c.idempotency_key,
            })
            .collect();
        let recorded = ctx
            .services()
            .numbers
            .record_calls(ctx.actor(), &calls, CallFieldNames::GRAPHQL, 0)
            .await?;
        Ok(recorded.into())
    }

    /// Rates the unrated, not yet invoiced calls of a tariff's numbers with its latest
    /// version (operator staff), up to 1,000 per call; rated calls are never changed.
    async fn rerate_calls(
        &self,
        ctx: &Context<'_>,
        input: RerateCallsInput,
    ) -> Result<RerateCallsPayload> {
        let id = parse_id(&input.tariff_id, "input.tariffId")?;
        let done = ctx
            .services()
            .numbers
            .rerate_calls(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(done.into())
    }
}
