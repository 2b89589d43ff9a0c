//! `GET/POST /admin/customers/new`: creating a customer with the API's `createCustomer` (who
//! it is, its billing cycle and payment terms, tags, and optionally its billing address, all
//! written at once); a refusal shows next to the field at fault.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::cycle;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, SelectField};
use crate::html::render;
use crate::operations::{CreateCustomer, create_customer};
use crate::route::{Route, Tab};
use crate::session::Visitor;

/// The fields of the form, as the API names them (without `input.`).
const FIELDS: [&str; 17] = [
    "name",
    "company",
    "email",
    "currency",
    "timeZone",
    "taxRate",
    "externalReference",
    "paymentTermsDays",
    "billingCycle.interval",
    "billingCycle.intervalCount",
    "tags",
    "billingAddress.line1",
    "billingAddress.line2",
    "billingAddress.city",
    "billingAddress.postalCode",
    "billingAddress.region",
    "billingAddress.country",
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
    #[serde(default)]
    payment_terms_days: String,
    /// `MONTH`, `YEAR`… (see [`cycle::UNITS`]).
    #[serde(default)]
    cycle_unit: String,
    #[serde(default)]
    cycle_count: String,
    /// Comma-separated.
    #[serde(default)]
    tags: String,
    #[serde(default)]
    line1: String,
    #[serde(default)]
    line2: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    country: String,
}

impl NewCustomerForm {
    /// Whether an address was typed: any of its fields filled.
    fn has_address(&self) -> bool {
        [
            &self.line1,
            &self.line2,
            &self.city,
            &self.postal_code,
            &self.region,
            &self.country,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }
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
            InputField::text(
                "payment_terms_days".into(),
                "Payment terms (days)",
                &f.payment_terms_days,
                e,
                "paymentTermsDays",
            )
            .kind("number", "off")
            .hint("From issue to due date: 0 (on receipt) to 365."),
        ]
    }

    /// The billing cycle's unit.
    fn cycle_unit(&self) -> SelectField {
        cycle::unit_field(&self.form.cycle_unit, &self.errors)
    }

    /// How many units one cycle lasts.
    fn cycle_count(&self) -> InputField {
        cycle::count_field(
            &self.form.cycle_count,
            &self.errors,
            "Its new subscriptions bill at this cycle unless another is chosen.",
        )
    }

    /// The tags.
    fn tags_field(&self) -> InputField {
        InputField::text("tags".into(), "Tags", &self.form.tags, &self.errors, "tags")
            .hint("Comma-separated, e.g. vip, wholesale: staff find the customer by them.")
    }

    /// The billing address's fields.
    fn address_fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text(
                "line1".into(),
                "Street",
                &f.line1,
                e,
                "billingAddress.line1",
            )
            .kind("text", "address-line1"),
            InputField::text(
                "line2".into(),
                "Building, floor, c/o",
                &f.line2,
                e,
                "billingAddress.line2",
            )
            .kind("text", "address-line2"),
            InputField::text("city".into(), "City", &f.city, e, "billingAddress.city")
                .kind("text", "address-level2"),
            InputField::text(
                "postal_code".into(),
                "Postal code",
                &f.postal_code,
                e,
                "billingAddress.postalCode",
            )
            .kind("text", "postal-code"),
            InputField::text(
                "region".into(),
                "State or province",
                &f.region,
                e,
                "billingAddress.region",
            )
            .hint("Required in the US and Canada."),
            InputField::text(
                "country".into(),
                "Country",
                &f.country,
                e,
                "billingAddress.country",
            )
            .kind("text", "country")
            .hint("ISO code: FR, DE, US…"),
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
            payment_terms_days: "0".into(),
            cycle_unit: "MONTH".into(),
            cycle_count: "1".into(),
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
    // Blank terms and cycle are the API's defaults: due on receipt, monthly.
    let terms = match form.payment_terms_days.trim() {
        "" => Ok(None),
        days => days
            .parse::<i64>()
            .map(Some)
            .map_err(|_| FormErrors::on("paymentTermsDays", "A whole number of days, 0 to 365.")),
    };
    let checked = terms.and_then(|terms| {
        let cycle = match form.cycle_unit.trim() {
            "" => Ok(None),
            unit => cycle::parse(
                unit,
                &form.cycle_count,
                "billingCycle.interval",
                "billingCycle.intervalCount",
            )
            .map(|(interval, interval_count)| {
                Some(create_customer::BillingCycleInput {
                    interval,
                    interval_count,
                })
            }),
        };
        cycle.map(|cycle| (terms, cycle))
    });
    let (payment_terms_days, billing_cycle) = match checked {
        Ok(checked) => checked,
        Err(errors) => return refused(&console, &visitor, form, errors).await,
    };
    let billing_address = form
        .has_address()
        .then(|| create_customer::NewBillingAddressInput {
            line1: form.line1.clone(),
            line2: optional(&form.line2),
            city: form.city.clone(),
            postal_code: optional(&form.postal_code),
            region: optional(&form.region),
            country: form.country.trim().to_uppercase(),
        });
    let variables = create_customer::Variables {
        input: create_customer::CreateCustomerInput {
            name: form.name.clone(),
            company: optional(&form.company),
            email: form.email.clone(),
            currency: form.currency.clone(),
            time_zone: form.time_zone.clone(),
            tax_rate: optional(&form.tax_rate),
            external_reference: optional(&form.external_reference),
            payment_terms_days,
            billing_cycle,
            tags: Some(form.tags.split(',').map(str::to_owned).collect()),
            billing_address,
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
            refused(&console, &visitor, form, errors).await
        }
    }
}

/// The form again, as typed, with its refusal.
async fn refused(
    console: &Console,
    visitor: &Visitor,
    form: NewCustomerForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let page = NewCustomerPage {
        chrome: visitor.chrome(console, Nav::NewCustomer).await?,
        form,
        errors,
    };
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
