//! `GET /admin/catalog/products/{id}`: a product with every version of its price and how many
//! subscription items bill each; `POST …/prices` creates the next version (sold to new
//! subscriptions from now on); `POST …/move` moves the items of a version to the version sold
//! today, so that their next invoice bills it.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::tiers::{TierLines, tiers_text};
use super::{Section, every};
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::client::ConsoleError;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, SelectField};
use crate::html::render;
use crate::operations::{
    CatalogProduct, CreatePrice, MoveSubscriptionsToPrice, catalog_product, create_price,
    move_subscriptions_to_price,
};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::{day, label, schema_name};

type Version = catalog_product::CatalogProductProductPrices;

/// The intervals a price may have: (schema value, words).
const INTERVALS: [(&str, &str); 5] = [
    ("MONTH", "Month"),
    ("QUARTER", "Quarter"),
    ("YEAR", "Year"),
    ("WEEK", "Week"),
    ("DAY", "Day"),
];

/// The pricing models: (schema value, words).
const MODELS: [(&str, &str); 6] = [
    ("PER_UNIT", "Per unit: quantity × unit amount"),
    ("FLAT", "Flat: one amount whatever the quantity"),
    ("PACKAGE", "Package: an amount per started package of units"),
    ("GRADUATED", "Graduated: each tier's units at its price"),
    (
        "VOLUME",
        "Volume: every unit at the price of the tier reached",
    ),
    ("STAIRSTEP", "Stairstep: the flat fee of the tier reached"),
];

/// The product page.
#[derive(Template)]
#[template(path = "catalog/product.html")]
struct ProductPage {
    chrome: Chrome,
    section: Section,
    flash: Option<Flash>,
    id: String,
    name: String,
    code: String,
    kind: String,
    description: Option<String>,
    /// Every version, newest first.
    versions: Vec<VersionRow>,
    /// The version sold today (`v3`), if any.
    current: Option<u32>,
    /// The new version form, as typed (or as the current version is).
    form: PriceForm,
    errors: FormErrors,
    /// The move forms' refusal, shown above the versions.
    move_error: Option<String>,
}

/// One version of the price.
struct VersionRow {
    id: String,
    version: i64,
    /// "€12.50 per unit", "Graduated in EUR: 3 tiers".
    price: String,
    /// "per month".
    every: String,
    taxable: bool,
    /// Sold to new subscriptions.
    current: bool,
    created: String,
    /// Items of subscriptions that are not cancelled on it.
    items: i64,
    /// Where its items may move: the current version's id, when it is another one with the
    /// same currency and interval.
    move_to: Option<String>,
}

/// The new version form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct PriceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    interval: String,
    #[serde(default)]
    interval_count: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    unit_amount: String,
    #[serde(default)]
    package_size: String,
    #[serde(default)]
    tiers: String,
    /// Present (`on`) when checked.
    taxable: Option<String>,
}

/// A move form.
#[derive(Deserialize)]
pub(super) struct MoveForm {
    csrf: String,
    from: String,
    to: String,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct ProductParams {
    done: Option<String>,
}

impl ProductPage {
    fn amount_fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text("currency".into(), "Currency", &f.currency, e, "currency")
                .hint("ISO 4217 code: EUR, USD, GBP…"),
            InputField::text(
                "interval_count".into(),
                "Intervals per period",
                &f.interval_count,
                e,
                "intervalCount",
            ),
            InputField::text(
                "unit_amount".into(),
                "Amount",
                &f.unit_amount,
                e,
                "unitAmount",
            )
            .hint("Per unit, flat or per package; exact, up to 12 decimals (0.0123)."),
            InputField::text(
                "package_size".into(),
                "Units per package",
                &f.package_size,
                e,
                "packageSize",
            )
            .hint("Package model only."),
        ]
    }

    fn interval_field(&self) -> SelectField {
        SelectField::new(
            "interval",
            "Billed every",
            options(&INTERVALS),
            &self.form.interval,
            &self.errors,
            "interval",
        )
    }

    fn model_field(&self) -> SelectField {
        SelectField::new(
            "model",
            "Pricing model",
            options(&MODELS),
            &self.form.model,
            &self.errors,
            "model",
        )
    }

    /// The message beside the tiers.
    fn tiers_error(&self) -> Option<&str> {
        self.errors.get("tiers")
    }

    fn taxable(&self) -> bool {
        self.form.taxable.is_some()
    }
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(value, text)| ((*value).to_owned(), (*text).to_owned()))
        .collect()
}

