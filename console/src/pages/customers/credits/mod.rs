//! The customer page's credits tab: the credit balance with its changes (newest first, paged)
//! and the coupons applied to the customer. Billing staff top up or correct the balance
//! (`adjustCreditBalance`), apply a coupon to the customer or one of its subscriptions
//! (`applyCoupon`) and remove one (`removeCoupon`): one form per mutation, a refusal shown
//! beside the field at fault or above its form, nothing saved. The API audits each change.

mod actions;

use askama::Template;
use axum::response::Response;
use serde::Deserialize;

pub(super) use actions::{adjust, apply, remove};

use super::account::Frame;
use crate::Console;
use crate::choices::{every_page, every_subscription, next_cursor};
use crate::chrome::Chrome;
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, chosen};
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, SelectField, idempotency_key};
use crate::html::render;
use crate::operations::{CouponChoices, CustomerCredits, coupon_choices, customer_credits};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};

/// How many pages of coupons the apply form reads at most (100 each): a catalog with more
/// coupons than that is a different product, and the page must not loop without end.
const COUPON_PAGES: usize = 20;

/// The credits tab.
#[derive(Template)]
#[template(path = "customers/credits.html")]
struct CreditsTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    /// The balance's changes, one row per change: (day, kind, description, change, after).
    ledger: Vec<[String; 5]>,
    /// The ledger's filter, as the URL carries it.
    filter_form: FilterForm,
    /// The ledger's next page (same filter), if any.
    next: Option<String>,
    coupons: Vec<AppliedRow>,
    /// The adjustment form as typed, and its refusal.
    adjust: AdjustForm,
    adjust_errors: FormErrors,
    /// The apply form as typed, its refusal, and what it offers.
    apply: CouponForm,
    apply_errors: FormErrors,
    coupon_choices: Vec<(String, String)>,
    subscription_choices: Vec<(String, String)>,
    /// A removal's refusal, above the coupons.
    remove_error: Option<String>,
}

/// A coupon applied to the customer.
struct AppliedRow {
    /// Its id (`red_…`): what the removal names.
    id: String,
    /// "WELCOME10 (Welcome offer)".
    coupon: String,
    /// "10 %" or "€5.00".
    discount: String,
    /// "Every subscription" or the subscription's id.
    applies_to: String,
    /// "Once", "3 invoices (1 so far)", "Every invoice".
    duration: String,
    /// "Active" or "Used up".
    status: String,
    /// Whether it still discounts: only then is it offered for removal.
    active: bool,
    applied: String,
}

/// The adjustment form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct AdjustForm {
    #[serde(default)]
    csrf: String,
    /// `TOP_UP` or `ADJUSTMENT`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    description: String,
    /// The idempotency key chosen when the form was shown: sent twice, it changes the
    /// balance once.
    #[serde(default)]
    key: String,
}

/// The apply form, as typed.
#[derive(Default, Deserialize)]
pub(super) struct CouponForm {
    #[serde(default)]
    csrf: String,
    /// The coupon (`cpn_…`).
    #[serde(default)]
    coupon: String,
    /// One subscription (`sub_…`), or empty for every subscription.
    #[serde(default)]
    subscription: String,
}

/// The removal of one applied coupon.
#[derive(Deserialize)]
pub(super) struct RemoveForm {
    #[serde(default)]
    csrf: String,
    /// The applied coupon (`red_…`).
    #[serde(default)]
    applied: String,
}

/// The adjustment kinds: (value, words).
const KINDS: [(&str, &str); 2] = [
    ("TOP_UP", "Top up: add credit"),
    ("ADJUSTMENT", "Correct the balance (either way)"),
];

impl CreditsTab {
    fn kind_field(&self) -> SelectField {
        SelectField::new(
            "kind",
            "Change",
            KINDS
                .iter()
                .map(|(v, w)| ((*v).to_owned(), (*w).to_owned()))
                .collect(),
            &self.adjust.kind,
            &self.adjust_errors,
            "kind",
        )
    }

    fn adjust_fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.adjust, &self.adjust_errors);
        vec![
            InputField::text("amount".into(), "Amount", &f.amount, e, "amount").hint(
                "In the customer's currency, e.g. 25.00; a correction may be negative (-5), \
                 never below zero.",
            ),
            InputField::text(
                "description".into(),
                "Why",
                &f.description,
                e,
                "description",
            )
            .hint("Shown in the customer's ledger."),
        ]
    }

    fn coupon_field(&self) -> SelectField {
        SelectField::new(
            "coupon",
            "Coupon",
            self.coupon_choices.clone(),
            &self.apply.coupon,
            &self.apply_errors,
            "couponId",
        )
    }

    fn subscription_field(&self) -> SelectField {
        let mut choices = vec![(String::new(), "Every subscription".to_owned())];
        choices.extend(self.subscription_choices.iter().cloned());
        SelectField::new(
            "subscription",
            "Applies to",
            choices,
            &self.apply.subscription,
            &self.apply_errors,
            "subscriptionId",
        )
    }
}

/// What the tab shows: its forms empty, or one of them as typed with its refusal.
pub(super) enum Shown {
    /// Every form empty.
    Fresh,
    /// The adjustment as typed.
    Adjust(AdjustForm, FormErrors),
    /// The coupon to apply as typed.
    Apply(CouponForm, FormErrors),
    /// A removal refused.
    Remove(String),
}

