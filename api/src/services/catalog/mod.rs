//! The catalog: products and their versioned prices. Operator staff only.

mod error;
mod moves;
pub mod rows;

pub use error::CatalogError;
pub use moves::PriceMove;

use billing::{Currency, Interval, LicensePolicy, PricingModel, TierSpec};
use chrono::Utc;
use entity::product::ProductKind;
use entity::{price, product};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
use serde_json::json;

use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::{ServiceError, ServiceResult, on_unique_violation};
use crate::services::audit::{self, AuditEntry};
use crate::services::input::RequiredText;
use crate::services::like::{contains_lowercase, search_text};
use crate::services::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use ids::{PriceId, ProductId};

/// A product to create.
#[derive(Clone, Debug)]
pub struct NewProduct {
    /// Name on invoices ("ADVANCED").
    pub name: String,
    /// Unique short code.
    pub code: String,
    /// Kind.
    pub kind: ProductKind,
    /// Description.
    pub description: Option<String>,
}

/// A price version to create; parsed and valid by construction except for the rules that
/// depend on the product.
#[derive(Clone, Debug)]
pub struct NewPrice {
    /// The product priced.
    pub product: ProductId,
    /// Currency.
    pub currency: Currency,
    /// Billing interval.
    pub interval: Interval,
    /// How quantities are priced.
    pub model: PricingModel,
    /// Whether tax applies.
    pub taxable: bool,
    /// License rules (used by license products).
    pub policy: LicensePolicy,
}