/// A version's amount in words.
fn price_words(v: &Version) -> String {
    use catalog_product::PricingModelKind as Model;
    match (&v.model, &v.unit_amount_formatted) {
        (Some(Model::PER_UNIT), Some(a)) => format!("{a} per unit"),
        (Some(Model::PACKAGE), Some(a)) => format!(
            "{a} per package of {}",
            v.package_size.as_deref().unwrap_or("?")
        ),
        (_, Some(a)) => format!("{a} flat"),
        (model, None) => format!(
            "{} in {}: {} tiers",
            model.as_ref().map_or_else(|| "tiered".into(), label),
            v.currency,
            v.tiers.len()
        ),
    }
}

/// The form as the version sold today is (what a price change usually starts from).
fn form_from(current: Option<&Version>) -> PriceForm {
    let Some(v) = current else {
        return PriceForm {
            currency: "EUR".into(),
            interval: "MONTH".into(),
            interval_count: "1".into(),
            model: "PER_UNIT".into(),
            taxable: Some("on".into()),
            ..PriceForm::default()
        };
    };
    PriceForm {
        csrf: String::new(),
        currency: v.currency.clone(),
        interval: v.interval.as_ref().map(schema_name).unwrap_or_default(),
        interval_count: v.interval_count.to_string(),
        model: v.model.as_ref().map(schema_name).unwrap_or_default(),
        unit_amount: v.unit_amount.clone().unwrap_or_default(),
        package_size: v.package_size.clone().unwrap_or_default(),
        tiers: tiers_text(
            v.tiers
                .iter()
                .map(|t| (t.from, t.to, &*t.unit_amount, &*t.flat_fee)),
        ),
        taxable: v.taxable.then(|| "on".into()),
    }
}

/// The same enum value in another operation's type: operations each generate their own.
fn same_value<A: serde::Serialize, B: serde::de::DeserializeOwned>(value: &A) -> Option<B> {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}

async fn product_page(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    flash: Option<Flash>,
    form: Option<PriceForm>,
    errors: FormErrors,
    move_error: Option<String>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Catalog).await?;
    let product = console
        .run::<CatalogProduct>(
            catalog_product::Variables { id: id.to_owned() },
            Some(&visitor.session),
        )
        .await?
        .product;
    let current = product.prices.iter().find(|v| v.active);
    let compatible = |v: &Version| {
        current.filter(|c| {
            c.id != v.id
                && c.currency == v.currency
                && schema_name(&c.interval) == schema_name(&v.interval)
                && c.interval_count == v.interval_count
        })
    };
    let versions = product
        .prices
        .iter()
        .map(|v| VersionRow {
            id: v.id.clone(),
            version: v.version,
            price: price_words(v),
            every: every(v.interval.as_ref(), v.interval_count),
            taxable: v.taxable,
            current: v.active,
            created: day(v.created_at.date_naive()),
            items: v.subscription_item_count,
            move_to: compatible(v).map(|c| c.id.clone()),
        })
        .collect();
    let status = if errors.is_refused() || move_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ProductPage {
        chrome,
        section: Section::Products,
        flash,
        form: form.unwrap_or_else(|| form_from(current)),
        current: current.and_then(|c| u32::try_from(c.version).ok()),
        id: product.id,
        name: product.name,
        code: product.code,
        kind: label(&product.kind),
        description: product.description,
        versions,
        errors,
        move_error,
    };
    Ok(render(status, &page))
}

/// `GET /admin/catalog/products/{id}`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<ProductParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    product_page(
        &console,
        &visitor,
        &id,
        flash,
        None,
        FormErrors::none(),
        None,
    )
    .await
}

/// The license rules of the version sold today, carried over to the next one: a price change
/// is a change of amount, not of how seats are prorated.
async fn current_rules(
    console: &Console,
    visitor: &Visitor,
    id: &str,
) -> Result<Option<create_price::LicenseRulesInput>, PageError> {
    let product = console
        .run::<CatalogProduct>(
            catalog_product::Variables { id: id.to_owned() },
            Some(&visitor.session),
        )
        .await?
        .product;
    let Some(rules) = product
        .prices
        .into_iter()
        .find(|v| v.active)
        .map(|v| v.license)
    else {
        return Ok(None);
    };
    let (Some(proration_unit), Some(additions_charged)) = (
        same_value(&rules.proration_unit),
        same_value(&rules.additions_charged),
    ) else {
        return Ok(None);
    };
    Ok(Some(create_price::LicenseRulesInput {
        proration_unit,
        additions_charged,
        credit_removals: rules.credit_removals,
        remove_one_at_a_time: rules.remove_one_at_a_time,
        min_quantity: rules.min_quantity,
        max_quantity: rules.max_quantity,
    }))
}

