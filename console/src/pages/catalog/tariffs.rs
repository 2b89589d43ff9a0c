//! `GET /admin/catalog/tariffs`: the tariffs telephone calls are rated with, each with its
//! current version's terms; `POST` creates one with its version 1 and opens it.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Section;
use super::rates::{TermsForm, terms_refusal};
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, typed};
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{CreateTariff, Tariffs, create_tariff, tariffs};
use crate::route::Route;
use crate::session::Visitor;

/// The tariffs page.
#[derive(Template)]
#[template(path = "catalog/tariffs.html")]
struct TariffsPage {
    chrome: Chrome,
    section: Section,
    flash: Option<Flash>,
    tariffs: Vec<TariffRow>,
    /// The list's filter, as the URL carries it.
    filter_form: FilterForm,
    /// The next page (same filter), if there is one.
    next: Option<String>,
    form: NewTariffForm,
    errors: FormErrors,
}

/// One tariff.
struct TariffRow {
    href: Route,
    name: String,
    currency: String,
    version: i64,
    /// "30/6".
    increments: String,
    minimum: String,
    fee: String,
    rates: i64,
}

/// The create form.
#[derive(Default, Deserialize)]
pub(super) struct NewTariffForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    currency: String,
    #[serde(flatten)]
    terms: TermsForm,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct TariffsParams {
    done: Option<String>,
    after: Option<String>,
    #[serde(flatten)]
    filter: TariffsFilter,
}

/// The list's filter, as the URL carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct TariffsFilter {
    /// A piece of the name.
    #[serde(default)]
    q: String,
    /// A currency code (`EUR`); the API refuses one that is not.
    #[serde(default)]
    currency: String,
}

impl TariffsFilter {
    fn form(&self) -> FilterForm {
        FilterForm {
            route: Route::Tariffs,
            label: "Find tariffs",
            fields: vec![
                FilterField::text("q", "Name", &self.q),
                FilterField::text("currency", "Currency", &self.currency),
            ],
        }
    }

    fn variables(&self, after: Option<String>) -> tariffs::Variables {
        tariffs::Variables {
            after,
            search: typed(&self.q),
            currency: typed(&self.currency),
        }
    }
}

impl TariffsPage {
    fn fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        let mut fields = vec![
            InputField::text("name".into(), "Name", &f.name, e, "name"),
            InputField::text("currency".into(), "Currency", &f.currency, e, "currency")
                .hint("A number's tariff is in its customer's currency."),
        ];
        fields.extend(f.terms.fields(e));
        fields
    }

    fn rates_error(&self) -> Option<&str> {
        self.errors.get("rates")
    }
}

async fn tariffs_page(
    console: &Console,
    visitor: &Visitor,
    filter: TariffsFilter,
    after: Option<String>,
    flash: Option<Flash>,
    form: NewTariffForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Catalog).await?;
    let connection = console
        .run::<Tariffs>(filter.variables(after), Some(&visitor.session))
        .await?
        .tariffs;
    let rows = connection
        .nodes
        .into_iter()
        .map(|t| {
            let v = t.current_version;
            TariffRow {
                href: Route::Tariff(t.id),
                name: t.name,
                currency: t.currency,
                version: v.version,
                increments: format!("{}/{}", v.increment_first_seconds, v.increment_next_seconds),
                minimum: v.minimum_charge,
                fee: v.connection_fee,
                rates: v.rate_count,
            }
        })
        .collect();
    let status = errors.status();
    let filter_form = filter.form();
    let page = TariffsPage {
        chrome,
        section: Section::Tariffs,
        flash,
        tariffs: rows,
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

/// `GET /admin/catalog/tariffs`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<TariffsParams>,
) -> Result<Response, PageError> {
    let form = NewTariffForm {
        currency: "EUR".into(),
        terms: TermsForm {
            increment_first_seconds: "60".into(),
            increment_next_seconds: "60".into(),
            minimum_charge: "0".into(),
            connection_fee: "0".into(),
            ..TermsForm::default()
        },
        ..NewTariffForm::default()
    };
    let flash = Flash::from_param(params.done.as_deref());
    tariffs_page(
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

/// `POST /admin/catalog/tariffs`: the new tariff's page, or the form's refusal.
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<NewTariffForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let terms = match form.terms.parse() {
        Ok(terms) => terms,
        Err(errors) => {
            return tariffs_page(
                &console,
                &visitor,
                TariffsFilter::default(),
                None,
                None,
                form,
                errors,
            )
            .await;
        }
    };
    let input = create_tariff::CreateTariffInput {
        name: form.name.trim().to_owned(),
        currency: form.currency.trim().to_uppercase(),
        rates: terms
            .rates
            .into_iter()
            .map(|(prefix, rate_per_minute)| create_tariff::TariffRateInput {
                prefix,
                rate_per_minute,
            })
            .collect(),
        increment_first_seconds: terms.first,
        increment_next_seconds: terms.next,
        minimum_charge: terms.minimum,
        connection_fee: terms.fee,
    };
    match console
        .run::<CreateTariff>(create_tariff::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let tariff = Route::Tariff(data.create_tariff.tariff.id);
            Ok(Redirect::to(&Flash::TariffCreated.href(&tariff)).into_response())
        }
        Err(error) => {
            let errors = terms_refusal(error, &["name", "currency"])?;
            tariffs_page(
                &console,
                &visitor,
                TariffsFilter::default(),
                None,
                None,
                form,
                errors,
            )
            .await
        }
    }
}
