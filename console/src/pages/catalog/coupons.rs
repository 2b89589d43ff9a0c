//! `GET /admin/catalog/coupons`: every coupon with its discount, duration and uses; `POST`
//! creates one (a percentage, or an amount in one currency); `POST …/archive` archives one.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Section;
use super::coupon_form::{CouponForm, coupon_input};
use crate::Console;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, either, typed};
use crate::flash::Flash;
use crate::form::{FormErrors, InputField, SelectField};
use crate::html::render;
use crate::operations::{
    ArchiveCoupon, CatalogProducts, Coupons, CreateCoupon, archive_coupon, catalog_products,
    coupons, create_coupon,
};
use crate::route::Route;
use crate::session::Visitor;
use crate::text::day;

/// The form's fields, as the API names them.
const FIELDS: [&str; 9] = [
    "productIds",
    "code",
    "name",
    "percentOff",
    "amountsOff.0.amount",
    "amountsOff.0.currency",
    "duration",
    "durationPeriods",
    "maxRedemptions",
];

/// The coupons page.
#[derive(Template)]
#[template(path = "catalog/coupons.html")]
struct CouponsPage {
    chrome: Chrome,
    section: Section,
    flash: Option<Flash>,
    coupons: Vec<CouponRow>,
    /// The list's filter, as the URL carries it.
    filter_form: FilterForm,
    /// The next page (same filter), if there is one.
    next: Option<String>,
    form: CouponForm,
    errors: FormErrors,
    /// The products a coupon may be limited to: (id, name).
    products: Vec<(String, String)>,
}

/// One coupon.
struct CouponRow {
    id: String,
    code: String,
    name: String,
    /// "10 %" or "€20.00".
    discount: String,
    /// "Once", "3 invoices", "Every invoice".
    duration: String,
    /// "3 of 10", "3".
    uses: String,
    /// "31 Dec 2026", or empty.
    expires: String,
    /// Limited to products.
    limited: bool,
    archived: bool,
}

/// An archive form.
#[derive(Deserialize)]
pub(super) struct ArchiveForm {
    csrf: String,
    coupon: String,
}

/// The page's parameters.
#[derive(Deserialize)]
pub(super) struct CouponsParams {
    after: Option<String>,
    done: Option<String>,
    #[serde(flatten)]
    filter: CouponsFilter,
}

/// The list's filter, as the URL carries it.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct CouponsFilter {
    /// A piece of the code or name.
    #[serde(default)]
    q: String,
    /// `active`, `archived`, or empty for both.
    #[serde(default)]
    status: String,
}

/// The statuses the filter offers: (value, words).
const STATUSES: [(&str, &str); 2] = [("active", "Not archived"), ("archived", "Archived")];

impl CouponsFilter {
    fn form(&self) -> FilterForm {
        FilterForm {
            route: Route::Coupons(None),
            label: "Find coupons",
            fields: vec![
                FilterField::text("q", "Code or name", &self.q),
                FilterField::select("status", "Status", "Any status", &STATUSES, &self.status),
            ],
        }
    }

    /// The operation's variables from `after`; a status the select does not offer is a bad
    /// request, not "every coupon".
    fn variables(&self, after: Option<String>) -> Result<coupons::Variables, PageError> {
        Ok(coupons::Variables {
            after,
            search: typed(&self.q),
            active: either(&self.status, "active", "archived")?,
        })
    }
}

impl CouponsPage {
    /// Whether the form has product `id` chosen.
    fn chosen(&self, id: &str) -> bool {
        self.form.products.iter().any(|p| p == id)
    }

    /// The refusal beside the products, if they are at fault.
    fn products_error(&self) -> Option<&str> {
        self.errors
            .field()
            .filter(|(field, _)| field.starts_with("productIds"))
            .map(|(_, message)| message)
    }

    fn fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text("code".into(), "Code", &f.code, e, "code")
                .hint("What customers type; unique whatever its case."),
            InputField::text("name".into(), "Name for staff", &f.name, e, "name"),
        ]
    }

    fn off_field(&self) -> SelectField {
        let options = vec![
            ("percent".to_owned(), "A percentage".to_owned()),
            ("amount".to_owned(), "An amount".to_owned()),
        ];
        SelectField::new(
            "off",
            "Takes off",
            options,
            &self.form.off,
            &self.errors,
            "off",
        )
    }

    fn amount_fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text(
                "percent_off".into(),
                "Percent off",
                &f.percent_off,
                e,
                "percentOff",
            )
            .hint("For a percentage: above 0, at most 100 (12.5)."),
            InputField::text(
                "amount_off".into(),
                "Amount off",
                &f.amount_off,
                e,
                "amountsOff.0.amount",
            )
            .hint("For an amount (20.00), in the currency beside it."),
            InputField::text(
                "currency".into(),
                "Currency of the amount",
                &f.currency,
                e,
                "amountsOff.0.currency",
            ),
        ]
    }

    fn duration_field(&self) -> SelectField {
        let options = vec![
            ("ONCE".to_owned(), "The first invoice".to_owned()),
            ("REPEATING".to_owned(), "A number of invoices".to_owned()),
            ("FOREVER".to_owned(), "Every invoice".to_owned()),
        ];
        SelectField::new(
            "duration",
            "Discounts",
            options,
            &self.form.duration,
            &self.errors,
            "duration",
        )
    }

    fn limit_fields(&self) -> Vec<InputField> {
        let (f, e) = (&self.form, &self.errors);
        vec![
            InputField::text(
                "duration_periods".into(),
                "Invoices discounted",
                &f.duration_periods,
                e,
                "durationPeriods",
            )
            .hint("For “a number of invoices”: 1 to 1200."),
            InputField::text(
                "max_redemptions".into(),
                "Uses in all (optional)",
                &f.max_redemptions,
                e,
                "maxRedemptions",
            ),
            InputField::text(
                "expires_on".into(),
                "Last day it may be applied (optional)",
                &f.expires_on,
                e,
                "expiresOn",
            )
            .kind("date", "off"),
        ]
    }
}

