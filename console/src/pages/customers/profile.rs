//! The settings tab's first form: who the customer is (name, company, e-mail, time zone and
//! currency), saved with `updateCustomer` (`POST /admin/customers/cus_…/profile`). Every field
//! is sent as typed; a blank company clears it. The API refuses a currency change once
//! anything is priced in the old one, and the refusal shows above the form.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::settings::{self, Shown};
use crate::Console;
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::operations::{UpdateCustomer, update_customer};
use crate::route::Route;
use crate::session::Visitor;

/// The form's fields, as the API names them.
const FIELDS: [&str; 5] = ["name", "company", "email", "timeZone", "currency"];

/// The form, as typed (or as the customer is).
#[derive(Default, Deserialize)]
pub(super) struct ProfileForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    currency: String,
}

impl ProfileForm {
    /// The form holding the customer as saved.
    pub(super) fn saved(customer: &CustomerFrame) -> Self {
        Self {
            csrf: String::new(),
            name: customer.name.clone(),
            company: customer.company.clone().unwrap_or_default(),
            email: customer.email.clone(),
            time_zone: customer.time_zone.clone(),
            currency: customer.currency.clone(),
        }
    }

    /// Its fields, each with its refusal.
    pub(super) fn fields(&self, e: &FormErrors) -> Vec<InputField> {
        vec![
            InputField::text("name".into(), "Name", &self.name, e, "name"),
            InputField::text("company".into(), "Company", &self.company, e, "company")
                .hint("The legal name, when it differs; blank for none."),
            InputField::text("email".into(), "Billing e-mail", &self.email, e, "email")
                .kind("email", "off")
                .hint("Where its invoices and receipts go."),
            InputField::text(
                "time_zone".into(),
                "Time zone",
                &self.time_zone,
                e,
                "timeZone",
            )
            .hint("IANA name, e.g. Europe/Paris: changes only while nothing is billed."),
            InputField::text("currency".into(), "Currency", &self.currency, e, "currency")
                .hint("ISO code (EUR, USD): changes only while nothing is billed in it."),
        ]
    }
}

/// `POST /admin/customers/{id}/profile`.
pub(super) async fn save(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ProfileForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let text = |value: &str| Some(value.trim().to_owned());
    let input = update_customer::UpdateCustomerInput {
        customer_id: id.clone(),
        name: text(&form.name),
        company: text(&form.company),
        email: text(&form.email),
        time_zone: text(&form.time_zone),
        currency: text(&form.currency.to_uppercase()),
    };
    match console
        .run::<UpdateCustomer>(update_customer::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&Flash::ProfileSaved.href(&Route::CustomerSettings(id))).into_response(),
        ),
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| FIELDS.contains(&f))?;
            settings::settings_tab(&console, &visitor, &id, None, Shown::Profile(form, errors))
                .await
        }
    }
}
