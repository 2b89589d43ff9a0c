//! The coupon catalog (operator staff): create, list, archive. A coupon's rules are checked
//! here, field by field, before anything is written.

use std::collections::BTreeMap;

use billing::{Currency, Decimal, Money, Percent};
use chrono::{NaiveDate, Utc};
use entity::{coupon, product};
use ids::{CouponId, ProductId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::CouponsService;
use crate::auth::Actor;
use crate::db::UniqueLookup;
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;
use crate::services::like::{contains_lowercase, search_text};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};

/// What a new coupon takes off, as typed.
#[derive(Clone, Debug)]
pub enum NewCouponDiscount {
    /// A percent, exact decimal text.
    Percent(String),
    /// Fixed amounts: (currency code, decimal amount) for each currency it can be used in.
    Amounts(Vec<(String, String)>),
}

/// How long a new coupon lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewCouponDuration {
    /// The first invoice only.
    Once,
    /// The first `duration_periods` invoices.
    Repeating,
    /// Every invoice.
    Forever,
}

/// A coupon to create.
#[derive(Clone, Debug)]
pub struct NewCoupon {
    /// Unique code, whatever its case.
    pub code: String,
    /// Name for staff.
    pub name: String,
    /// Percent or fixed amounts; `None` when the input gave neither (or both).
    pub discount: Option<NewCouponDiscount>,
    /// Duration.
    pub duration: NewCouponDuration,
    /// Invoices discounted, for a repeating coupon (and only for one).
    pub duration_periods: Option<i32>,
    /// Products it is limited to; empty: the whole invoice.
    pub product_ids: Vec<ProductId>,
    /// Redemption limit.
    pub max_redemptions: Option<i32>,
    /// Last day it may be applied.
    pub expires_on: Option<NaiveDate>,
}

/// Which coupons to list: every one by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CouponFilter {
    /// A piece of the code or name, lower-cased.
    pub search: Option<String>,
    /// Only coupons not archived (`true`; an expired or used-up one among them) or archived
    /// ones.
    pub active: Option<bool>,
}

impl CouponFilter {
    /// The filter from a search as typed (`BAD_USER_INPUT` on `search` when too long).
    pub fn new(search: Option<&str>, active: Option<bool>) -> ServiceResult<Self> {
        Ok(Self {
            search: search_text("search", search)?,
            active,
        })
    }
}

