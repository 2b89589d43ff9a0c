//! `GET /admin/catalog/tax-rates`: every tax rate by country and region; `POST` creates one
//! (the API refuses a second active rate for the same place); `POST …/archive` archives one.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Section;
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, either, typed};
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{
    ArchiveTaxRate, CreateTaxRate, TaxRates, archive_tax_rate, create_tax_rate, tax_rates,
};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::day;

/// The tax rates page.
#[derive(Template)]
#[template(path = "catalog/tax_rates.html")]
struct TaxRatesPage {
    chrome: Chrome,
    section: Section,
    flash: Option<Flash>,
    rates: Vec<RateRow>,
    /// The list's filter, as the URL carries it.
    filter_form: FilterForm,
    /// The next page (same filter), if there is one.
    next: Option<String>,
    form: TaxRateForm,
    errors: FormErrors,
}

/// One rate.
struct RateRow {
    id: String,
    /// "FR", "CA-QC".
    place: String,
    name: String,
    rate: String,
    active: bool,
    created: String,
}

/// The create form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct TaxRateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    rate: String,
}

/// An archive form.
#[derive(Deserialize)]
pub(super) struct ArchiveForm {
    csrf: String,
    rate: String,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct TaxRatesParams {
    after: Option<String>,
    done: Option<String>,
    #[serde(flatten)]
    filter: TaxRatesFilter,
}

/// The list's filter, as the URL carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct TaxRatesFilter {
    /// A country code (`FR`); the API refuses one that is not.
    #[serde(default)]
    country: String,
    /// `active`, `archived`, or empty for both.
    #[serde(default)]
    status: String,
}

/// The statuses the filter offers: (value, words).
const STATUSES: [(&str, &str); 2] = [("active", "Applies"), ("archived", "Archived")];

impl TaxRatesFilter {
    fn form(&self) -> FilterForm {
        FilterForm {
            route: Route::TaxRates(None),
            label: "Find tax rates",
            fields: vec![
                FilterField::text("country", "Country", &self.country),
                FilterField::select("status", "Status", "Any status", &STATUSES, &self.status),
            ],
        }
    }

    /// The operation's variables from `after`; a value a select does not offer is a bad
    /// request, not "every row".
    fn variables(&self, after: Option<String>) -> Result<tax_rates::Variables, PageError> {
        Ok(tax_rates::Variables {
            after,
            country: typed(&self.country),
            active: either(&self.status, "active", "archived")?,
        })
    }
}

impl TaxRatesPage {
    fn fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text("country".into(), "Country", &f.country, e, "country")
                .hint("ISO 3166 code: FR, DE, US…"),
            InputField::text("region".into(), "Region (optional)", &f.region, e, "region")
                .hint("QC, NY…; empty: the whole country."),
            InputField::text("name".into(), "Name on invoices", &f.name, e, "name"),
            InputField::text("rate".into(), "Percent", &f.rate, e, "rate")
                .hint("0 to 100, exact (20, 8.875)."),
        ]
    }
}

async fn rates_page(
    console: &Console,
    visitor: &Visitor,
    filter: TaxRatesFilter,
    after: Option<String>,
    flash: Option<Flash>,
    form: TaxRateForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Catalog).await?;
    let connection = console
        .run::<TaxRates>(filter.variables(after)?, Some(&visitor.session))
        .await?
        .tax_rates;
    let rates = connection
        .nodes
        .into_iter()
        .map(|r| RateRow {
            id: r.id,
            place: match r.region {
                Some(region) => format!("{}-{region}", r.country),
                None => r.country,
            },
            name: r.name,
            rate: r.rate,
            active: r.active,
            created: day(r.created_at.date_naive()),
        })
        .collect();
    let status = errors.status();
    let filter_form = filter.form();
    let page = TaxRatesPage {
        chrome,
        section: Section::TaxRates,
        flash,
        rates,
        next: filter_form.next_href(
            connection
                .page_info
                .has_next_page
                .then_some(connection.page_info.end_cursor)
                .flatten(),
        ),
        filter_form,
        form,
        errors,
    };
    Ok(render(status, &page))
}

/// `GET /admin/catalog/tax-rates`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<TaxRatesParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    let form = TaxRateForm::default();
    rates_page(
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

/// `POST /admin/catalog/tax-rates`.
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<TaxRateForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = create_tax_rate::CreateTaxRateInput {
        country: form.country.trim().to_uppercase(),
        region: Some(form.region.trim().to_uppercase()).filter(|r| !r.is_empty()),
        name: form.name.trim().to_owned(),
        rate: form.rate.trim().to_owned(),
    };
    match console
        .run::<CreateTaxRate>(create_tax_rate::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&Flash::TaxRateCreated.href(&Route::TaxRates(None))).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| {
                matches!(f, "country" | "region" | "name" | "rate")
            })?;
            rates_page(
                &console,
                &visitor,
                TaxRatesFilter::default(),
                None,
                None,
                form,
                errors,
            )
            .await
        }
    }
}

/// `POST /admin/catalog/tax-rates/archive`.
pub(super) async fn archive(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<ArchiveForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = archive_tax_rate::ArchiveTaxRateInput {
        tax_rate_id: form.rate,
    };
    console
        .run::<ArchiveTaxRate>(
            archive_tax_rate::Variables { input },
            Some(&visitor.session),
        )
        .await?;
    Ok(Redirect::to(&Flash::TaxRateArchived.href(&Route::TaxRates(None))).into_response())
}
