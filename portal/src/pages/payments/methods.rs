//! The payment methods page: the organisation's cards and bank accounts (brand or kind, last
//! four, expiry, which is the default), and the forms to add a card, add an IBAN (the sandbox;
//! with Stripe, links to Stripe's Payment Element), make one the default and remove one.
//! Viewers see the list without any form.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{
    AddCard, AddSepaDebit, PaymentMethods, RemovePaymentMethod, SetDefaultPaymentMethod, add_card,
    add_sepa_debit, payment_methods, remove_payment_method, set_default_payment_method,
};
use crate::route::{Route, SetupMethod};
use crate::session::Visitor;

/// The payment methods page.
#[derive(Template)]
#[template(path = "payments/methods.html")]
struct MethodsPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user may change methods (viewers may not).
    can_change: bool,
    /// Whether card and account details are typed into our own forms: only with the sandbox.
    /// With Stripe they must never reach our server: the page links to Stripe's Payment
    /// Element instead ([`super::setup`]).
    typed_details: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// A refusal of a default or remove button, shown at the top.
    page_error: Option<String>,
    /// The methods, the default first.
    methods: Vec<MethodRow>,
    /// The add-a-card form.
    card: CardForm,
    /// The add-an-IBAN form.
    sepa: SepaForm,
}

/// A method as the page lists it.
struct MethodRow {
    /// `pm_…`.
    id: String,
    /// `Visa •••• 4242`.
    label: String,
    /// `Expires 12/2029`, or the account holder.
    detail: Option<String>,
    /// Whether it is the default.
    is_default: bool,
}

/// The add-a-card form as shown again: the expiry typed (never the number or the code).
#[derive(Default)]
struct CardForm {
    exp_month: String,
    exp_year: String,
    errors: FormErrors,
}

/// The add-an-IBAN form as shown again: the holder typed (never the IBAN).
#[derive(Default)]
struct SepaForm {
    holder_name: String,
    errors: FormErrors,
}

/// `GET /payment-methods`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let notice = flash.map(Flash::message);
    let forms = Forms::default();
    render_page(&portal, &visitor, StatusCode::OK, notice, None, forms).await
}

#[derive(Default)]
struct Forms {
    card: CardForm,
    sepa: SepaForm,
}

async fn render_page(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    notice: Option<String>,
    page_error: Option<String>,
    forms: Forms,
) -> Result<Response, PageError> {
    let data = portal
        .run::<PaymentMethods>(payment_methods::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let methods = organisation
        .payment_methods
        .into_iter()
        .map(|m| MethodRow {
            detail: match (m.exp_month, m.exp_year, m.holder_name) {
                (Some(month), Some(year), _) => Some(format!("Expires {month:02}/{year}")),
                (_, _, Some(holder)) => Some(holder),
                _ => None,
            },
            id: m.id,
            label: m.label,
            is_default: m.is_default,
        })
        .collect();
    let page = MethodsPage {
        chrome: visitor.chrome(
            Nav::PaymentMethods,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        can_change: data.viewer.user.role.can_change(),
        typed_details: portal.config.stripe_publishable_key.is_none(),
        notice,
        page_error,
        methods,
        card: forms.card,
        sepa: forms.sepa,
    };
    Ok(render(status, &page))
}

/// The organisation's id, for the add forms' inputs.
pub(super) async fn organisation_id(
    portal: &Portal,
    visitor: &Visitor,
) -> Result<String, PageError> {
    let data = portal
        .run::<PaymentMethods>(payment_methods::Variables, Some(&visitor.session))
        .await?;
    Ok(data.viewer.organisation.ok_or(PageError::WrongAudience)?.id)
}

/// The add-a-card form's fields. The number and the code go to the API once and are never
/// shown again.
#[derive(Deserialize)]
pub(super) struct CardFields {
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    exp_month: String,
    #[serde(default)]
    exp_year: String,
    #[serde(default)]
    cvc: String,
    make_default: Option<String>,
}

/// `POST /payment-methods/card`.
pub(super) async fn add_card(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<CardFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let again = |errors: FormErrors| Forms {
        card: CardForm {
            exp_month: fields.exp_month.clone(),
            exp_year: fields.exp_year.clone(),
            errors,
        },
        sepa: SepaForm::default(),
    };
    let month = fields.exp_month.trim().parse::<i64>().ok();
    let year = fields.exp_year.trim().parse::<i64>().ok();
    let (Some(exp_month), Some(exp_year)) = (month, year) else {
        let errors = FormErrors::on("expMonth", "Enter the expiry month (1 to 12) and year.");
        return render_page(
            &portal,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            None,
            again(errors),
        )
        .await;
    };
    let customer_id = organisation_id(&portal, &visitor).await?;
    let variables = add_card::Variables {
        input: add_card::AddCardInput {
            customer_id,
            number: fields.number.clone(),
            exp_month,
            exp_year,
            cvc: fields.cvc.clone(),
            make_default: fields.make_default.is_some(),
        },
    };
    match portal
        .run::<AddCard>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::PaymentMethodAdded)
            .redirect(&Route::PaymentMethods)
            .into_response()),
        Err(error) => {
            let errors =
                FormErrors::from_refusal(error, &["number", "expMonth", "expYear", "cvc"])?;
            render_page(
                &portal,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                None,
                again(errors),
            )
            .await
        }
    }
}