/// Coupons, oldest first.
const COUPONS: Keyset<coupon::Entity> = Keyset {
    list: "coupons",
    columns: &[
        (coupon::Column::CreatedAt, KeyKind::Time),
        (coupon::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |c| time_key(c.created_at, c.id),
};

/// The stored form of a discount: (percent text, amounts JSON).
fn discount_columns(
    discount: Option<NewCouponDiscount>,
) -> ServiceResult<(Option<String>, Option<serde_json::Value>)> {
    match discount {
        None => Err(ServiceError::bad_input(
            "input.percentOff",
            "give either percentOff or amountsOff",
        )),
        Some(NewCouponDiscount::Percent(text)) => {
            let percent = text
                .trim()
                .parse::<Decimal>()
                .ok()
                .and_then(|d| Percent::new(d).ok())
                .filter(|p| p.value() > Decimal::ZERO)
                .ok_or_else(|| {
                    ServiceError::bad_input(
                        "input.percentOff",
                        "enter a percent above 0 and at most 100, e.g. 15",
                    )
                })?;
            Ok((Some(percent.value().normalize().to_string()), None))
        }
        Some(NewCouponDiscount::Amounts(amounts)) => {
            if amounts.is_empty() {
                return Err(ServiceError::bad_input(
                    "input.amountsOff",
                    "list an amount for each currency the coupon can be used in",
                ));
            }
            let mut by_currency = BTreeMap::new();
            for (i, (code, amount)) in amounts.iter().enumerate() {
                let field = |name: &str| format!("input.amountsOff.{i}.{name}");
                let currency = Currency::from_code(code.trim())
                    .map_err(|e| ServiceError::from_billing(e, &field("currency")))?;
                let money = amount
                    .trim()
                    .parse::<Decimal>()
                    .ok()
                    .and_then(|d| Money::new(d, currency).ok())
                    .filter(|m| !m.is_negative() && !m.is_zero())
                    .ok_or_else(|| {
                        ServiceError::bad_input(
                            field("amount"),
                            format!(
                                "enter an amount above 0 with at most {} decimals",
                                currency.minor_units()
                            ),
                        )
                    })?;
                let minor = money
                    .to_minor()
                    .map_err(|_| ServiceError::bad_input(field("amount"), "too large"))?;
                if by_currency.insert(currency.code(), minor).is_some() {
                    return Err(ServiceError::bad_input(
                        field("currency"),
                        "this currency is listed twice",
                    ));
                }
            }
            Ok((None, Some(json!(by_currency))))
        }
    }
}

impl CouponsService {
    /// Creates a coupon (operator staff). Every rule names its input field; an unknown product
    /// answers `NOT_FOUND`.
    pub async fn create(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewCoupon,
        today: NaiveDate,
    ) -> ServiceResult<coupon::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let code = RequiredText::parse("input.code", &new.code, 40)?.into_inner();
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(ServiceError::bad_input(
                "input.code",
                "use letters, digits, '-' and '_' only",
            ));
        }
        let name = RequiredText::parse("input.name", &new.name, 100)?.into_inner();
        let (percent_off, amounts_off_minor) = discount_columns(new.discount)?;
        let (duration, duration_periods) = match (new.duration, new.duration_periods) {
            (NewCouponDuration::Once, None) => (coupon::CouponDuration::Once, None),
            (NewCouponDuration::Forever, None) => (coupon::CouponDuration::Forever, None),
            (NewCouponDuration::Repeating, Some(n)) if (1..=1200).contains(&n) => {
                (coupon::CouponDuration::Repeating, Some(n))
            }
            (NewCouponDuration::Repeating, _) => {
                return Err(ServiceError::bad_input(
                    "input.durationPeriods",
                    "a repeating coupon lasts 1 to 1200 invoices",
                ));
            }
            (_, Some(_)) => {
                return Err(ServiceError::bad_input(
                    "input.durationPeriods",
                    "only a REPEATING coupon has a number of periods",
                ));
            }
        };
        if let Some(max) = new.max_redemptions
            && max < 1
        {
            return Err(ServiceError::bad_input(
                "input.maxRedemptions",
                "at least 1 (leave it out for no limit)",
            ));
        }
        if let Some(expires) = new.expires_on
            && expires < today
        {
            return Err(ServiceError::bad_input(
                "input.expiresOn",
                "the expiry date is in the past",
            ));
        }
        let mut products: Vec<ProductId> = new.product_ids.clone();
        products.sort();
        products.dedup();

        let txn = self.db.begin_plain_write().await?;
        if !products.is_empty() {
            let found = product::Entity::find()
                .filter(product::Column::Id.is_in(products.clone()))
                .count(&txn)
                .await?;
            if found != products.len() as u64 {
                return Err(ServiceError::NotFound { entity: "product" });
            }
        }
        let code_key = code.to_lowercase();
        let taken = || ServiceError::bad_input("input.code", "a coupon already has this code");
        if coupon::Entity::find()
            .filter(coupon::Column::CodeKey.eq(&code_key))
            .one_by_key(&txn)
            .await?
            .is_some()
        {
            return Err(taken());
        }
        let row = coupon::Model {
            id: CouponId::new(),
            code,
            code_key,
            name,
            percent_off,
            amounts_off_minor,
            duration,
            duration_periods,
            product_ids: (!products.is_empty())
                .then(|| json!(products.iter().map(ToString::to_string).collect::<Vec<_>>())),
            max_redemptions: new.max_redemptions,
            redemptions: 0,
            expires_on: new.expires_on,
            archived_at: None,
            created_at: Utc::now(),
        };
        coupon::Entity::insert(coupon::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(taken))?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "coupon.create",
                subject_type: "coupon",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({
                    "code": row.code, "percent_off": row.percent_off,
                    "amounts_off_minor": row.amounts_off_minor,
                    "duration": sea_orm::ActiveEnum::to_value(&row.duration),
                    "duration_periods": row.duration_periods, "product_ids": row.product_ids,
                    "max_redemptions": row.max_redemptions, "expires_on": row.expires_on,
                })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Archives a coupon (operator staff): it can no longer be applied; where it is applied
    /// already, it goes on discounting as agreed. Archiving it again changes nothing.
    pub async fn archive(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: CouponId,
    ) -> ServiceResult<coupon::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_plain_write().await?;
        let row = coupon::Entity::find_by_id(id)
            .one_by_key(&txn)
            .await?
            .ok_or(ServiceError::NotFound { entity: "coupon" })?;
        if row.archived_at.is_some() {
            return Ok(row);
        }
        let now = Utc::now();
        coupon::Entity::update_many()
            .col_expr(coupon::Column::ArchivedAt, Expr::value(now))
            .filter(coupon::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "coupon.archive",
                subject_type: "coupon",
                subject_id: row.id.to_string(),
                before: Some(json!({ "archived": false })),
                after: Some(json!({ "archived": true })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(coupon::Model {
            archived_at: Some(now),
            ..row
        })
    }

    /// Coupons, oldest first, archived ones included unless `filter` says otherwise
    /// (operator staff).
    pub async fn list(
        &self,
        actor: &Actor,
        filter: &CouponFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<coupon::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = coupon::Entity::find();
        if let Some(text) = &filter.search {
            select = select.filter(
                Condition::any()
                    .add(contains_lowercase(Expr::col(coupon::Column::Code), text))
                    .add(contains_lowercase(Expr::col(coupon::Column::Name), text)),
            );
        }
        select = match filter.active {
            Some(true) => select.filter(coupon::Column::ArchivedAt.is_null()),
            Some(false) => select.filter(coupon::Column::ArchivedAt.is_not_null()),
            None => select,
        };
        Ok(fetch_page(self.db.reads(), select, &COUPONS, page).await?)
    }
}
