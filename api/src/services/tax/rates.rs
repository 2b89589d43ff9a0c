//! The operator's tax rates (staff): create, list, archive. A rate applies to the customers of
//! its country (and region); creating or archiving one changes what those customers pay, so it
//! bumps their revisions in the same transaction and no cached tenant state keeps the old rate.

use billing::{Decimal, TaxRate};
use chrono::Utc;
use entity::{customer, tax_rate};
use ids::TaxRateId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// A tax rate to create, as typed.
#[derive(Clone, Debug)]
pub struct NewTaxRate {
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Region code within the country, if the rate is regional.
    pub region: Option<String>,
    /// Name on invoices.
    pub name: String,
    /// Percent, exact decimal text.
    pub rate: String,
}

/// Which tax rates to list: every one by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaxRateFilter {
    /// Only this country's rates (ISO 3166-1 alpha-2, upper case).
    pub country: Option<String>,
    /// Only the rates that apply (`true`) or the archived ones.
    pub active: Option<bool>,
}

impl TaxRateFilter {
    /// The filter from a country as typed (`BAD_USER_INPUT` on `country` when it is not a
    /// country code); a blank country is every country.
    pub fn new(country: Option<&str>, active: Option<bool>) -> ServiceResult<Self> {
        let country = country
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| parse_country("country", c))
            .transpose()?;
        Ok(Self { country, active })
    }
}

/// Tax rates, oldest first.
const TAX_RATES: Keyset<tax_rate::Entity> = Keyset {
    list: "tax_rates",
    columns: &[
        (tax_rate::Column::CreatedAt, KeyKind::Time),
        (tax_rate::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |r| time_key(r.created_at, r.id),
};

/// Tax rates (operator staff).
#[derive(Clone)]
pub struct TaxRatesService {
    db: Db,
}

/// An ISO 3166-1 alpha-2 code: two letters, upper-cased.
pub(super) fn parse_country(field: &str, value: &str) -> ServiceResult<String> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(ServiceError::bad_input(
            field,
            "enter an ISO 3166-1 alpha-2 country code, e.g. FR",
        ))
    }
}

/// A region code (ISO 3166-2's part after the country, e.g. `QC`): 1 to 10 letters, digits or
/// `-`, upper-cased; blank is no region.
pub(super) fn parse_region(field: &str, value: &str) -> ServiceResult<Option<String>> {
    let code = value.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    if code.len() <= 10
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        Ok(Some(code))
    } else {
        Err(ServiceError::bad_input(
            field,
            "enter a region code of 1 to 10 letters, digits or '-', e.g. QC",
        ))
    }
}

/// Bumps the revision of every customer in `country`: their resolved tax may have changed.
async fn touch_country<C: ConnectionTrait>(db: &C, country: &str) -> ServiceResult<()> {
    customer::Entity::update_many()
        .col_expr(
            customer::Column::Revision,
            Expr::col(customer::Column::Revision).add(1),
        )
        .filter(customer::Column::Country.eq(country))
        .exec(db)
        .await?;
    Ok(())
}

impl TaxRatesService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates an active rate. `CONFLICT` while another active rate covers the same country
    /// and region: archive it first, so a customer's rate is never ambiguous.
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewTaxRate,
    ) -> ServiceResult<tax_rate::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let country = parse_country("input.country", &new.country)?;
        let region = new
            .region
            .as_deref()
            .map(|r| parse_region("input.region", r))
            .transpose()?
            .flatten();
        let name = RequiredText::parse("input.name", &new.name, 100)?.into_inner();
        let rate = new
            .rate
            .trim()
            .parse::<Decimal>()
            .ok()
            .and_then(|d| TaxRate::new(d).ok())
            .ok_or_else(|| {
                ServiceError::bad_input("input.rate", "enter a percent from 0 to 100, e.g. 20")
            })?;
        // Tax rates are not a tenant's data; the customers they reach are bumped below.
        let txn = self.db.begin_plain_write().await?;
        let mut same = tax_rate::Entity::find()
            .filter(tax_rate::Column::Country.eq(country.as_str()))
            .filter(tax_rate::Column::Active.eq(true));
        same = match &region {
            Some(region) => same.filter(tax_rate::Column::Region.eq(region.as_str())),
            None => same.filter(tax_rate::Column::Region.is_null()),
        };
        if let Some(existing) = same.all(&txn).await?.into_iter().next() {
            return Err(ServiceError::Conflict {
                message: format!("{} already applies there: archive it first", existing.name),
            });
        }
        let row = tax_rate::Model {
            id: TaxRateId::new(),
            country,
            region,
            name,
            rate: rate.0.value().normalize().to_string(),
            active: true,
            created_at: Utc::now(),
        };
        tax_rate::Entity::insert(tax_rate::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await?;
        touch_country(&txn, &row.country).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "tax_rate.create",
                subject_type: "tax_rate",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({
                    "country": row.country, "region": row.region, "name": row.name, "rate": row.rate
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Archives a rate: it stops applying (its customers fall back to the country's rate, or
    /// none). Archiving an archived rate changes nothing.
    pub async fn archive(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: TaxRateId,
    ) -> ServiceResult<tax_rate::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_plain_write().await?;
        let row = tax_rate::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "tax rate" })?;
        if !row.active {
            return Ok(row);
        }
        tax_rate::Entity::update_many()
            .col_expr(tax_rate::Column::Active, Expr::value(false))
            .filter(tax_rate::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        touch_country(&txn, &row.country).await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "tax_rate.archive",
                subject_type: "tax_rate",
                subject_id: row.id.to_string(),
                before: Some(json!({ "active": true })),
                after: Some(json!({ "active": false })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(tax_rate::Model {
            active: false,
            ..row
        })
    }

    /// Tax rates, oldest first, archived ones included unless `filter` says otherwise
    /// (operator staff).
    pub async fn list(
        &self,
        actor: &Actor,
        filter: &TaxRateFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<tax_rate::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = tax_rate::Entity::find();
        if let Some(country) = &filter.country {
            select = select.filter(tax_rate::Column::Country.eq(country.as_str()));
        }
        if let Some(active) = filter.active {
            select = select.filter(tax_rate::Column::Active.eq(active));
        }
        Ok(fetch_page(self.db.reads(), select, &TAX_RATES, page).await?)
    }
}