/// `POST /admin/catalog/products/{id}/prices`.
pub(super) async fn create_price(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<PriceForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let refuse = |field: &str, message: &str| FormErrors::on(field, message);
    let parsed = (|| {
        // Only values the form offers: an enum of the schema reads any other as `Other`.
        let interval = INTERVALS
            .iter()
            .any(|(v, _)| *v == form.interval)
            .then(|| same_value::<_, create_price::IntervalUnit>(&form.interval))
            .flatten()
            .ok_or_else(|| refuse("interval", "Choose an interval."))?;
        let model = MODELS
            .iter()
            .any(|(v, _)| *v == form.model)
            .then(|| same_value::<_, create_price::PricingModelKind>(&form.model))
            .flatten()
            .ok_or_else(|| refuse("model", "Choose a pricing model."))?;
        let interval_count = form
            .interval_count
            .trim()
            .parse::<i64>()
            .map_err(|_| refuse("intervalCount", "A whole number of intervals, 1 or more."))?;
        let package_size = match form.package_size.trim() {
            "" => None,
            size => Some(
                size.parse::<i64>()
                    .map_err(|_| refuse("packageSize", "A whole number of units."))?,
            ),
        };
        let tiers = TierLines::parse(&form.tiers).map_err(|m| refuse("tiers", &m))?;
        Ok::<_, FormErrors>((interval, model, interval_count, package_size, tiers))
    })();
    let (interval, model, interval_count, package_size, tiers) = match parsed {
        Ok(parsed) => parsed,
        Err(errors) => {
            return product_page(&console, &visitor, &id, None, Some(form), errors, None).await;
        }
    };
    let tiered = matches!(
        model,
        create_price::PricingModelKind::GRADUATED
            | create_price::PricingModelKind::VOLUME
            | create_price::PricingModelKind::STAIRSTEP
    );
    let license = current_rules(&console, &visitor, &id).await?;
    let variables = create_price::Variables {
        input: create_price::CreatePriceInput {
            product_id: id.clone(),
            currency: form.currency.trim().to_owned(),
            interval,
            interval_count,
            model,
            unit_amount: Some(form.unit_amount.trim().to_owned())
                .filter(|a| !a.is_empty() && !tiered),
            package_size,
            tiers: tiered.then(|| tiers.into_input()),
            taxable: form.taxable.is_some(),
            license,
        },
    };
    match console
        .run::<CreatePrice>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Redirect::to(&Flash::PriceCreated.href(&Route::Product(id))).into_response()),
        Err(error) => {
            let errors = price_refusal(error)?;
            product_page(&console, &visitor, &id, None, Some(form), errors, None).await
        }
    }
}

/// The API's refusal placed on the form: a tier's field names its line in the tiers box.
fn price_refusal(error: ConsoleError) -> Result<FormErrors, ConsoleError> {
    if let ConsoleError::Field { field, message } = &error
        && let Some(rest) = field.strip_prefix("input.tiers.")
    {
        let line = rest
            .split('.')
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .map_or(String::new(), |n| format!("Line {}: ", n + 1));
        return Ok(FormErrors::on("tiers", format!("{line}{message}")));
    }
    FormErrors::from_refusal(error, |f| {
        matches!(
            f,
            "currency"
                | "interval"
                | "intervalCount"
                | "model"
                | "unitAmount"
                | "packageSize"
                | "tiers"
        )
    })
}

/// `POST /admin/catalog/products/{id}/move`.
pub(super) async fn move_subscriptions(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let variables = move_subscriptions_to_price::Variables {
        input: move_subscriptions_to_price::MoveSubscriptionsToPriceInput {
            from_price_id: form.from,
            to_price_id: form.to,
        },
    };
    match console
        .run::<MoveSubscriptionsToPrice>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&Flash::SubscriptionsMoved.href(&Route::Product(id))).into_response())
        }
        Err(error) => {
            let message = FormErrors::from_refusal(error, |_| false)?.form;
            product_page(
                &console,
                &visitor,
                &id,
                None,
                None,
                FormErrors::none(),
                message,
            )
            .await
        }
    }
}
