//! A customer's telephone numbers from the console (the telecom platform's "Add > Number"):
//! `GET /admin/customers/cus_…/numbers/new` offers the form (the number, its type, the
//! rental line it is billed on, its tariff, the day it was sold), `POST …/numbers` sells it
//! with `addPhoneNumber`, a refusal beside the field at fault; `POST …/numbers/num_…/release`
//! releases one with `releasePhoneNumber` (the rental line is lowered and prorated by the API).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::Console;
use crate::choices::{every_subscription, every_tariff};
use crate::chrome::{Chrome, Nav};
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, SelectField};
use crate::html::render;
use crate::operations::{
    AddPhoneNumber, ReleasePhoneNumber, add_phone_number, release_phone_number,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;

/// The form's fields, as the API names them.
const FIELDS: [&str; 5] = [
    "number",
    "numberType",
    "subscriptionItemId",
    "tariffId",
    "soldOn",
];

/// The number types offered: (as the schema names them, words).
const TYPES: [(&str, &str); 4] = [
    ("GEOGRAPHIC", "Geographic"),
    ("NATIONAL", "National"),
    ("MOBILE", "Mobile"),
    ("TOLL_FREE", "Toll free"),
];

/// The form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct NumberForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    number_type: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    tariff: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    sold_on: String,
}

/// The new number page.
#[derive(Template)]
#[template(path = "customers/new_number.html")]
struct NewNumberPage {
    chrome: Chrome,
    customer: CustomerFrame,
    form: NumberForm,
    errors: FormErrors,
    /// The rental lines a number may be billed on: (item id, words).
    items: Vec<(String, String)>,
    /// The tariffs in the customer's currency: (id, name).
    tariffs: Vec<(String, String)>,
}

impl NewNumberPage {
    fn number_field(&self) -> InputField {
        InputField::text(
            "number".into(),
            "Telephone number",
            &self.form.number,
            &self.errors,
            "number",
        )
        .kind("tel", "off")
        .hint("International format: +33 1 42 68 53 00.")
    }

    fn type_field(&self) -> SelectField {
        let options = TYPES
            .iter()
            .map(|(value, words)| ((*value).to_owned(), (*words).to_owned()))
            .collect();
        SelectField::new(
            "number_type",
            "Number type",
            options,
            &self.form.number_type,
            &self.errors,
            "numberType",
        )
    }

    fn item_field(&self) -> SelectField {
        SelectField::new(
            "item",
            "Billed on (monthly rental)",
            self.items.clone(),
            &self.form.item,
            &self.errors,
            "subscriptionItemId",
        )
    }

    fn tariff_field(&self) -> SelectField {
        SelectField::new(
            "tariff",
            "Tariff",
            self.tariffs.clone(),
            &self.form.tariff,
            &self.errors,
            "tariffId",
        )
    }

    fn sold_on_field(&self) -> InputField {
        InputField::text(
            "sold_on".into(),
            "Date sold",
            &self.form.sold_on,
            &self.errors,
            "soldOn",
        )
        .kind("date", "off")
        .hint("The sale day on record; the rental is billed by the line's quantity.")
    }
}

/// The page with `form` and its refusal.
async fn number_page(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    form: Option<NumberForm>,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Customers).await?;
    let customer = CustomerFrame::load(console, visitor, id, Tab::Usage).await?;
    let items = every_subscription(console, visitor, id)
        .await?
        .into_iter()
        .flat_map(|s| s.items)
        // The API bills a number as one unit of a recurring number or service line.
        .filter(|item| matches!(item.kind.as_str(), "NUMBER" | "SERVICE"))
        .map(|item| {
            let price = item
                .unit_price
                .map(|price| format!(" at {price}"))
                .unwrap_or_default();
            let words = format!("{} × {}{price}", item.quantity, item.product);
            (item.id, words)
        })
        .collect();
    let tariffs = every_tariff(console, visitor, Some(&customer.currency))
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let status = errors.status();
    let form = form.unwrap_or_else(|| NumberForm {
        number_type: "GEOGRAPHIC".into(),
        sold_on: chrono::Utc::now().date_naive().to_string(),
        ..NumberForm::default()
    });
    let page = NewNumberPage {
        chrome,
        customer,
        form,
        errors,
        items,
        tariffs,
    };
    Ok(render(status, &page))
}

/// `GET /admin/customers/{id}/numbers/new`.
pub(super) async fn form(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    number_page(&console, &visitor, &id, None, FormErrors::none()).await
}

/// `POST /admin/customers/{id}/numbers`.
pub(super) async fn add(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<NumberForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let checked = NaiveDate::parse_from_str(form.sold_on.trim(), "%Y-%m-%d")
        .map_err(|_| FormErrors::on("soldOn", "Enter a day as YYYY-MM-DD."))
        .and_then(|sold_on| {
            TYPES
                .iter()
                .any(|(value, _)| *value == form.number_type)
                .then(|| {
                    serde_json::from_value::<add_phone_number::PhoneNumberType>(
                        serde_json::Value::from(form.number_type.as_str()),
                    )
                    .ok()
                })
                .flatten()
                .map(|number_type| (sold_on, number_type))
                .ok_or_else(|| FormErrors::on("numberType", "Choose the number's type."))
        });
    let (sold_on, number_type) = match checked {
        Ok(checked) => checked,
        Err(errors) => return number_page(&console, &visitor, &id, Some(form), errors).await,
    };
    let input = add_phone_number::AddPhoneNumberInput {
        // Typed as people write it (`+33 1 42 68 53 00`): the API takes E.164 alone.
        number: form
            .number
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect(),
        number_type,
        subscription_item_id: form.item.clone(),
        tariff_id: form.tariff.clone(),
        sold_on,
    };
    match console
        .run::<AddPhoneNumber>(
            add_phone_number::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(_) => {
            let route = Route::Customer(id, Tab::Usage);
            Ok(Redirect::to(&Flash::NumberAdded.href(&route)).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| FIELDS.contains(&f))?;
            number_page(&console, &visitor, &id, Some(form), errors).await
        }
    }
}

/// The release form: the day, or blank for today.
#[derive(Deserialize)]
pub(super) struct ReleaseForm {
    csrf: String,
    #[serde(default)]
    on: String,
}

/// `POST /admin/customers/{id}/numbers/{number}/release`: back to the usage tab; the API's
/// refusal (a day out of range, calls already recorded after it) as the error page says.
pub(super) async fn release(
    State(console): State<Console>,
    visitor: Visitor,
    Path((id, number)): Path<(String, String)>,
    Form(form): Form<ReleaseForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let on = match form.on.trim() {
        "" => None,
        text => Some(
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| PageError::BadRequest("Enter a day as YYYY-MM-DD.".into()))?,
        ),
    };
    let input = release_phone_number::ReleasePhoneNumberInput {
        phone_number_id: number,
        on,
    };
    console
        .run::<ReleasePhoneNumber>(
            release_phone_number::Variables { input },
            Some(&visitor.session),
        )
        .await?;
    let route = Route::Customer(id, Tab::Usage);
    Ok(Redirect::to(&Flash::NumberReleased.href(&route)).into_response())
}
