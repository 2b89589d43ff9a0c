//! Tariffs (operator staff): create one with its first version, add a version, list them.
//!
//! A version is validated by `billing::Tariff::new` before it is written and never changes
//! afterwards: calls keep the id of the version they were rated with, so a new version only
//! rates calls that arrive (or are re-rated) after it.

use billing::{BillingIncrement, Currency, Decimal, PrefixRate, Tariff, TariffSpec, UnitPrice};
use chrono::{DateTime, Utc};
use entity::{tariff, tariff_version};
use ids::{TariffId, TariffVersionId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::NumbersService;
use crate::auth::Actor;
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;
use crate::services::like::{contains_lowercase, search_text};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// Most prefixes one version may hold (a full international price list is a few thousand).
pub const MAX_RATES: usize = 20_000;
/// Tariffs, newest first.
const TARIFFS: Keyset<tariff::Entity> = Keyset {
    list: "tariffs",
    columns: &[
        (tariff::Column::CreatedAt, KeyKind::Time),
        (tariff::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |t| time_key(t.created_at, t.id),
};

/// Which tariffs to list: every one by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TariffFilter {
    /// A piece of the name, lower-cased.
    pub search: Option<String>,
    /// Only tariffs priced in this currency.
    pub currency: Option<Currency>,
}

impl TariffFilter {
    /// The filter from what was typed: `BAD_USER_INPUT` on `search` when too long, on
    /// `currency` when it is not an ISO 4217 code the platform bills in.
    pub fn new(search: Option<&str>, currency: Option<&str>) -> ServiceResult<Self> {
        let currency = currency
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                Currency::from_code(&c.to_ascii_uppercase())
                    .map_err(|e| ServiceError::from_billing(e, "currency"))
            })
            .transpose()?;
        Ok(Self {
            search: search_text("search", search)?,
            currency,
        })
    }
}

/// A version's rates and charges as typed (decimals as text), checked by [`parse_spec`].
#[derive(Clone, Debug, Default)]
pub struct SpecInput {
    /// (prefix, rate per minute) pairs.
    pub rates: Vec<(String, String)>,
    /// Seconds billed for the first block.
    pub increment_first_seconds: i32,
    /// Seconds of each following block.
    pub increment_next_seconds: i32,
    /// Least a connected call costs, fee included.
    pub minimum_charge: String,
    /// Charged once per connected call.
    pub connection_fee: String,
}

/// A tariff with its latest version.
#[derive(Clone, Debug)]
pub struct TariffWithVersion {
    /// The tariff.
    pub tariff: tariff::Model,
    /// Its latest version (the one new calls are rated with).
    pub version: tariff_version::Model,
}

/// A stored version as `billing` rates with it.
pub fn tariff_of(version: &tariff_version::Model) -> ServiceResult<Tariff> {
    serde_json::from_str::<Tariff>(&version.spec)
        .map_err(|e| ServiceError::corrupt("tariff version", e))
}

fn price(field: &str, text: &str) -> ServiceResult<UnitPrice> {
    let value: Decimal = text.trim().parse().map_err(|_| {
        ServiceError::bad_input(field, format!("`{}` is not a decimal number", text.trim()))
    })?;
    UnitPrice::new(value).map_err(|e| ServiceError::from_billing(e, field))
}

fn seconds(field: &str, value: i32) -> ServiceResult<u32> {
    u32::try_from(value)
        .ok()
        .filter(|s| (1..=3600).contains(s))
        .ok_or_else(|| ServiceError::bad_input(field, "from 1 to 3,600 seconds"))
}

/// Checks a version as typed, each problem on its input field (`input.rates.3.prefix`), and
/// validates it the way it will be used: through `billing::Tariff::new`.
pub fn parse_spec(currency: Currency, input: &SpecInput) -> ServiceResult<Tariff> {
    if input.rates.is_empty() {
        return Err(ServiceError::bad_input("input.rates", "at least one rate"));
    }
    if input.rates.len() > MAX_RATES {
        return Err(ServiceError::bad_input(
            "input.rates",
            format!("at most {MAX_RATES} rates"),
        ));
    }
    let mut rates = Vec::with_capacity(input.rates.len());
    for (i, (prefix, rate)) in input.rates.iter().enumerate() {
        rates.push(PrefixRate {
            prefix: prefix.trim().to_owned(),
            rate_per_minute: price(&format!("input.rates.{i}.ratePerMinute"), rate)?,
        });
    }
    let first = seconds("input.incrementFirstSeconds", input.increment_first_seconds)?;
    let next = seconds("input.incrementNextSeconds", input.increment_next_seconds)?;
    let increment = BillingIncrement::new(first, next)
        .map_err(|e| ServiceError::from_billing(e, "input.incrementFirstSeconds"))?;
    let spec = TariffSpec {
        currency,
        rates,
        increment,
        minimum_charge: price("input.minimumCharge", &input.minimum_charge)?,
        connection_fee: price("input.connectionFee", &input.connection_fee)?,
    };
    let prefixes: Vec<String> = spec.rates.iter().map(|r| r.prefix.clone()).collect();
    Tariff::new(spec).map_err(|e| {
        // Name the rate at fault: the last one carrying the prefix (for a duplicate, the
        // second occurrence).
        let at = |p: &str| {
            prefixes
                .iter()
                .rposition(|q| q == p)
                .map_or("input.rates".to_owned(), |i| {
                    format!("input.rates.{i}.prefix")
                })
        };
        match &e {
            billing::Error::InvalidPrefix { prefix }
            | billing::Error::DuplicatePrefix { prefix } => {
                let field = at(prefix);
                ServiceError::from_billing(e, &field)
            }
            _ => ServiceError::from_billing(e, "input.rates"),
        }
    })
}

