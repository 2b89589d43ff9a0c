//! The checks of one call: what a batch refers to, loaded once ([`load_refs`]), and each call
//! checked against it ([`validate`]), every problem named by field, then rated.

use std::collections::{HashMap, HashSet};

use billing::{Tariff, Tz};
use chrono::{DateTime, Utc};
use entity::call_record::{self, CallDirection};
use entity::{customer, phone_number, subscription_item, tariff_version};
use ids::{
    CallRecordId, CustomerId, SubscriptionId, SubscriptionItemId, TariffId, TariffVersionId,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::calls::{
    CallFieldNames, CallInput, IDS_PER_QUERY, MAX_DURATION_SECONDS, MAX_KEY_LEN, rate,
};
use super::is_e164;
use super::tariffs::tariff_of;
use crate::error::{RecordProblem, ServiceResult};
use crate::services::usage::ingest::{
    UsageWindow, parse_instant, refused_by_window, usage_windows,
};

/// What a batch refers to, loaded once.
pub(super) struct Refs {
    /// The batch's numbers by E.164.
    numbers: HashMap<String, phone_number::Model>,
    /// Each number's customer's time zone.
    zones: HashMap<CustomerId, Tz>,
    /// Each tariff's latest version, and how `billing` rates with it.
    tariffs: HashMap<TariffId, (TariffVersionId, Tariff)>,
    /// The subscription of each number's rental item, and when it takes calls.
    subscriptions: HashMap<SubscriptionItemId, SubscriptionId>,
    /// When each of those subscriptions takes calls.
    windows: HashMap<SubscriptionId, UsageWindow>,
}

fn problem(field: &str, message: impl Into<String>) -> RecordProblem {
    RecordProblem {
        position: 0,
        field: field.to_owned(),
        message: message.into(),
        not_found: false,
    }
}

/// Loads what `calls` refer to.
pub(super) async fn load_refs<C: ConnectionTrait>(
    txn: &C,
    calls: &[CallInput],
) -> ServiceResult<Refs> {
    let wanted: Vec<String> = calls
        .iter()
        .map(|c| c.number.trim().to_owned())
        .filter(|n| is_e164(n))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut numbers = HashMap::new();
    for chunk in wanted.chunks(IDS_PER_QUERY) {
        for n in phone_number::Entity::find()
            .filter(phone_number::Column::E164.is_in(chunk.iter().map(String::as_str)))
            .all(txn)
            .await?
        {
            numbers.insert(n.e164.clone(), n);
        }
    }
    let customers: Vec<CustomerId> = numbers
        .values()
        .map(|n| n.customer_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut zones = HashMap::new();
    for chunk in customers.chunks(IDS_PER_QUERY) {
        for c in customer::Entity::find()
            .filter(customer::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            zones.insert(c.id, crate::services::accounts::rows::time_zone(&c)?);
        }
    }
    let tariff_ids: Vec<TariffId> = numbers
        .values()
        .map(|n| n.tariff_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut tariffs = HashMap::new();
    for chunk in tariff_ids.chunks(IDS_PER_QUERY) {
        let versions = tariff_version::Entity::find()
            .filter(tariff_version::Column::TariffId.is_in(chunk.iter().copied()))
            .order_by_asc(tariff_version::Column::Version)
            .all(txn)
            .await?;
        // Ascending: the last one inserted per tariff is its latest version.
        let mut latest: HashMap<TariffId, tariff_version::Model> = HashMap::new();
        for v in versions {
            latest.insert(v.tariff_id, v);
        }
        for (id, v) in latest {
            tariffs.insert(id, (v.id, tariff_of(&v)?));
        }
    }
    let items: Vec<SubscriptionItemId> = numbers
        .values()
        .map(|n| n.subscription_item_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut subscriptions = HashMap::new();
    for chunk in items.chunks(IDS_PER_QUERY) {
        let found: Vec<(SubscriptionItemId, SubscriptionId)> = subscription_item::Entity::find()
            .select_only()
            .column(subscription_item::Column::Id)
            .column(subscription_item::Column::SubscriptionId)
            .filter(subscription_item::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(txn)
            .await?;
        subscriptions.extend(found);
    }
    let windows = usage_windows(txn, subscriptions.values().copied().collect(), &zones).await?;
    Ok(Refs {
        numbers,
        zones,
        tariffs,
        subscriptions,
        windows,
    })
}

/// One call's checks (every problem of it) and, when valid, its row, rated.
pub(super) fn validate(
    call: &CallInput,
    refs: &Refs,
    scope: crate::auth::TenantScope,
    names: CallFieldNames,
    now: DateTime<Utc>,
) -> Result<call_record::Model, Vec<RecordProblem>> {
    let mut problems = Vec::new();
    let e164 = call.number.trim();
    let number = if !is_e164(e164) {
        problems.push(problem(
            names.number,
            "a telephone number in E.164 form, e.g. +33123456789",
        ));
        None
    } else {
        match refs.numbers.get(e164) {
            Some(n) if scope.allows(n.customer_id) => Some(n),
            _ => {
                problems.push(RecordProblem {
                    not_found: true,
                    ..problem(names.number, "no such number is sold")
                });
                None
            }
        }
    };
    let tz = number
        .and_then(|n| refs.zones.get(&n.customer_id).copied())
        .unwrap_or(Tz::UTC);
    let started_at = parse_instant(&call.started_at, tz)
        .map_err(|m| problems.push(problem(names.started_at, m)))
        .ok();
    // A released number takes no calls from the start of its release day.
    if let (Some(n), Some(at)) = (number, started_at)
        && let Some(day) = n.released_on
        && at >= billing::local_midnight(day, tz)
    {
        problems.push(problem(
            names.started_at,
            format!(
                "{} was released on {day}: it takes no calls from that day on",
                n.e164
            ),
        ));
    }
    // A call its number's subscription would never bill is refused, not accepted and lost.
    if let Some(n) = number
        && let Some(subscription) = refs.subscriptions.get(&n.subscription_item_id)
        && let Some((on_start, message)) =
            refused_by_window(refs.windows.get(subscription), *subscription, started_at)
    {
        let field = if on_start {
            names.started_at
        } else {
            names.number
        };
        problems.push(problem(field, message));
    }
    let duration = match call.duration_seconds.trim().parse::<u32>() {
        Ok(d) if d <= MAX_DURATION_SECONDS => Some(d),
        _ => {
            problems.push(problem(
                names.duration_seconds,
                format!("whole seconds from 0 to {MAX_DURATION_SECONDS}"),
            ));
            None
        }
    };
    let direction = match call.direction.trim().to_ascii_lowercase().as_str() {
        "outbound" => Some(CallDirection::Outbound),
        "inbound" => Some(CallDirection::Inbound),
        _ => {
            problems.push(problem(names.direction, "`outbound` or `inbound`"));
            None
        }
    };
    let destination = call.destination.trim();
    if !is_e164(destination) {
        problems.push(problem(
            names.destination,
            "a telephone number in E.164 form, e.g. +33123456789",
        ));
    }
    let key = call.idempotency_key.trim();
    if key.is_empty() {
        problems.push(problem(
            names.idempotency_key,
            "an idempotency key is required",
        ));
    } else if key.chars().count() > MAX_KEY_LEN {
        problems.push(problem(
            names.idempotency_key,
            format!("at most {MAX_KEY_LEN} characters"),
        ));
    }
    let (Some(number), Some(started_at), Some(duration), Some(direction), true) =
        (number, started_at, duration, direction, problems.is_empty())
    else {
        return Err(problems);
    };
    let Some((version, tariff)) = refs.tariffs.get(&number.tariff_id) else {
        return Err(vec![problem(names.number, "its tariff has no version")]);
    };
    let (tariff_version_id, billed_seconds, rate_per_minute, amount_minor) =
        match rate(*version, tariff, destination, duration) {
            Ok(Some(rating)) => rating,
            Ok(None) => (None, None, None, None),
            Err(e) => return Err(vec![problem(names.destination, e.public_message())]),
        };
    Ok(call_record::Model {
        id: CallRecordId::new(),
        customer_id: number.customer_id,
        phone_number_id: number.id,
        started_at,
        duration_seconds: i32::try_from(duration).unwrap_or(i32::MAX),
        direction,
        destination: destination.to_owned(),
        idempotency_key: key.to_owned(),
        tariff_version_id,
        billed_seconds,
        rate_per_minute,
        amount_minor,
        currency: tariff.spec().currency.code().to_owned(),
        invoice_id: None,
        recorded_at: now,
    })
}
