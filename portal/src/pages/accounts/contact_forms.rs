//! The contact forms: adding one (shown again on the contacts page when refused) and a
//! contact's edit page.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::contacts::render_list;
use super::organisation_id;
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{
    AddContact, ContactRole, Contacts, UpdateContact, add_contact, contacts, update_contact,
};
use crate::route::Route;
use crate::session::Visitor;

/// The fields of the contact forms, as the API names them.
const FIELDS: [&str; 5] = ["role", "name", "email", "phone", "receivesInvoices"];
/// A contact's edit page.
#[derive(Template)]
#[template(path = "accounts/contact_edit.html")]
struct ContactEditPage {
    /// The frame.
    chrome: Chrome,
    /// The contact.
    id: String,
    /// The form.
    form: ContactForm,
}

/// The values of a contact form and its refusal.
pub(super) struct ContactForm {
    /// The role chosen (its form value).
    pub(super) role: &'static str,
    /// Name typed.
    pub(super) name: String,
    /// E-mail typed.
    pub(super) email: String,
    /// Phone typed.
    pub(super) phone: String,
    /// Whether "receives invoices" is ticked.
    pub(super) receives_invoices: bool,
    /// What was wrong.
    pub(super) errors: FormErrors,
}

impl ContactForm {
    /// An empty form: a technical contact who does not receive invoices.
    pub(super) fn empty() -> Self {
        Self {
            role: ContactRole::TECHNICAL.param(),
            name: String::new(),
            email: String::new(),
            phone: String::new(),
            receives_invoices: false,
            errors: FormErrors::none(),
        }
    }

    /// The roles for the select: (value, label).
    pub(super) fn roles(&self) -> Vec<(&'static str, &'static str)> {
        ContactRole::ALL
            .into_iter()
            .map(|r| (r.param(), r.label()))
            .collect()
    }
}

/// The contact forms' fields.
#[derive(Deserialize)]
pub(super) struct ContactFields {
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    /// Present (`on`) when the box is ticked.
    receives_invoices: Option<String>,
}

impl ContactFields {
    /// The form as typed, to show again.
    fn form(&self, errors: FormErrors) -> ContactForm {
        ContactForm {
            role: ContactRole::from_param(&self.role)
                .unwrap_or(ContactRole::TECHNICAL)
                .param(),
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            receives_invoices: self.receives_invoices.is_some(),
            errors,
        }
    }

    /// The role chosen, or the error to show next to the select.
    fn role(&self) -> Result<ContactRole, FormErrors> {
        ContactRole::from_param(&self.role).ok_or_else(|| FormErrors::on("role", "Choose a role."))
    }

    /// The phone typed; blank is none.
    fn phone(&self) -> Option<String> {
        Some(self.phone.clone()).filter(|p| !p.trim().is_empty())
    }
}

/// `POST /contacts/add`.
pub(super) async fn add(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<ContactFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let refused = match fields.role() {
        Err(errors) => errors,
        Ok(role) => {
            let variables = add_contact::Variables {
                input: add_contact::AddContactInput {
                    customer_id: organisation_id(&portal, &visitor).await?,
                    role,
                    name: fields.name.clone(),
                    email: fields.email.clone(),
                    phone: fields.phone(),
                    receives_invoices: fields.receives_invoices.is_some(),
                },
            };
            match portal
                .run::<AddContact>(variables, Some(&visitor.session))
                .await
            {
                Ok(_) => {
                    return Ok(Flash::Saved(Saved::ContactAdded)
                        .redirect(&Route::Contacts)
                        .into_response());
                }
                Err(error) => FormErrors::from_refusal(error, &FIELDS)?,
            }
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_list(&portal, &visitor, status, None, None, fields.form(refused)).await
}

/// Which contact an edit page is for.
#[derive(Deserialize)]
pub(super) struct ContactQuery {
    #[serde(default)]
    id: String,
}

/// `GET /contacts/edit?id=ctc_…`.
pub(super) async fn edit(
    State(portal): State<Portal>,
    visitor: Visitor,
    Query(query): Query<ContactQuery>,
) -> Result<Response, PageError> {
    render_edit(&portal, &visitor, StatusCode::OK, &query.id, None).await
}

/// A contact's edit page: its stored details, or `typed` with their refusal.
async fn render_edit(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    id: &str,
    typed: Option<ContactForm>,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Contacts>(contacts::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    if !data.viewer.user.role.can_change() {
        return Err(PageError::Forbidden(
            "Your role lets you see the contacts, not change them.".into(),
        ));
    }
    let contact = organisation
        .contacts
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(PageError::NotFound)?;
    let form = typed.unwrap_or_else(|| ContactForm {
        role: contact.role.param(),
        name: contact.name,
        email: contact.email,
        phone: contact.phone.unwrap_or_default(),
        receives_invoices: contact.receives_invoices,
        errors: FormErrors::none(),
    });
    let page = ContactEditPage {
        chrome: visitor.chrome(
            Nav::Contacts,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        id: contact.id,
        form,
    };
    Ok(render(status, &page))
}

/// `POST /contacts/edit`.
pub(super) async fn save(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<ContactFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let refused = match fields.role() {
        Err(errors) => errors,
        Ok(role) => {
            let variables = update_contact::Variables {
                input: update_contact::UpdateContactInput {
                    contact_id: fields.id.clone(),
                    role,
                    name: fields.name.clone(),
                    email: fields.email.clone(),
                    phone: fields.phone(),
                    receives_invoices: fields.receives_invoices.is_some(),
                },
            };
            match portal
                .run::<UpdateContact>(variables, Some(&visitor.session))
                .await
            {
                Ok(_) => {
                    return Ok(Flash::Saved(Saved::ContactUpdated)
                        .redirect(&Route::Contacts)
                        .into_response());
                }
                Err(error) => FormErrors::from_refusal(error, &FIELDS)?,
            }
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let typed = fields.form(refused);
    render_edit(&portal, &visitor, status, &fields.id, Some(typed)).await
}