fn spec_json(tariff: &Tariff) -> ServiceResult<String> {
    serde_json::to_string(tariff).map_err(ServiceError::internal)
}

impl NumbersService {
    /// Creates a tariff and its version 1 (operator staff).
    pub async fn create_tariff(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        name: &str,
        currency: &str,
        spec: &SpecInput,
    ) -> ServiceResult<TariffWithVersion> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let name = RequiredText::parse("input.name", name, 100)?.into_inner();
        let currency = Currency::from_code(currency.trim())
            .map_err(|e| ServiceError::from_billing(e, "input.currency"))?;
        let rated = parse_spec(currency, spec)?;
        let now = self.clock.now();
        let tariff = tariff::Model {
            id: TariffId::new(),
            name,
            currency: currency.code().to_owned(),
            created_at: now,
        };
        let version = version_row(tariff.id, 1, &rated, now)?;
        // Tariffs belong to no tenant: nothing cached changes until a number uses one.
        let txn = self.db.begin_plain_write().await?;
        tariff::Entity::insert(tariff::ActiveModel::from(tariff.clone()))
            .exec_without_returning(&txn)
            .await?;
        tariff_version::Entity::insert(tariff_version::ActiveModel::from(version.clone()))
            .exec_without_returning(&txn)
            .await?;
        audit_version(&txn, staff, request_id, "tariff.create", &tariff, &version).await?;
        txn.commit().await?;
        Ok(TariffWithVersion { tariff, version })
    }

    /// Adds a version to a tariff (operator staff): new calls are rated with it; calls already
    /// rated keep theirs. The currency stays the tariff's.
    pub async fn create_tariff_version(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: TariffId,
        spec: &SpecInput,
    ) -> ServiceResult<TariffWithVersion> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_plain_write().await?;
        let tariff = tariff::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "tariff" })?;
        let currency = Currency::from_code(&tariff.currency)
            .map_err(|e| ServiceError::corrupt("tariff currency", e))?;
        let rated = parse_spec(currency, spec)?;
        let latest = latest_version(&txn, id).await?;
        let version = version_row(id, latest.version + 1, &rated, self.clock.now())?;
        tariff_version::Entity::insert(tariff_version::ActiveModel::from(version.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| ServiceError::Conflict {
                message: "another version of this tariff was just created: try again".into(),
            }))?;
        audit_version(&txn, staff, request_id, "tariff.version", &tariff, &version).await?;
        txn.commit().await?;
        Ok(TariffWithVersion { tariff, version })
    }

    /// The tariffs `filter` selects, newest first, each with its latest version (operator
    /// staff).
    pub async fn tariffs(
        &self,
        actor: &Actor,
        filter: &TariffFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<TariffWithVersion>> {
        actor.authenticated()?.require_staff_reader()?;
        let db = self.db.reads();
        let mut select = tariff::Entity::find();
        if let Some(text) = &filter.search {
            select = select.filter(contains_lowercase(Expr::col(tariff::Column::Name), text));
        }
        if let Some(currency) = filter.currency {
            select = select.filter(tariff::Column::Currency.eq(currency.code()));
        }
        let tariffs = fetch_page(db, select, &TARIFFS, page).await?;
        // One query for every version of the page's tariffs, not one per tariff.
        let versions = tariff_version::Entity::find()
            .filter(tariff_version::Column::TariffId.is_in(tariffs.items().map(|t| t.id)))
            .order_by_asc(tariff_version::Column::Version)
            .all(db)
            .await?;
        let mut missing = false;
        let page = tariffs.map(|tariff| {
            let version = versions.iter().rfind(|v| v.tariff_id == tariff.id).cloned();
            missing |= version.is_none();
            (tariff, version)
        });
        if missing {
            return Err(ServiceError::corrupt("tariff", "no version"));
        }
        Ok(page.map(|(tariff, version)| TariffWithVersion {
            tariff,
            version: version.expect("checked above"),
        }))
    }

    /// One tariff with its latest version (operator staff); `NOT_FOUND` for no such tariff.
    pub async fn tariff(&self, actor: &Actor, id: TariffId) -> ServiceResult<TariffWithVersion> {
        actor.authenticated()?.require_staff_reader()?;
        let db = self.db.reads();
        let tariff = tariff::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(ServiceError::NotFound { entity: "tariff" })?;
        let version = latest_version(db, id).await?;
        Ok(TariffWithVersion { tariff, version })
    }

    /// Every version of a tariff, oldest first (operator staff).
    pub async fn tariff_versions(
        &self,
        actor: &Actor,
        id: TariffId,
    ) -> ServiceResult<Vec<tariff_version::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        Ok(tariff_version::Entity::find()
            .filter(tariff_version::Column::TariffId.eq(id))
            .order_by_asc(tariff_version::Column::Version)
            .all(self.db.reads())
            .await?)
    }
}

