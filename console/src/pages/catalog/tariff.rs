//! `GET /admin/catalog/tariffs/{id}`: a tariff's versions and the rates of the current one;
//! `POST …/versions` creates the next version (calls recorded from then on are rated with it;
//! rated calls keep theirs). Unrated calls are rated again from the usage page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Section;
use super::rates::{TermsForm, terms_refusal};
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{CreateTariffVersion, Tariff, create_tariff_version, tariff};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::day;

/// The tariff page.
#[derive(Template)]
#[template(path = "catalog/tariff.html")]
struct TariffPage {
    chrome: Chrome,
    section: Section,
    flash: Option<Flash>,
    id: String,
    name: String,
    currency: String,
    /// Every version, newest first.
    versions: Vec<VersionRow>,
    /// The current version's rates: (prefix, rate per minute).
    rates: Vec<(String, String)>,
    form: TermsForm,
    errors: FormErrors,
}

/// One version.
struct VersionRow {
    version: i64,
    created: String,
    /// "30/6".
    increments: String,
    minimum: String,
    fee: String,
    rates: usize,
    current: bool,
}

/// The new version form.
#[derive(Deserialize)]
pub(super) struct VersionForm {
    csrf: String,
    #[serde(flatten)]
    terms: TermsForm,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct TariffParams {
    done: Option<String>,
}

impl TariffPage {
    fn fields(&self) -> Vec<InputField> {
        self.form.fields(&self.errors)
    }

    fn rates_error(&self) -> Option<&str> {
        self.errors.get("rates")
    }
}

async fn tariff_page(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    flash: Option<Flash>,
    form: Option<TermsForm>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Catalog).await?;
    let t = console
        .run::<Tariff>(
            tariff::Variables { id: id.to_owned() },
            Some(&visitor.session),
        )
        .await?
        .tariff;
    let current = t.current_version;
    let versions = t
        .versions
        .into_iter()
        .rev()
        .map(|v| VersionRow {
            current: v.version == current.version,
            version: v.version,
            created: day(v.created_at.date_naive()),
            increments: format!("{}/{}", v.increment_first_seconds, v.increment_next_seconds),
            minimum: v.minimum_charge,
            fee: v.connection_fee,
            rates: v.rates.len(),
        })
        .collect();
    let form = form.unwrap_or_else(|| {
        TermsForm::from_version(
            current
                .rates
                .iter()
                .map(|r| (r.prefix.as_str(), r.rate_per_minute.as_str())),
            current.increment_first_seconds,
            current.increment_next_seconds,
            &current.minimum_charge,
            &current.connection_fee,
        )
    });
    let status = errors.status();
    let page = TariffPage {
        chrome,
        section: Section::Tariffs,
        flash,
        id: t.id,
        name: t.name,
        currency: t.currency,
        versions,
        rates: current
            .rates
            .into_iter()
            .map(|r| (r.prefix, r.rate_per_minute))
            .collect(),
        form,
        errors,
    };
    Ok(render(status, &page))
}

/// `GET /admin/catalog/tariffs/{id}`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<TariffParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    tariff_page(&console, &visitor, &id, flash, None, FormErrors::none()).await
}

/// `POST /admin/catalog/tariffs/{id}/versions`.
pub(super) async fn create_version(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<VersionForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let terms = match form.terms.parse() {
        Ok(terms) => terms,
        Err(errors) => {
            return tariff_page(&console, &visitor, &id, None, Some(form.terms), errors).await;
        }
    };
    let input = create_tariff_version::CreateTariffVersionInput {
        tariff_id: id.clone(),
        rates: terms
            .rates
            .into_iter()
            .map(
                |(prefix, rate_per_minute)| create_tariff_version::TariffRateInput {
                    prefix,
                    rate_per_minute,
                },
            )
            .collect(),
        increment_first_seconds: terms.first,
        increment_next_seconds: terms.next,
        minimum_charge: terms.minimum,
        connection_fee: terms.fee,
    };
    match console
        .run::<CreateTariffVersion>(
            create_tariff_version::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(_) => {
            let tariff = Route::Tariff(id);
            Ok(Redirect::to(&Flash::TariffVersionCreated.href(&tariff)).into_response())
        }
        Err(error) => {
            let errors = terms_refusal(error, &[])?;
            tariff_page(&console, &visitor, &id, None, Some(form.terms), errors).await
        }
    }
}