async fn coupons_page(
    console: &Console,
    visitor: &Visitor,
    filter: CouponsFilter,
    after: Option<String>,
    flash: Option<Flash>,
    form: CouponForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Catalog).await?;
    let connection = console
        .run::<Coupons>(filter.variables(after)?, Some(&visitor.session))
        .await?
        .coupons;
    let rows = connection
        .nodes
        .into_iter()
        .map(|c| {
            use coupons::CouponDuration as D;
            let discount = match &c.percent_off {
                Some(percent) => format!("{percent} %"),
                None => c
                    .amounts_off
                    .iter()
                    .map(|m| m.formatted.clone())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let duration = match (&c.duration, c.duration_periods) {
                (D::ONCE, _) => "The first invoice".to_owned(),
                (D::REPEATING, Some(1)) => "1 invoice".to_owned(),
                (D::REPEATING, Some(n)) => format!("{n} invoices"),
                (D::FOREVER, _) => "Every invoice".to_owned(),
                (other, _) => crate::text::label(other),
            };
            let uses = match c.max_redemptions {
                Some(max) => format!("{} of {max}", c.redemptions),
                None => c.redemptions.to_string(),
            };
            CouponRow {
                id: c.id,
                code: c.code,
                name: c.name,
                discount,
                duration,
                uses,
                expires: c.expires_on.map(day).unwrap_or_default(),
                limited: !c.product_ids.is_empty(),
                archived: c.archived,
            }
        })
        .collect();
    let products = console
        .run::<CatalogProducts>(
            catalog_products::Variables {
                after: None,
                search: None,
                kind: None,
                active: Some(true),
            },
            Some(&visitor.session),
        )
        .await?
        .products
        .nodes
        .into_iter()
        .filter(|p| p.active)
        .map(|p| (p.id, format!("{} ({})", p.name, p.code)))
        .collect();
    let status = errors.status();
    let filter_form = filter.form();
    let page = CouponsPage {
        products,
        chrome,
        section: Section::Coupons,
        flash,
        coupons: rows,
        next: filter_form.next_href(
            connection
                .page_info
                .has_next_page
                .then_some(connection.page_info.end_cursor)
                .flatten(),
        ),
        filter_form,
        form,
        errors,
    };
    Ok(render(status, &page))
}

/// `GET /admin/catalog/coupons`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Query(params): Query<CouponsParams>,
) -> Result<Response, PageError> {
    let form = CouponForm {
        off: "percent".into(),
        duration: "ONCE".into(),
        currency: "EUR".into(),
        ..CouponForm::default()
    };
    let flash = Flash::from_param(params.done.as_deref());
    coupons_page(
        &console,
        &visitor,
        params.filter,
        params.after,
        flash,
        form,
        FormErrors::none(),
    )
    .await
}

/// `POST /admin/catalog/coupons`.
pub(super) async fn create(
    State(console): State<Console>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = CouponForm::from_pairs(pairs);
    visitor.verify_form(&form.csrf)?;
    let input = match coupon_input(&form) {
        Ok(input) => input,
        Err(errors) => {
            return coupons_page(
                &console,
                &visitor,
                CouponsFilter::default(),
                None,
                None,
                form,
                errors,
            )
            .await;
        }
    };
    match console
        .run::<CreateCoupon>(create_coupon::Variables { input }, Some(&visitor.session))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&Flash::CouponCreated.href(&Route::Coupons(None))).into_response())
        }
        Err(error) => {
            let errors = FormErrors::from_refusal(error, |f| {
                FIELDS.contains(&f) || f == "expiresOn" || f.starts_with("productIds")
            })?;
            coupons_page(
                &console,
                &visitor,
                CouponsFilter::default(),
                None,
                None,
                form,
                errors,
            )
            .await
        }
    }
}

/// `POST /admin/catalog/coupons/archive`.
pub(super) async fn archive(
    State(console): State<Console>,
    visitor: Visitor,
    Form(form): Form<ArchiveForm>,
) -> Result<Response, PageError> {
    visitor.verify_form(&form.csrf)?;
    let input = archive_coupon::ArchiveCouponInput {
        coupon_id: form.coupon,
    };
    console
        .run::<ArchiveCoupon>(archive_coupon::Variables { input }, Some(&visitor.session))
        .await?;
    Ok(Redirect::to(&Flash::CouponArchived.href(&Route::Coupons(None))).into_response())
}