/// The part of the ledger the URL asks for: its page and its filter.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    pub(super) after: Option<String>,
    /// A kind of change as the schema names it (`TOP_UP`), or empty for every kind.
    pub(super) change: String,
}

/// The kinds of change the ledger's filter offers: (schema value, words).
const CHANGES: [(&str, &str); 6] = [
    ("TOP_UP", "Top up"),
    ("ADJUSTMENT", "Adjustment"),
    ("INVOICE", "Applied to an invoice"),
    ("CREDIT_NOTE", "Credit note"),
    ("LICENSE_REMOVAL", "License removal"),
    ("UNUSED_TIME", "Unused time"),
];

/// Renders the credits tab of customer `id`, the part of its ledger `ledger` asks for.
pub(super) async fn render_tab(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    frame: Frame,
    ledger: Ledger,
    shown: Shown,
) -> Result<Response, PageError> {
    let session = Some(visitor.session.as_str());
    let filter_form = FilterForm {
        route: Route::Customer(id.to_owned(), Tab::Credits),
        label: "Find changes of the balance",
        fields: vec![FilterField::select(
            "change",
            "Kind",
            "Every kind",
            &CHANGES,
            &ledger.change,
        )],
    };
    let customer = console
        .run::<CustomerCredits>(
            customer_credits::Variables {
                id: id.to_owned(),
                after: ledger.after,
                kind: chosen(&ledger.change, &CHANGES)?,
            },
            session,
        )
        .await?
        .customer;
    let ledger = customer.credit_ledger;
    let next = filter_form.next_href(
        ledger
            .page_info
            .end_cursor
            .filter(|_| ledger.page_info.has_next_page),
    );
    // The coupon form's pickers: read only for those who may apply one.
    let (coupon_choices, subscription_choices) = if frame.chrome.may_change() {
        let subscriptions = every_subscription(console, visitor, id)
            .await?
            .into_iter()
            .map(|s| (s.id.clone(), format!("{} ({})", s.id, s.status)))
            .collect();
        (coupons_to_offer(console, visitor).await?, subscriptions)
    } else {
        (Vec::new(), Vec::new())
    };
    let fresh = AdjustForm {
        key: idempotency_key(),
        ..AdjustForm::default()
    };
    let (mut adjust, mut adjust_errors) = (fresh, FormErrors::none());
    let (mut apply, mut apply_errors) = (CouponForm::default(), FormErrors::none());
    let mut remove_error = None;
    match shown {
        Shown::Fresh => {}
        Shown::Adjust(form, errors) => (adjust, adjust_errors) = (form, errors),
        Shown::Apply(form, errors) => (apply, apply_errors) = (form, errors),
        Shown::Remove(message) => remove_error = Some(message),
    }
    let status = if adjust_errors.is_refused() {
        adjust_errors.status()
    } else if apply_errors.is_refused() {
        apply_errors.status()
    } else if remove_error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = CreditsTab {
        chrome: frame.chrome,
        customer: frame.customer,
        flash: frame.flash,
        ledger: ledger
            .nodes
            .into_iter()
            .map(|e| {
                [
                    day(e.created_at.date_naive()),
                    label(&e.kind),
                    e.description,
                    e.amount.formatted,
                    e.balance_after.formatted,
                ]
            })
            .collect(),
        next,
        filter_form,
        coupons: customer.coupons.into_iter().map(applied_row).collect(),
        adjust,
        adjust_errors,
        apply,
        apply_errors,
        coupon_choices,
        subscription_choices,
        remove_error,
    };
    Ok(render(status, &page))
}

/// The coupons staff may apply: every coupon not archived, as (id, "CODE: name").
async fn coupons_to_offer(
    console: &Console,
    visitor: &Visitor,
) -> Result<Vec<(String, String)>, PageError> {
    every_page(COUPON_PAGES, |after| async move {
        let page = console
            .run::<CouponChoices>(coupon_choices::Variables { after }, Some(&visitor.session))
            .await?
            .coupons;
        let rows = page
            .nodes
            .into_iter()
            .filter(|c| !c.archived)
            .map(|c| (c.id, format!("{}: {}", c.code, c.name)))
            .collect();
        Ok((
            rows,
            next_cursor(page.page_info.has_next_page, page.page_info.end_cursor),
        ))
    })
    .await
}

/// An applied coupon, for people.
fn applied_row(c: customer_credits::CustomerCreditsCustomerCoupons) -> AppliedRow {
    use customer_credits::CouponDuration as D;
    let discount = match c.percent_off {
        Some(percent) => format!("{percent} %"),
        None => c
            .amounts_off
            .into_iter()
            .map(|m| m.formatted)
            .collect::<Vec<_>>()
            .join(" or "),
    };
    let duration = match (&c.duration, c.duration_periods) {
        (D::ONCE, _) => "Once".to_owned(),
        (D::REPEATING, Some(n)) => format!("{n} invoices ({} so far)", c.periods_applied),
        (D::FOREVER, _) => "Every invoice".to_owned(),
        _ => label(&c.duration),
    };
    AppliedRow {
        coupon: format!("{} ({})", c.code, c.name),
        discount,
        applies_to: c
            .subscription_id
            .unwrap_or_else(|| "Every subscription".to_owned()),
        duration,
        status: if c.active { "Active" } else { "Used up" }.to_owned(),
        active: c.active,
        applied: day(c.applied_at.date_naive()),
        id: c.id,
    }
}