/// Products, oldest first.
const PRODUCTS: Keyset<product::Entity> = Keyset {
    list: "products",
    columns: &[
        (product::Column::CreatedAt, KeyKind::Time),
        (product::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Ascending,
    key: |p| time_key(p.created_at, p.id),
};

/// Which products to list: every one by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductFilter {
    /// A piece of the name or code, in any case (lower-cased by [`ProductFilter::search`]).
    pub search: Option<String>,
    /// Only products of this kind.
    pub kind: Option<ProductKind>,
    /// Only active (`true`) or archived (`false`) products.
    pub active: Option<bool>,
}

impl ProductFilter {
    /// The search as typed: trimmed and lower-cased, blank for none; `BAD_USER_INPUT` on
    /// `search` when too long.
    pub fn search(text: Option<&str>) -> ServiceResult<Option<String>> {
        search_text("search", text)
    }
}

/// Products and prices.
#[derive(Clone)]
pub struct CatalogService {
    db: Db,
}

impl CatalogService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates a product.
    pub async fn create_product(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewProduct,
    ) -> ServiceResult<product::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let name = RequiredText::parse("input.name", &new.name, 100)?.into_inner();
        let code = RequiredText::parse("input.code", &new.code, 40)?.into_inner();
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(CatalogError::CodeCharacters.into());
        }
        let txn = self.db.begin_plain_write().await?;
        if product::Entity::find()
            .filter(product::Column::Code.eq(&code))
            .one_by_key(&txn)
            .await?
            .is_some()
        {
            return Err(CatalogError::CodeTaken.into());
        }
        let row = product::Model {
            id: ProductId::new(),
            name,
            code,
            kind: new.kind,
            description: new.description.filter(|d| !d.trim().is_empty()),
            active: true,
            created_at: Utc::now(),
        };
        product::Entity::insert(product::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| CatalogError::CodeTaken.into()))?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "product.create",
                subject_type: "product",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(json!({ "name": row.name, "code": row.code })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Creates the next version of a product's price; earlier versions stop being sold but
    /// keep billing the subscriptions on them.
    pub async fn create_price(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        new: NewPrice,
    ) -> ServiceResult<price::Model> {
        let staff = actor.authenticated()?;
        staff.require_staff()?;
        let txn = self.db.begin_plain_write().await?;
        let product = product::Entity::find_by_id(new.product)
            .one_by_key(&txn)
            .await?
            .ok_or(CatalogError::ProductNotFound)?;
        if product.kind == ProductKind::License
            && !matches!(new.model, PricingModel::PerUnit { .. })
        {
            return Err(CatalogError::LicenseNotPerUnit.into());
        }
        let policy = new.policy;
        // License rules bind license products only (a service's price carries the defaults,
        // unused).
        if product.kind == ProductKind::License
            && let Some(max) = policy.max_quantity
            && max < policy.min_quantity
        {
            return Err(CatalogError::MaximumBelowMinimum.into());
        }
        let latest = price::Entity::find()
            .filter(price::Column::ProductId.eq(product.id))
            .order_by_desc(price::Column::Version)
            .one(&txn)
            .await?;
        let version = latest.as_ref().map_or(1, |p| p.version + 1);
        price::Entity::update_many()
            .col_expr(price::Column::Active, Expr::value(false))
            .filter(price::Column::ProductId.eq(product.id))
            .exec(&txn)
            .await?;
        let (unit_amount, package_size, tiers) = stored_model(&new.model)?;
        let row = price::Model {
            id: PriceId::new(),
            product_id: product.id,
            version,
            currency: new.currency.code().to_owned(),
            interval_unit: rows::stored_interval_unit(new.interval.unit()),
            interval_count: i32::try_from(new.interval.count())
                .map_err(|_| CatalogError::TooLarge("input.intervalCount"))?,
            model: rows::model_kind(&new.model),
            unit_amount,
            package_size,
            tiers,
            taxable: new.taxable,
            proration_unit: rows::stored_proration_unit(policy.proration),
            additions_charged: rows::stored_addition_charge(policy.additions),
            credit_removals: policy.credit_removals,
            remove_one_at_a_time: policy.remove_one_at_a_time,
            min_quantity: i32::try_from(policy.min_quantity)
                .map_err(|_| CatalogError::TooLarge("input.license.minQuantity"))?,
            max_quantity: policy
                .max_quantity
                .map(i32::try_from)
                .transpose()
                .map_err(|_| CatalogError::TooLarge("input.license.maxQuantity"))?,
            active: true,
            created_at: Utc::now(),
        };
        price::Entity::insert(price::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await
            .map_err(on_unique_violation(|| CatalogError::VersionRace.into()))?;
        audit::record(
            &txn,
            Some(staff),
            request_id,
            AuditEntry {
                customer: None,
                action: "price.create",
                subject_type: "price",
                subject_id: row.id.to_string(),
                before: latest.map(|p| json!({ "version": p.version, "unit_amount": p.unit_amount })),
                after: Some(json!({ "version": row.version, "model": sea_orm::ActiveEnum::to_value(&row.model), "unit_amount": row.unit_amount })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Products, oldest first.
    pub async fn products(
        &self,
        actor: &Actor,
        filter: &ProductFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<product::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        let mut select = product::Entity::find();
        if let Some(text) = &filter.search {
            select = select.filter(
                Condition::any()
                    .add(contains_lowercase(Expr::col(product::Column::Name), text))
                    .add(contains_lowercase(Expr::col(product::Column::Code), text)),
            );
        }
        if let Some(kind) = filter.kind {
            select = select.filter(product::Column::Kind.eq(kind));
        }
        if let Some(active) = filter.active {
            select = select.filter(product::Column::Active.eq(active));
        }
        Ok(fetch_page(self.db.reads(), select, &PRODUCTS, &page).await?)
    }

    /// One product.
    pub async fn product(&self, actor: &Actor, id: ProductId) -> ServiceResult<product::Model> {
        actor.authenticated()?.require_staff_reader()?;
        product::Entity::find_by_id(id)
            .one_by_key(self.db.reads())
            .await?
            .ok_or(CatalogError::ProductNotFound.into())
    }

    /// Every price version of a product, newest first.
    pub async fn prices(
        &self,
        actor: &Actor,
        product: ProductId,
    ) -> ServiceResult<Vec<price::Model>> {
        actor.authenticated()?.require_staff_reader()?;
        Ok(price::Entity::find()
            .filter(price::Column::ProductId.eq(product))
            .order_by_desc(price::Column::Version)
            .all(self.db.reads())
            .await?)
    }
}

/// The columns a pricing model is stored in: unit (or flat, or block) amount as exact text,
/// package size, tiers as JSON.
fn stored_model(
    model: &PricingModel,
) -> ServiceResult<(Option<String>, Option<i64>, Option<String>)> {
    let tiers = |t: Vec<TierSpec>| serde_json::to_string(&t).map_err(ServiceError::internal);
    Ok(match model {
        PricingModel::Flat { amount } => (Some(amount.to_string()), None, None),
        PricingModel::PerUnit { unit_price } => (Some(unit_price.to_string()), None, None),
        PricingModel::Graduated { tiers: t } | PricingModel::Volume { tiers: t } => {
            (None, None, Some(tiers(t.tiers().to_vec())?))
        }
        PricingModel::Stairstep { tiers: t } => {
            (None, None, Some(tiers(t.table().tiers().to_vec())?))
        }
        PricingModel::Package {
            block_size,
            block_price,
        } => (
            Some(block_price.to_string()),
            Some(
                i64::try_from(block_size.get())
                    .map_err(|_| CatalogError::TooLarge("input.packageSize"))?,
            ),
            None,
        ),
    })
}
