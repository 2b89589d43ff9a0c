//! The address forms: adding one (shown again on the addresses page when refused) and an
//! address's edit page. The API checks the address against its country's rules; a refusal
//! comes back next to its field.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::addresses::render_list;
use super::organisation_id;
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{
    AddBillingAddress, Addresses, UpdateBillingAddress, add_billing_address, addresses,
    update_billing_address,
};
use crate::route::Route;
use crate::session::Visitor;

/// The fields of the address forms, as the API names them.
const FIELDS: [&str; 6] = ["line1", "line2", "city", "postalCode", "region", "country"];
/// An address's edit page.
#[derive(Template)]
#[template(path = "accounts/address_edit.html")]
struct AddressEditPage {
    /// The frame.
    chrome: Chrome,
    /// The address.
    id: String,
    /// The form.
    form: AddressForm,
    /// The countries of the select: (code, name).
    countries: Vec<(String, String)>,
}

/// The values of an address form and its refusal.
#[derive(Default)]
pub(super) struct AddressForm {
    pub(super) line1: String,
    pub(super) line2: String,
    pub(super) city: String,
    pub(super) postal_code: String,
    pub(super) region: String,
    pub(super) country: String,
    /// What was wrong.
    pub(super) errors: FormErrors,
}

/// The address forms' fields.
#[derive(Deserialize)]
pub(super) struct AddressFields {
    csrf: String,
    #[serde(default)]
    id: String,
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

impl AddressFields {
    /// The form as typed, to show again.
    fn form(&self, errors: FormErrors) -> AddressForm {
        AddressForm {
            line1: self.line1.clone(),
            line2: self.line2.clone(),
            city: self.city.clone(),
            postal_code: self.postal_code.clone(),
            region: self.region.clone(),
            country: self.country.clone(),
            errors,
        }
    }
}

/// A blank optional field is none.
fn optional(value: &str) -> Option<String> {
    Some(value.to_owned()).filter(|v| !v.trim().is_empty())
}

/// `POST /addresses/add`.
pub(super) async fn add(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<AddressFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = add_billing_address::Variables {
        input: add_billing_address::AddBillingAddressInput {
            customer_id: organisation_id(&portal, &visitor).await?,
            line1: fields.line1.clone(),
            line2: optional(&fields.line2),
            city: fields.city.clone(),
            postal_code: optional(&fields.postal_code),
            region: optional(&fields.region),
            country: fields.country.clone(),
        },
    };
    match portal
        .run::<AddBillingAddress>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::AddressAdded)
            .redirect(&Route::Addresses)
            .into_response()),
        Err(error) => {
            let typed = fields.form(FormErrors::from_refusal(error, &FIELDS)?);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_list(&portal, &visitor, status, None, None, Some(typed)).await
        }
    }
}

/// Which address an edit page is for.
#[derive(Deserialize)]
pub(super) struct AddressQuery {
    #[serde(default)]
    id: String,
}

/// `GET /addresses/edit?id=addr_…`.
pub(super) async fn edit(
    State(portal): State<Portal>,
    visitor: Visitor,
    Query(query): Query<AddressQuery>,
) -> Result<Response, PageError> {
    render_edit(&portal, &visitor, StatusCode::OK, &query.id, None).await
}

/// An address's edit page: its stored parts, or `typed` with their refusal.
async fn render_edit(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    id: &str,
    typed: Option<AddressForm>,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Addresses>(addresses::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    if !data.viewer.user.role.can_change() {
        return Err(PageError::Forbidden(
            "Your role lets you see the addresses, not change them.".into(),
        ));
    }
    let address = organisation
        .billing_addresses
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(PageError::NotFound)?;
    let form = typed.unwrap_or_else(|| AddressForm {
        line1: address.line1,
        line2: address.line2.unwrap_or_default(),
        city: address.city,
        postal_code: address.postal_code.unwrap_or_default(),
        region: address.region.unwrap_or_default(),
        country: address.country,
        errors: FormErrors::none(),
    });
    let page = AddressEditPage {
        chrome: visitor.chrome(
            Nav::Addresses,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        id: address.id,
        form,
        countries: data
            .countries
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect(),
    };
    Ok(render(status, &page))
}

/// `POST /addresses/edit`.
pub(super) async fn save(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<AddressFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = update_billing_address::Variables {
        input: update_billing_address::UpdateBillingAddressInput {
            address_id: fields.id.clone(),
            line1: fields.line1.clone(),
            line2: optional(&fields.line2),
            city: fields.city.clone(),
            postal_code: optional(&fields.postal_code),
            region: optional(&fields.region),
            country: fields.country.clone(),
        },
    };
    match portal
        .run::<UpdateBillingAddress>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::AddressUpdated)
            .redirect(&Route::Addresses)
            .into_response()),
        Err(error) => {
            let typed = fields.form(FormErrors::from_refusal(error, &FIELDS)?);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_edit(&portal, &visitor, status, &fields.id, Some(typed)).await
        }
    }
}
