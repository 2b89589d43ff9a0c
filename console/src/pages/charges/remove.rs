//! `POST /admin/customers/cus_…/charges/remove`: removes a charge still waiting for the next
//! invoice (`deleteUnbilledCharge`, audited by the API). Only a charge the customer's tab lists
//! is removed through its page; a refusal shows above the tab's form.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::entry::ChargesForm;
use super::tab::form_page;
use crate::Console;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::operations::{ChargesTab, DeleteUnbilledCharge, charges_tab, delete_unbilled_charge};
use crate::route::Route;
use crate::session::Visitor;

/// The removal of one unbilled charge.
#[derive(Deserialize)]
pub(super) struct RemoveForm {
    #[serde(default)]
    csrf: String,
    /// The charge (`chg_…`).
    #[serde(default)]
    charge: String,
}

/// `POST /admin/customers/{id}/charges/remove`.
pub(super) async fn remove(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let refused = |message: String| {
        let (console, visitor, id) = (&console, &visitor, &id);
        async move {
            let errors = FormErrors::above(message);
            form_page(console, visitor, id, ChargesForm::blank(), errors, None).await
        }
    };
    let listed = console
        .run::<ChargesTab>(
            charges_tab::Variables { id: id.clone() },
            Some(&visitor.session),
        )
        .await?
        .customer
        .unbilled_charges;
    if !listed.iter().any(|c| c.id == form.charge) {
        return refused("This charge is not waiting on this customer's next invoice.".into()).await;
    }
    let input = delete_unbilled_charge::DeleteUnbilledChargeInput {
        charge_id: form.charge,
    };
    match console
        .run::<DeleteUnbilledCharge>(
            delete_unbilled_charge::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&Flash::ChargeRemoved.href(&Route::Charges(id))).into_response()),
        Err(error) => {
            let message = FormErrors::from_refusal(error, |_| false)?
                .form
                .unwrap_or_default();
            refused(message).await
        }
    }
}
