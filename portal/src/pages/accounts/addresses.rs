//! The billing addresses page: every address of the organisation, the default first, with its
//! verification, and the buttons that make one the default or remove one (the default, while
//! others remain, only with the address that replaces it); the add form and the edit page are
//! [`super::address_forms`]. Viewers see the addresses without any form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::address_forms::AddressForm;
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::html::render;
use crate::operations::{
    AddressVerification, Addresses, RemoveBillingAddress, SetDefaultBillingAddress, addresses,
    remove_billing_address, set_default_billing_address,
};
use crate::route::Route;
use crate::session::Visitor;

/// The billing addresses page.
#[derive(Template)]
#[template(path = "accounts/addresses.html")]
struct AddressesPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user may change addresses (viewers may not: no forms are shown).
    can_change: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// The addresses, the default first.
    addresses: Vec<AddressRow>,
    /// The add form.
    form: AddressForm,
    /// The countries of the select: (code, name).
    countries: Vec<(String, String)>,
}

/// An address as the page lists it.
struct AddressRow {
    /// Id.
    id: String,
    /// As printed on invoices.
    lines: Vec<String>,
    /// Whether it is the default.
    is_default: bool,
    /// Its verification for people, when there is one to say: (CSS class, text).
    verification: Option<(&'static str, &'static str)>,
    /// Whether it is abroad and not verified (the page says what that means).
    unverified: bool,
    /// The other addresses, one of which replaces the default when it is removed: (id, first
    /// line and city).
    others: Vec<(String, String)>,
    /// A refusal of this address's buttons.
    error: Option<String>,
}

impl AddressRow {
    /// The address's edit page.
    fn edit(&self) -> Route {
        Route::EditAddress(self.id.clone())
    }
}

/// `GET /addresses`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let notice = flash.map(Flash::message);
    render_list(&portal, &visitor, StatusCode::OK, notice, None, None).await
}

/// The addresses page with a confirmation, a refusal next to one address (id, message), or
/// the add form shown again.
pub(super) async fn render_list(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    notice: Option<String>,
    refusal: Option<(String, String)>,
    typed: Option<AddressForm>,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Addresses>(addresses::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let summary = |a: &addresses::AddressesViewerOrganisationBillingAddresses| {
        format!("{}, {}", a.line1, a.city)
    };
    let all = &organisation.billing_addresses;
    // A refusal about an address no longer listed (removed meanwhile) has nowhere to go on
    // the list: the error page says it.
    if let Some((id, message)) = &refusal
        && !all.iter().any(|a| &a.id == id)
    {
        return Err(PageError::Rejected(message.clone()));
    }
    let rows = all
        .iter()
        .map(|a| AddressRow {
            id: a.id.clone(),
            lines: a.lines.clone(),
            is_default: a.is_default,
            unverified: a.verification == AddressVerification::UNVERIFIED,
            verification: match a.verification {
                AddressVerification::UNVERIFIED => Some(("badge warn", "Unverified")),
                AddressVerification::VERIFIED => Some(("badge ok", "Verified")),
                AddressVerification::NOT_REQUIRED | AddressVerification::Other => None,
            },
            others: all
                .iter()
                .filter(|o| o.id != a.id)
                .map(|o| (o.id.clone(), summary(o)))
                .collect(),
            error: refusal
                .as_ref()
                .filter(|(id, _)| id == &a.id)
                .map(|(_, message)| message.clone()),
        })
        .collect();
    let form = typed.unwrap_or_else(|| AddressForm {
        country: organisation.country.clone().unwrap_or_default(),
        ..AddressForm::default()
    });
    let page = AddressesPage {
        chrome: visitor.chrome(
            Nav::Addresses,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        can_change: data.viewer.user.role.can_change(),
        notice,
        addresses: rows,
        form,
        countries: data
            .countries
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect(),
    };
    Ok(render(status, &page))
}

/// The default and remove buttons' form.
#[derive(Deserialize)]
pub(super) struct AddressButton {
    csrf: String,
    #[serde(default)]
    id: String,
    /// The address that becomes the default when the default one is removed.
    new_default: Option<String>,
}

/// `POST /addresses/default`.
pub(super) async fn make_default(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(button): Form<AddressButton>,
) -> Result<Response, PageError> {
    visitor.verify_form(&button.csrf)?;
    let variables = set_default_billing_address::Variables {
        input: set_default_billing_address::SetDefaultBillingAddressInput {
            address_id: button.id.clone(),
        },
    };
    let result = portal
        .run::<SetDefaultBillingAddress>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    respond(
        &portal,
        &visitor,
        button.id,
        result,
        Saved::DefaultAddressChanged,
    )
    .await
}

/// `POST /addresses/remove`.
pub(super) async fn remove(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(button): Form<AddressButton>,
) -> Result<Response, PageError> {
    visitor.verify_form(&button.csrf)?;
    let variables = remove_billing_address::Variables {
        input: remove_billing_address::RemoveBillingAddressInput {
            address_id: button.id.clone(),
            new_default_address_id: button.new_default.filter(|n| !n.is_empty()),
        },
    };
    let result = portal
        .run::<RemoveBillingAddress>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    respond(&portal, &visitor, button.id, result, Saved::AddressRemoved).await
}

/// After a button: back to the list with the confirmation, or with the refusal next to the
/// address (422).
async fn respond(
    portal: &Portal,
    visitor: &Visitor,
    id: String,
    result: Result<(), crate::client::PortalError>,
    done: Saved,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Flash::Saved(done)
            .redirect(&Route::Addresses)
            .into_response()),
        Err(error) => {
            let refusal = Some((id, error.form_message()?));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_list(portal, visitor, status, None, refusal, None).await
        }
    }
}
