//! `GET/POST /admin/customers/new`: creating a customer with the API's `createCustomer`; a
//! refusal shows next to the field at fault.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{CreateCustomer, create_customer};
use crate::route::{Route, Tab};
use crate::session::Visitor;

/// The fields of the form, as the API names them (without `input.`).
const FIELDS: [&str; 7] = [
    "name",
    "company",
    "email",
    "currency",
    "timeZone",
    "taxRate",
    "externalReference",
];

/// The form's values, as typed (and shown again after a refusal).
#[derive(Deserialize, Default)]
pub(super) struct NewCustomerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    tax_rate: String,
    #[serde(default)]
    external_reference: String,
}

/// The new customer page.
#[derive(Template)]
#[template(path = "customers/new.html")]
struct NewCustomerPage {
    /// The frame.
    chrome: Chrome,
    /// The values.
    form: NewCustomerForm,
    /// The refusal, if the API refused them.
    errors: FormErrors,
}

impl NewCustomerPage {
    /// The form's fields, in order.
    fn fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text("name".into(), "Name", &f.name, e, "name")
                .kind("text", "organization"),
            InputField::text(
                "company".into(),
                "Company (legal name, if different)",
                &f.company,
                e,
                "company",
            )
            .kind("text", "organization"),
            InputField::text("email".into(), "Billing e-mail", &f.email, e, "email")
                .kind("email", "email"),
            InputField::text("currency".into(), "Currency", &f.currency, e, "currency")
                .hint("ISO 4217 code: EUR, USD, GBP…"),
            InputField::text("time_zone".into(), "Time zone", &f.time_zone, e, "timeZone")
                .hint("IANA name, e.g. Europe/Paris: billing days are counted there."),
            InputField::text("tax_rate".into(), "Tax rate (%)", &f.tax_rate, e, "taxRate")
                .hint("Empty when the tax comes from the customer's country, or none applies."),
            InputField::text(
                "external_reference".into(),
                "External reference",
                &f.external_reference,
                e,
                "externalReference",
            )
            .hint(
                "Its id in another system of yours (telecom platform, CRM): staff find it by it.",
            ),
        ]
    }
}

/// The start of a new customer (`?name=…` from a search that found nothing).
#[derive(Deserialize)]
pub(super) struct NewCustomerParams {
    name: Option<String>,
}

/// `GET /admin/customers/new`.
pub(super) async fn form(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<NewCustomerParams>,
) -> Result<Response, PageError> {
    let page = NewCustomerPage {
        chrome: visitor.chrome(&console, Nav::NewCustomer).await?,
        form: NewCustomerForm {
            name: params.name.unwrap_or_default(),
            currency: "EUR".into(),
            time_zone: "Europe/Paris".into(),
            ..Default::default()
        },
        errors: FormErrors::none(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /admin/customers/new`: the new customer's page, or the form again with the refusal.
pub(super) async fn submit(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<NewCustomerForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    let variables = create_customer::Variables {
        input: create_customer::CreateCustomerInput {
            name: form.name.clone(),
            company: optional(&form.company),
            email: form.email.clone(),
            currency: form.currency.clone(),
            time_zone: form.time_zone.clone(),
            tax_rate: optional(&form.tax_rate),
            external_reference: optional(&form.external_reference),
        },
    };
    match console
        .run::<CreateCustomer>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => {
            let route = Route::Customer(data.create_customer.customer.id, Tab::default());
            Ok(Redirect::to(&Flash::CustomerCreated.href(&route)).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| FIELDS.contains(&f))?;
            let page = NewCustomerPage {
                chrome: visitor.chrome(&console, Nav::NewCustomer).await?,
                form,
                errors,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