/// The add-an-IBAN form's fields.
#[derive(Deserialize)]
pub(super) struct SepaFields {
    csrf: String,
    #[serde(default)]
    iban: String,
    #[serde(default)]
    holder_name: String,
    make_default: Option<String>,
}

/// `POST /payment-methods/sepa`.
pub(super) async fn add_sepa_debit(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<SepaFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let customer_id = organisation_id(&portal, &visitor).await?;
    let variables = add_sepa_debit::Variables {
        input: add_sepa_debit::AddSepaDebitInput {
            customer_id,
            iban: fields.iban.clone(),
            holder_name: fields.holder_name.clone(),
            make_default: fields.make_default.is_some(),
        },
    };
    match portal
        .run::<AddSepaDebit>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::PaymentMethodAdded)
            .redirect(&Route::PaymentMethods)
            .into_response()),
        Err(error) => {
            let errors = FormErrors::from_refusal(error, &["iban", "holderName"])?;
            let forms = Forms {
                card: CardForm::default(),
                sepa: SepaForm {
                    holder_name: fields.holder_name,
                    errors,
                },
            };
            render_page(
                &portal,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                None,
                forms,
            )
            .await
        }
    }
}

/// A method's buttons' form.
#[derive(Deserialize)]
pub(super) struct MethodFields {
    csrf: String,
    #[serde(default)]
    id: String,
}

/// `POST /payment-methods/default`.
pub(super) async fn set_default(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<MethodFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = set_default_payment_method::Variables {
        input: set_default_payment_method::SetDefaultPaymentMethodInput {
            payment_method_id: fields.id,
        },
    };
    let result = portal
        .run::<SetDefaultPaymentMethod>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    after_button(
        &portal,
        &visitor,
        result,
        Saved::DefaultPaymentMethodChanged,
    )
    .await
}

/// `POST /payment-methods/remove`.
pub(super) async fn remove(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<MethodFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = remove_payment_method::Variables {
        input: remove_payment_method::RemovePaymentMethodInput {
            payment_method_id: fields.id,
        },
    };
    let result = portal
        .run::<RemovePaymentMethod>(variables, Some(&visitor.session))
        .await
        .map(|_| ());
    after_button(&portal, &visitor, result, Saved::PaymentMethodRemoved).await
}

/// Back to the list with the confirmation, or the list with the refusal at its top.
async fn after_button(
    portal: &Portal,
    visitor: &Visitor,
    result: Result<(), crate::client::PortalError>,
    saved: Saved,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Flash::Saved(saved)
            .redirect(&Route::PaymentMethods)
            .into_response()),
        Err(error) => render_refusal(portal, visitor, error).await,
    }
}

/// The list with a refusal at its top (a button's, or a setup Stripe did not finish).
pub(super) async fn render_refusal(
    portal: &Portal,
    visitor: &Visitor,
    error: crate::client::PortalError,
) -> Result<Response, PageError> {
    let message = error.form_message()?;
    render_page(
        portal,
        visitor,
        StatusCode::CONFLICT,
        None,
        Some(message),
        Forms::default(),
    )
    .await
}
