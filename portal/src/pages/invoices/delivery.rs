//! "Receive your invoices by e-mail" (Ringover's card on the invoices page): where the
//! organisation's invoices and credit notes are e-mailed, and whether they are. Owners and
//! billing admins change it with a form (POST, then back to the invoices with a confirmation,
//! or the page again with the refusal beside the address, as typed); viewers read it.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::history::{Extras, HistoryQuery, render_history};
use crate::Portal;
use crate::client::PortalError;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::operations::{Role, UpdateInvoiceDelivery, update_invoice_delivery};
use crate::route::{InvoiceList, Route};
use crate::session::Visitor;

/// The card, as the invoices page shows it.
pub(super) struct DeliveryCard {
    /// The organisation (`cus_…`), for the form.
    pub customer_id: String,
    /// Where invoices go (or would go, were they e-mailed).
    pub invoice_email: String,
    /// The organisation's own address: where they go when no other is chosen.
    pub organisation_email: String,
    /// Whether invoices and credit notes are e-mailed when issued.
    pub enabled: bool,
    /// Whether the user may change it (owners and billing admins).
    pub can_change: bool,
    /// The address field: empty while the organisation's own address is used (saving it
    /// unchanged keeps following that address), else the chosen one; as typed when refused.
    pub form_email: String,
    /// The checkbox: as saved, or as submitted when refused.
    pub form_enabled: bool,
    /// The confirmation of a change just saved.
    pub notice: Option<String>,
    /// Why the address was refused.
    pub error: Option<String>,
}

/// What the organisation has now, as an operation read it.
pub(super) struct Delivery {
    /// `Customer.id`.
    pub customer_id: String,
    /// `Customer.invoiceEmail`.
    pub invoice_email: String,
    /// `Customer.email`.
    pub organisation_email: String,
    /// `Customer.emailInvoices`.
    pub enabled: bool,
}

/// A form the API refused: what was typed and why.
pub(super) struct Refused {
    /// The address as typed.
    pub email: String,
    /// The checkbox as submitted.
    pub enabled: bool,
    /// The API's message.
    pub error: String,
}

impl DeliveryCard {
    /// The card for `delivery` as `role` sees it, with the confirmation of `flash` or the
    /// refused form.
    pub fn new(
        delivery: Delivery,
        role: Role,
        flash: Option<Flash>,
        refused: Option<Refused>,
    ) -> Self {
        let Delivery {
            customer_id,
            invoice_email,
            organisation_email,
            enabled,
        } = delivery;
        let notice = (flash == Some(Flash::Saved(Saved::InvoiceDeliveryChanged))).then(|| {
            if enabled {
                format!("Saved: invoices and credit notes now go to {invoice_email}.")
            } else {
                "Saved: invoices and credit notes are no longer e-mailed.".to_owned()
            }
        });
        let saved_email = if invoice_email == organisation_email {
            String::new()
        } else {
            invoice_email.clone()
        };
        let (form_email, form_enabled, error) = match refused {
            Some(refused) => (refused.email, refused.enabled, Some(refused.error)),
            None => (saved_email, enabled, None),
        };
        Self {
            customer_id,
            invoice_email,
            organisation_email,
            enabled,
            can_change: role.can_change(),
            form_email,
            form_enabled,
            notice,
            error,
        }
    }

    /// Whether invoices go to the organisation's own address.
    pub fn uses_organisation_address(&self) -> bool {
        self.invoice_email == self.organisation_email
    }
}

/// The form.
#[derive(Deserialize)]
pub(super) struct DeliveryForm {
    /// Missing counts as wrong: the form is refused like a forged one.
    #[serde(default)]
    csrf: String,
    customer_id: String,
    #[serde(default)]
    email: String,
    /// A checkbox: sent only when ticked.
    enabled: Option<String>,
}

/// POST `/invoice-delivery`: saved, back to the invoices with the confirmation; a refused
/// address, the invoices page again (422) with the message beside it and the form as typed.
/// A viewer's forged form gets the API's refusal (403) and changes nothing.
pub(super) async fn update(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(form): Form<DeliveryForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let email = form.email.trim().to_owned();
    let enabled = form.enabled.is_some();
    let variables = update_invoice_delivery::Variables {
        input: update_invoice_delivery::UpdateInvoiceDeliveryInput {
            customer_id: form.customer_id,
            // Blank: the organisation's own address, as the API reads null.
            email: Some(email.clone()).filter(|e| !e.is_empty()),
            enabled,
        },
    };
    match portal
        .run::<UpdateInvoiceDelivery>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            let invoices = Route::Invoices(InvoiceList::default());
            Ok(Flash::Saved(Saved::InvoiceDeliveryChanged)
                .redirect(&invoices)
                .into_response())
        }
        Err(PortalError::Field { field, message }) if field == "input.email" => {
            let extras = Extras {
                flash: None,
                refused: Some(Refused {
                    email: form.email,
                    enabled,
                    error: message,
                }),
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_history(&portal, &visitor, HistoryQuery::default(), extras, status).await
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acme(invoice_email: &str, enabled: bool) -> Delivery {
        Delivery {
            customer_id: "cus_1".into(),
            invoice_email: invoice_email.into(),
            organisation_email: "accounts@acme.example".into(),
            enabled,
        }
    }

    #[test]
    fn the_organisations_own_address_leaves_the_field_empty() {
        let card = DeliveryCard::new(
            acme("accounts@acme.example", true),
            Role::BILLING_ADMIN,
            None,
            None,
        );
        assert!(card.uses_organisation_address());
        assert_eq!(card.form_email, "", "saving unchanged keeps following it");
        assert!(card.form_enabled && card.can_change);
        assert_eq!(card.notice, None);

        let chosen = DeliveryCard::new(
            acme("finance@acme.example", false),
            Role::VIEWER,
            None,
            None,
        );
        assert!(!chosen.uses_organisation_address());
        assert_eq!(chosen.form_email, "finance@acme.example");
        assert!(!chosen.form_enabled && !chosen.can_change);
    }

    #[test]
    fn a_refused_form_keeps_what_was_typed() {
        let refused = Refused {
            email: "not an address".into(),
            enabled: false,
            error: "enter an e-mail address".into(),
        };
        let card = DeliveryCard::new(
            acme("accounts@acme.example", true),
            Role::OWNER,
            None,
            Some(refused),
        );
        assert_eq!(card.form_email, "not an address");
        assert!(!card.form_enabled);
        assert!(card.enabled, "what is saved is unchanged");
        assert_eq!(card.error.as_deref(), Some("enter an e-mail address"));
    }

    #[test]
    fn the_confirmation_says_what_is_saved_now() {
        let on = DeliveryCard::new(
            acme("finance@acme.example", true),
            Role::OWNER,
            Some(Flash::Saved(Saved::InvoiceDeliveryChanged)),
            None,
        );
        assert_eq!(
            on.notice.as_deref(),
            Some("Saved: invoices and credit notes now go to finance@acme.example.")
        );
        let off = DeliveryCard::new(
            acme("finance@acme.example", false),
            Role::OWNER,
            Some(Flash::Saved(Saved::InvoiceDeliveryChanged)),
            None,
        );
        assert_eq!(
            off.notice.as_deref(),
            Some("Saved: invoices and credit notes are no longer e-mailed.")
        );
        let other = DeliveryCard::new(
            acme("finance@acme.example", true),
            Role::OWNER,
            Some(Flash::SeatFreed),
            None,
        );
        assert_eq!(other.notice, None, "another page's confirmation");
    }
}
