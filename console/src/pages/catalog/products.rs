//! `GET /admin/catalog`: the products, each with the price version sold today, found by a
//! piece of their name or code, their kind and whether they are sold (`?q=…&kind=…&status=…`,
//! kept across pages); `POST` creates a product and opens it, where its first price is given.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Section, every};
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::filter::{chosen, typed};
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, SelectField};
use crate::html::render;
use crate::operations::{CatalogProducts, CreateProduct, catalog_products, create_product};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::label;

/// The kinds a product may have, as the form offers them: (schema value, words).
const KINDS: [(&str, &str); 5] = [
    ("SERVICE", "Service: recurring, with a quantity"),
    ("LICENSE", "License: seats assigned to members"),
    ("METERED", "Metered: usage rated at the period's end"),
    ("ONE_OFF", "One-off: a non-recurring addon"),
    ("NUMBER", "Number: a telephone number with a tariff"),
];

/// The products page.
#[derive(Template)]
#[template(path = "catalog/products.html")]
struct ProductsPage {
    chrome: Chrome,
    section: Section,
    flash: Option<Flash>,
    products: Vec<ProductRow>,
    /// The list's filter, as the URL carries it.
    filter: ProductsFilter,
    /// The next page's link (with the same filter), if there is one.
    next: Option<String>,
    form: NewProductForm,
    errors: FormErrors,
}

/// One product.
struct ProductRow {
    /// Its page.
    href: Route,
    name: String,
    code: String,
    kind: String,
    /// The version sold today, in words ("v2: €12.50 per unit per month"), if any.
    current: Option<String>,
    /// How many versions its price has had.
    versions: usize,
    /// Whether it is sold to new subscriptions.
    active: bool,
}

/// The create form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct NewProductForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    description: String,
}

impl ProductsPage {
    fn fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text("name".into(), "Name on invoices", &f.name, e, "name"),
            InputField::text("code".into(), "Code", &f.code, e, "code")
                .hint("Unique: letters, digits, '-' and '_'."),
            InputField::text(
                "description".into(),
                "Description (optional)",
                &f.description,
                e,
                "description",
            ),
        ]
    }

    fn kind_field(&self) -> SelectField {
        let options = KINDS
            .iter()
            .map(|(value, text)| ((*value).to_owned(), (*text).to_owned()))
            .collect();
        SelectField::new(
            "kind",
            "Kind",
            options,
            &self.form.kind,
            &self.errors,
            "kind",
        )
    }
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct ProductsParams {
    after: Option<String>,
    done: Option<String>,
    #[serde(flatten)]
    filter: ProductsFilter,
}

/// The list's filter, as the URL carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct ProductsFilter {
    /// A piece of the name or code.
    #[serde(default)]
    q: String,
    /// A kind of [`KINDS`], or empty for every kind.
    #[serde(default)]
    kind: String,
    /// `sold`, `archived`, or empty for both.
    #[serde(default)]
    status: String,
}

/// The statuses the filter offers: (value, words).
const STATUSES: [(&str, &str); 2] = [("sold", "Sold"), ("archived", "Not sold")];

impl ProductsFilter {
    /// The URL's query pairs of this filter, empty ones left out.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("q", &self.q),
            ("kind", &self.kind),
            ("status", &self.status),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }

    /// The operation's variables from `after`; a kind or status the selects do not offer is
    /// a bad request, not "every product".
    fn variables(&self, after: Option<String>) -> Result<catalog_products::Variables, PageError> {
        let active = match self.status.as_str() {
            "" => None,
            "sold" => Some(true),
            "archived" => Some(false),
            _ => {
                return Err(PageError::BadRequest(
                    "Choose a value the filter offers.".into(),
                ));
            }
        };
        Ok(catalog_products::Variables {
            after,
            search: typed(&self.q),
            kind: chosen(&self.kind, &KINDS)?,
            active,
        })
    }
}

impl ProductsPage {
    /// The kind filter's choices: (value, words).
    fn kind_choices(&self) -> Vec<(&'static str, &'static str)> {
        KINDS
            .iter()
            .map(|(value, words)| (*value, words.split(':').next().unwrap_or(words)))
            .collect()
    }