fn version_row(
    tariff: TariffId,
    version: i32,
    rated: &Tariff,
    now: DateTime<Utc>,
) -> ServiceResult<tariff_version::Model> {
    Ok(tariff_version::Model {
        id: TariffVersionId::new(),
        tariff_id: tariff,
        version,
        spec: spec_json(rated)?,
        created_at: now,
    })
}

/// The highest version of `tariff`.
pub(super) async fn latest_version<C: ConnectionTrait>(
    db: &C,
    tariff: TariffId,
) -> ServiceResult<tariff_version::Model> {
    tariff_version::Entity::find()
        .filter(tariff_version::Column::TariffId.eq(tariff))
        .order_by_desc(tariff_version::Column::Version)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::corrupt("tariff", "no version"))
}

async fn audit_version<C: ConnectionTrait>(
    txn: &C,
    staff: &crate::auth::AuthenticatedActor,
    request_id: Option<&str>,
    action: &'static str,
    tariff: &tariff::Model,
    version: &tariff_version::Model,
) -> ServiceResult<()> {
    let spec: serde_json::Value =
        serde_json::from_str(&version.spec).map_err(ServiceError::internal)?;
    audit::record(
        txn,
        Some(staff),
        request_id,
        AuditEntry {
            customer: None,
            action,
            subject_type: "tariff",
            subject_id: tariff.id.to_string(),
            before: None,
            after: Some(json!({
                "name": tariff.name, "version": version.version, "spec": spec
            })),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(rates: &[(&str, &str)]) -> SpecInput {
        SpecInput {
            rates: rates
                .iter()
                .map(|(p, r)| ((*p).to_owned(), (*r).to_owned()))
                .collect(),
            increment_first_seconds: 30,
            increment_next_seconds: 6,
            minimum_charge: "0.10".into(),
            connection_fee: "0.05".into(),
        }
    }

    fn field(e: ServiceError) -> String {
        match e {
            ServiceError::BadInput { field, .. } => field,
            other => panic!("not a bad input: {other:?}"),
        }
    }

    #[test]
    fn problems_name_their_field() {
        let ok = parse_spec(Currency::EUR, &input(&[("33", "0.02"), ("336", "0.10")]));
        assert!(ok.is_ok());
        let dup = parse_spec(Currency::EUR, &input(&[("33", "0.02"), ("33", "0.10")]));
        assert_eq!(field(dup.unwrap_err()), "input.rates.1.prefix");
        let bad = parse_spec(Currency::EUR, &input(&[("33", "0.02"), ("+44", "0.10")]));
        assert_eq!(field(bad.unwrap_err()), "input.rates.1.prefix");
        let rate = parse_spec(Currency::EUR, &input(&[("33", "-1")]));
        assert_eq!(field(rate.unwrap_err()), "input.rates.0.ratePerMinute");
        let mut zero = input(&[("33", "0.02")]);
        zero.increment_next_seconds = 0;
        assert_eq!(
            field(parse_spec(Currency::EUR, &zero).unwrap_err()),
            "input.incrementNextSeconds"
        );
        assert_eq!(
            field(parse_spec(Currency::EUR, &input(&[])).unwrap_err()),
            "input.rates"
        );
    }

    #[test]
    fn a_stored_version_rates_as_it_was_written() {
        let t = parse_spec(Currency::EUR, &input(&[("33", "0.02"), ("336", "0.10")])).unwrap();
        let row = version_row(TariffId::new(), 1, &t, Utc::now()).unwrap();
        let back = tariff_of(&row).unwrap();
        // 30/6, 10 s to a landline: 0.01 + 0.05 = 0.06, below the €0.10 minimum.
        assert_eq!(
            back.rate_call("+33145", 10).unwrap().amount.amount(),
            Decimal::new(10, 2)
        );
    }
}
