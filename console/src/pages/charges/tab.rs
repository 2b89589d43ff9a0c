//! `GET /admin/customers/cus_…/charges`: the charges tab, with the unbilled charges and the
//! "Add one-time addons and quick charges" form (shown again, with its refusal, by the preview
//! and the creation).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::entry::{ChargesForm, MAX_ROWS};
use crate::Console;
use crate::choices::every_product;
use crate::chrome::{Chrome, Nav};
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::{FormErrors, InputField};
use crate::html::render;
use crate::operations::{ChargesTab, charges_tab, product_choices};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::day;

/// The charges tab.
#[derive(Template)]
#[template(path = "charges/tab.html")]
struct ChargesPage {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    /// Charges waiting for the next invoice.
    unbilled: Vec<UnbilledRow>,
    /// The one-time products an addon may be: (id, name).
    products: Vec<(String, String)>,
    /// The form's values.
    form: ChargesForm,
    /// Its refusal, if any.
    errors: FormErrors,
}

/// A charge waiting for the next invoice.
struct UnbilledRow {
    /// Its id (`chg_…`): what its removal names.
    id: String,
    /// The day it was added.
    added: String,
    /// Its line text.
    description: String,
    /// Its quantity.
    quantity: String,
    /// Its amount, formatted.
    amount: String,
}

/// One row of the form, ready for the template.
struct RowView {
    /// Its position.
    index: usize,
    /// The product chosen, if any.
    product: String,
    /// The message beside the product choice.
    product_error: Option<String>,
    /// Its text fields.
    fields: Vec<InputField>,
}

impl ChargesPage {
    /// The form's rows.
    fn rows(&self) -> Vec<RowView> {
        (0..self.form.rows.len())
            .map(|i| RowView {
                index: i,
                product: self.form.rows[i].product.clone(),
                product_error: self.errors.get(&format!("product_{i}")).map(str::to_owned),
                fields: self.form.row_fields(i, &self.errors),
            })
            .collect()
    }

    /// Whether "Add a line" may add one more row.
    fn may_add_line(&self) -> bool {
        self.form.rows.len() < MAX_ROWS
    }

    /// How many rows the form shows, posted back so the next answer draws as many.
    fn row_count(&self) -> usize {
        self.form.rows.len()
    }

    /// Where an unbilled charge's "Remove" posts.
    fn remove_route(&self) -> Route {
        Route::RemoveCharge(self.customer.id.clone())
    }

    /// Where the form posts its preview.
    fn preview_route(&self) -> Route {
        Route::PreviewCharges(self.customer.id.clone())
    }

    /// The PO number and notes.
    fn invoice_fields(&self) -> Vec<InputField> {
        self.form.invoice_fields(&self.errors)
    }
}

/// The tab's parameters.
#[derive(Deserialize)]
pub(super) struct TabParams {
    done: Option<String>,
}

/// `GET /admin/customers/{id}/charges`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<TabParams>,
) -> Result<Response, PageError> {
    let flash = Flash::from_param(params.done.as_deref());
    form_page(
        &console,
        &visitor,
        &id,
        ChargesForm::blank(),
        FormErrors::none(),
        flash,
    )
    .await
}

/// The tab with `form` and its `errors` (422 when refused).
pub(super) async fn form_page(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    form: ChargesForm,
    errors: FormErrors,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let chrome = visitor.chrome(console, Nav::Customers).await?;
    let customer = CustomerFrame::load(console, visitor, id, Tab::Charges).await?;
    let data = console
        .run::<ChargesTab>(
            charges_tab::Variables { id: id.to_owned() },
            Some(&visitor.session),
        )
        .await?;
    let status = errors.status();
    let page = ChargesPage {
        chrome,
        customer,
        flash,
        unbilled: data
            .customer
            .unbilled_charges
            .into_iter()
            .map(|c| UnbilledRow {
                id: c.id,
                added: day(c.created_at.date_naive()),
                description: c.description,
                quantity: c.quantity,
                amount: c.amount.formatted,
            })
            .collect(),
        products: every_product(
            console,
            visitor,
            Some(product_choices::ProductKind::ONE_OFF),
        )
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect(),
        form,
        errors,
    };
    Ok(render(status, &page))
}
