//! The credits tab's forms: a top-up or correction of the balance, a coupon applied, a
//! coupon removed. Each saved change leads back to the tab saying what was done; a refusal
//! shows the tab again with it.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::super::account::Frame;
use super::{AdjustForm, CouponForm, Ledger, RemoveForm, Shown, render_tab};
use crate::Console;
use crate::chrome::Nav;
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::operations::{
    AdjustCreditBalance, ApplyCoupon, CustomerCredits, RemoveCoupon, adjust_credit_balance,
    apply_coupon, customer_credits, remove_coupon,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;

/// The credits tab again after a refusal: the frame, then the tab with `shown`.
async fn refused(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    shown: Shown,
) -> Result<Response, PageError> {
    let frame = Frame {
        chrome: visitor.chrome(console, Nav::Customers).await?,
        customer: CustomerFrame::load(console, visitor, id, Tab::Credits).await?,
        flash: None,
    };
    render_tab(console, visitor, id, frame, Ledger::default(), shown).await
}

/// Where a saved change leads: the credits tab saying what was done.
fn done(id: String, flash: Flash) -> Response {
    Redirect::to(&flash.href(&Route::Customer(id, Tab::Credits))).into_response()
}

/// `POST /admin/customers/{id}/credits`.
pub(in super::super) async fn adjust(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<AdjustForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    use adjust_credit_balance::CreditAdjustmentKind as K;
    let kind = match form.kind.as_str() {
        "TOP_UP" => K::TOP_UP,
        "ADJUSTMENT" => K::ADJUSTMENT,
        _ => {
            let errors = FormErrors::on("kind", "Choose a top-up or a correction.");
            return refused(&console, &visitor, &id, Shown::Adjust(form, errors)).await;
        }
    };
    let input = adjust_credit_balance::AdjustCreditBalanceInput {
        customer_id: id.clone(),
        kind,
        amount: form.amount.trim().to_owned(),
        description: form.description.trim().to_owned(),
        idempotency_key: Some(form.key.clone()).filter(|k| !k.is_empty()),
    };
    match console
        .run::<AdjustCreditBalance>(
            adjust_credit_balance::Variables { input },
            Some(&visitor.session),
        )
        .await
    {
        Ok(_) => Ok(done(id, Flash::CreditAdjusted)),
        Err(error) => {
            let errors =
                FormErrors::from_refusal(error, |f| matches!(f, "amount" | "description"))?;
            refused(&console, &visitor, &id, Shown::Adjust(form, errors)).await
        }
    }
}

/// `POST /admin/customers/{id}/coupons`.
pub(in super::super) async fn apply(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CouponForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    if form.coupon.is_empty() {
        let errors = FormErrors::on("couponId", "Choose a coupon.");
        return refused(&console, &visitor, &id, Shown::Apply(form, errors)).await;
    }
    let input = apply_coupon::ApplyCouponInput {
        coupon_id: form.coupon.clone(),
        customer_id: id.clone(),
        subscription_id: Some(form.subscription.clone()).filter(|s| !s.is_empty()),
    };
    match console
        .run::<ApplyCoupon>(apply_coupon::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(done(id, Flash::CouponApplied)),
        Err(error) => {
            let errors =
                FormErrors::from_refusal(error, |f| matches!(f, "couponId" | "subscriptionId"))?;
            refused(&console, &visitor, &id, Shown::Apply(form, errors)).await
        }
    }
}

/// `POST /admin/customers/{id}/coupons/remove`.
pub(in super::super) async fn remove(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    // Only a coupon shown on this customer's tab is removed from it: an id of another
    // customer's coupon is refused, not removed from a page that does not show it.
    let applied = console
        .run::<CustomerCredits>(
            customer_credits::Variables {
                id: id.clone(),
                after: None,
                kind: None,
            },
            Some(&visitor.session),
        )
        .await?
        .customer
        .coupons;
    // Only one still discounting: a used-up redemption is the record that it was used (a
    // coupon applied once is not applied again).
    if !applied.iter().any(|c| c.id == form.applied && c.active) {
        let message = "This coupon does not discount this customer's invoices.".to_owned();
        return refused(&console, &visitor, &id, Shown::Remove(message)).await;
    }
    let input = remove_coupon::RemoveCouponInput {
        applied_coupon_id: form.applied.clone(),
    };
    match console
        .run::<RemoveCoupon>(remove_coupon::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(done(id, Flash::CouponRemoved)),
        Err(error) => {
            let message = FormErrors::from_refusal(error, |_| false)?
                .form
                .unwrap_or_default();
            refused(&console, &visitor, &id, Shown::Remove(message)).await
        }
    }
}