    /// The status filter's choices: (value, words).
    fn status_choices(&self) -> [(&'static str, &'static str); 2] {
        STATUSES
    }

    /// Whether the kind filter shows `value`.
    fn is_kind(&self, value: &str) -> bool {
        self.filter.kind == value
    }

    /// Whether the status filter shows `value`.
    fn is_status(&self, value: &str) -> bool {
        self.filter.status == value
    }
}

/// A price version in words: "v2: €12.50 per unit per month".
fn summary(price: &catalog_products::CatalogProductsProductsNodesPrices) -> String {
    let amount = match (&price.model, &price.unit_amount_formatted) {
        (Some(catalog_products::PricingModelKind::PER_UNIT), Some(a)) => format!("{a} per unit"),
        (Some(catalog_products::PricingModelKind::PACKAGE), Some(a)) => format!("{a} per package"),
        (_, Some(a)) => a.clone(),
        (model, None) => model
            .as_ref()
            .map_or_else(|| "tiered".to_owned(), |m| label(m).to_lowercase()),
    };
    format!(
        "v{}: {amount} {}",
        price.version,
        every(price.interval.as_ref(), price.interval_count)
    )
}

async fn products_page(
    console: &Console,
    visitor: &Visitor,
    filter: ProductsFilter,
    after: Option<String>,
    flash: Option<Flash>,
    form: NewProductForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Catalog).await?;
    let data = console
        .run::<CatalogProducts>(filter.variables(after)?, Some(&visitor.session))
        .await?;
    let connection = data.products;
    let products = connection
        .nodes
        .into_iter()
        .map(|p| ProductRow {
            href: Route::Product(p.id),
            current: p.prices.iter().find(|v| v.active).map(summary),
            versions: p.prices.len(),
            kind: label(&p.kind),
            name: p.name,
            code: p.code,
            active: p.active,
        })
        .collect();
    let status = errors.status();
    let page = ProductsPage {
        chrome,
        section: Section::Products,
        flash,
        products,
        next: connection
            .page_info
            .has_next_page
            .then_some(connection.page_info.end_cursor)
            .flatten()
            .map(|after| {
                let mut pairs = filter.pairs();
                pairs.push(("after", after));
                Route::Products(None).href_with(&pairs)
            }),
        filter,
        form,
        errors,
    };
    Ok(render(status, &page))
}

/// `GET /admin/catalog`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<ProductsParams>,
) -> Result<Response, PageError> {
    let form = NewProductForm {
        kind: "SERVICE".into(),
        ..NewProductForm::default()
    };
    let flash = Flash::from_param(params.done.as_deref());
    products_page(
        &console,
        &visitor,
        params.filter,
        params.after,
        flash,
        form,
        FormErrors::none(),
    )
    .await
}

/// `POST /admin/catalog`: the new product's page, or the form's refusal.
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<NewProductForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    use create_product::ProductKind as Kind;
    let kind = match form.kind.as_str() {
        "SERVICE" => Kind::SERVICE,
        "LICENSE" => Kind::LICENSE,
        "METERED" => Kind::METERED,
        "ONE_OFF" => Kind::ONE_OFF,
        "NUMBER" => Kind::NUMBER,
        _ => {
            let errors = FormErrors::on("kind", "Choose a kind.");
            return products_page(
                &console,
                &visitor,
                ProductsFilter::default(),
                None,
                None,
                form,
                errors,
            )
            .await;
        }
    };
    let variables = create_product::Variables {
        input: create_product::CreateProductInput {
            name: form.name.clone(),
            code: form.code.clone(),
            kind,
            description: Some(form.description.clone()).filter(|d| !d.trim().is_empty()),
        },
    };
    match console
        .run::<CreateProduct>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let product = Route::Product(data.create_product.product.id);
            Ok(Redirect::to(&Flash::ProductCreated.href(&product)).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| {
                matches!(f, "name" | "code" | "kind" | "description")
            })?;
            products_page(
                &console,
                &visitor,
                ProductsFilter::default(),
                None,
                None,
                form,
                errors,
            )
            .await
        }
    }
}
