//! The catalog slice: products with their versioned prices (and moving subscriptions from one
//! version to another), tariffs with their versions, coupons and tax rates. Support reads every page; changes need billing
//! staff or an administrator, as the API decides.

mod coupon_form;
mod coupons;
mod product;
mod products;
mod rates;
mod tariff;
mod tariffs;
mod tax_rates;
mod tiers;

use axum::Router;
use axum::routing::{get, post};

use crate::Console;
use crate::route::{Route, path};

/// The catalog slice's routes.
pub(super) fn routes() -> Router<Console> {
    Router::new()
        .route(path::PRODUCTS, get(products::show).post(products::create))
        .route(path::PRODUCT, get(product::show))
        .route(path::PRODUCT_PRICES, post(product::create_price))
        .route(path::MOVE_SUBSCRIPTIONS, post(product::move_subscriptions))
        .route(path::TARIFFS, get(tariffs::show).post(tariffs::create))
        .route(path::TARIFF, get(tariff::show))
        .route(path::TARIFF_VERSIONS, post(tariff::create_version))
        .route(path::COUPONS, get(coupons::show).post(coupons::create))
        .route(path::ARCHIVE_COUPON, post(coupons::archive))
        .route(
            path::TAX_RATES,
            get(tax_rates::show).post(tax_rates::create),
        )
        .route(path::ARCHIVE_TAX_RATE, post(tax_rates::archive))
}

/// The catalog's own pages, linked from each of them (the main navigation has one entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    Products,
    Tariffs,
    Coupons,
    TaxRates,
}

impl Section {
    /// The sections, in the order the sub-navigation shows them.
    pub(crate) const ALL: [Section; 4] = [
        Section::Products,
        Section::Tariffs,
        Section::Coupons,
        Section::TaxRates,
    ];

    /// The link's text.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Section::Products => "Products and prices",
            Section::Tariffs => "Tariffs",
            Section::Coupons => "Coupons",
            Section::TaxRates => "Tax rates",
        }
    }

    /// Where it leads.
    pub(crate) fn route(self) -> Route {
        match self {
            Section::Products => Route::Products(None),
            Section::Tariffs => Route::Tariffs,
            Section::Coupons => Route::Coupons(None),
            Section::TaxRates => Route::TaxRates(None),
        }
    }
}

/// "per month", "per 3 months", "once".
pub(crate) fn every(unit: Option<&impl std::fmt::Debug>, count: i64) -> String {
    match unit {
        None => "once".to_owned(),
        Some(unit) => {
            let unit = crate::text::label(unit).to_lowercase();
            match count {
                1 => format!("per {unit}"),
                n => format!("per {n} {unit}s"),
            }
        }
    }
}
