//! The contacts page: the organisation's contacts by role (technical, accounting, operational,
//! other) and their remove buttons; the add form and the edit page are
//! [`super::contact_forms`]. Viewers see the contacts without any form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::contact_forms::ContactForm;
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::html::render;
use crate::operations::{ContactRole, Contacts, RemoveContact, contacts, remove_contact};
use crate::route::Route;
use crate::session::Visitor;

/// The contacts page.
#[derive(Template)]
#[template(path = "accounts/contacts.html")]
struct ContactsPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user may change contacts (viewers may not: no forms are shown).
    can_change: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// A refusal of a remove button, shown at the top.
    page_error: Option<String>,
    /// The contacts by role, roles without contacts left out.
    groups: Vec<ContactGroup>,
    /// The add form.
    form: ContactForm,
}

/// The contacts of one role.
struct ContactGroup {
    /// The role, for people.
    label: &'static str,
    /// Its contacts, oldest first.
    contacts: Vec<ContactRow>,
}

/// A contact as the page lists it.
struct ContactRow {
    /// Id.
    id: String,
    /// Name.
    name: String,
    /// E-mail.
    email: String,
    /// Phone, international form.
    phone: Option<String>,
    /// Whether invoices are e-mailed to the contact.
    receives_invoices: bool,
}

impl ContactRow {
    /// The contact's edit page.
    fn edit(&self) -> Route {
        Route::EditContact(self.id.clone())
    }
}

/// `GET /contacts`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let notice = flash.map(Flash::message);
    render_list(
        &portal,
        &visitor,
        StatusCode::OK,
        notice,
        None,
        ContactForm::empty(),
    )
    .await
}

/// The contacts page with a confirmation, a refusal at the top, or the add form shown again.
pub(super) async fn render_list(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    notice: Option<String>,
    page_error: Option<String>,
    form: ContactForm,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Contacts>(contacts::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let groups = ContactRole::ALL
        .into_iter()
        .map(|role| ContactGroup {
            label: role.label(),
            contacts: organisation
                .contacts
                .iter()
                .filter(|c| c.role == role)
                .map(|c| ContactRow {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                    receives_invoices: c.receives_invoices,
                })
                .collect::<Vec<_>>(),
        })
        .filter(|g| !g.contacts.is_empty())
        .collect();
    let page = ContactsPage {
        chrome: visitor.chrome(
            Nav::Contacts,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        can_change: data.viewer.user.role.can_change(),
        notice,
        page_error,
        groups,
        form,
    };
    Ok(render(status, &page))
}

/// The remove button's form.
#[derive(Deserialize)]
pub(super) struct RemoveFields {
    csrf: String,
    #[serde(default)]
    id: String,
}

/// `POST /contacts/remove`.
pub(super) async fn remove(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<RemoveFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = remove_contact::Variables {
        input: remove_contact::RemoveContactInput {
            contact_id: fields.id,
        },
    };
    match portal
        .run::<RemoveContact>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::ContactRemoved)
            .redirect(&Route::Contacts)
            .into_response()),
        Err(error) => {
            let message = error.form_message()?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_list(
                &portal,
                &visitor,
                status,
                None,
                Some(message),
                ContactForm::empty(),
            )
            .await
        }
    }
}
