//! What a picker offers when the list behind it is paged: every page read, up to a bound, so
//! that a choice past the first page can still be made (and a value the picker does not
//! offer can be refused as one).

use crate::Console;
use crate::error::PageError;
use crate::operations::{
    ProductChoices, SubscriptionChoices, TariffChoices, product_choices, subscription_choices,
    tariff_choices,
};
use crate::session::Visitor;
use crate::text::{label, schema_name};

/// Reads a paged list for a picker: `fetch` reads the page after a cursor (none: the first)
/// and answers its rows and the next page's cursor (none on the last). At most `pages` pages
/// are read: a picker must not loop without end, and a list longer than that needs a search,
/// not a select.
pub async fn every_page<T, F, Fut>(pages: usize, mut fetch: F) -> Result<Vec<T>, PageError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), PageError>>,
{
    let mut rows = Vec::new();
    let mut after = None;
    for _ in 0..pages {
        let (page, next) = fetch(after).await?;
        rows.extend(page);
        match next {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    Ok(rows)
}

/// The cursor of the page after one ending at `end_cursor`, if there is one.
pub fn next_cursor(has_next_page: bool, end_cursor: Option<String>) -> Option<String> {
    end_cursor.filter(|_| has_next_page)
}

/// Most pages of tariffs a picker reads (100 each).
const TARIFF_PAGES: usize = 10;

/// One tariff as a picker offers it.
pub struct TariffChoice {
    /// `trf_…`.
    pub id: String,
    pub name: String,
    pub currency: String,
    /// Its current version's number.
    pub version: i64,
}

/// Every tariff, newest first, or only those in `currency`.
pub async fn every_tariff(
    console: &Console,
    visitor: &Visitor,
    currency: Option<&str>,
) -> Result<Vec<TariffChoice>, PageError> {
    every_page(TARIFF_PAGES, |after| async move {
        let variables = tariff_choices::Variables {
            after,
            currency: currency.map(str::to_owned),
        };
        let page = console
            .run::<TariffChoices>(variables, Some(&visitor.session))
            .await?
            .tariffs;
        let rows = page
            .nodes
            .into_iter()
            .map(|t| TariffChoice {
                id: t.id,
                name: t.name,
                currency: t.currency,
                version: t.current_version.version,
            })
            .collect();
        Ok((
            rows,
            next_cursor(page.page_info.has_next_page, page.page_info.end_cursor),
        ))
    })
    .await
}

/// Most pages of a customer's subscriptions a picker reads (100 each).
const SUBSCRIPTION_PAGES: usize = 10;

/// A subscription that is not cancelled, as a picker offers it.
pub struct SubscriptionChoice {
    /// `sub_…`.
    pub id: String,
    /// Its status, in words ("Active").
    pub status: String,
    /// Its items.
    pub items: Vec<ItemChoice>,
}

/// An item of a [`SubscriptionChoice`].
pub struct ItemChoice {
    /// `si_…`.
    pub id: String,
    pub quantity: i64,
    /// The unit price it bills, formatted, if the price has one.
    pub unit_price: Option<String>,
    /// Its product's name.
    pub product: String,
    /// Its product's kind as the schema spells it (`NUMBER`, `SERVICE`…).
    pub kind: String,
}

/// Every subscription of customer `id` that is not cancelled, oldest first, with its items.
pub async fn every_subscription(
    console: &Console,
    visitor: &Visitor,
    id: &str,
) -> Result<Vec<SubscriptionChoice>, PageError> {
    every_page(SUBSCRIPTION_PAGES, |after| async move {
        let variables = subscription_choices::Variables {
            id: id.to_owned(),
            after,
        };
        let page = console
            .run::<SubscriptionChoices>(variables, Some(&visitor.session))
            .await?
            .customer
            .subscriptions;
        let rows = page
            .nodes
            .into_iter()
            .map(|s| SubscriptionChoice {
                id: s.id,
                status: label(&s.status),
                items: s
                    .items
                    .into_iter()
                    .map(|i| ItemChoice {
                        id: i.id,
                        quantity: i.quantity,
                        unit_price: i.unit_price_formatted,
                        product: i.product.name,
                        kind: schema_name(&i.product.kind),
                    })
                    .collect(),
            })
            .collect();
        Ok((
            rows,
            next_cursor(page.page_info.has_next_page, page.page_info.end_cursor),
        ))
    })
    .await
}

/// Most pages of products a picker reads (100 each).
const PRODUCT_PAGES: usize = 10;

/// A product still sold, as a picker offers it.
pub struct ProductChoice {
    /// `prod_…`.
    pub id: String,
    pub name: String,
    /// Every version of its price, sold or not: the caller picks.
    pub prices: Vec<PriceChoice>,
}

/// A version of a [`ProductChoice`]'s price.
pub struct PriceChoice {
    /// `price_…`.
    pub id: String,
    pub version: i64,
    pub currency: String,
    /// The billing interval as the schema names it (`MONTH`), none for a one-time price.
    pub interval: Option<String>,
    /// The interval in words, lower case ("month").
    pub interval_words: Option<String>,
    pub interval_count: i64,
    /// The unit amount, formatted; none for a tiered price.
    pub unit_amount: Option<String>,
    /// Whether new subscriptions may use it.
    pub active: bool,
}

/// Every product still sold, oldest first, or only those of `kind`, with their prices.
pub async fn every_product(
    console: &Console,
    visitor: &Visitor,
    kind: Option<product_choices::ProductKind>,
) -> Result<Vec<ProductChoice>, PageError> {
    // The operation asks for products still sold, and of `kind`; checked again here, as a
    // picker must never offer another.
    let wanted = kind.as_ref().map(schema_name);
    every_page(PRODUCT_PAGES, |after| {
        let (kind, wanted) = (kind.clone(), wanted.clone());
        async move {
            let variables = product_choices::Variables { after, kind };
            let page = console
                .run::<ProductChoices>(variables, Some(&visitor.session))
                .await?
                .products;
            let rows = page
                .nodes
                .into_iter()
                .filter(|p| p.active && wanted.as_ref().is_none_or(|k| *k == schema_name(&p.kind)))
                .map(|p| ProductChoice {
                    id: p.id,
                    name: p.name,
                    prices: p.prices.into_iter().map(price_choice).collect(),
                })
                .collect();
            Ok((
                rows,
                next_cursor(page.page_info.has_next_page, page.page_info.end_cursor),
            ))
        }
    })
    .await
}

/// A price version as a picker offers it.
fn price_choice(price: product_choices::ProductChoicesProductsNodesPrices) -> PriceChoice {
    PriceChoice {
        id: price.id,
        version: price.version,
        currency: price.currency,
        interval: price.interval.as_ref().map(schema_name),
        interval_words: price
            .interval
            .as_ref()
            .map(|unit| label(unit).to_lowercase()),
        interval_count: price.interval_count,
        unit_amount: price.unit_amount_formatted,
        active: price.active,
    }
}
