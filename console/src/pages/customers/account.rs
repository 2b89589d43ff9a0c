//! The customer page's account tabs: billing addresses, payment methods and portal users, each read through its own operation and rendered with its own template.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::Console;
use crate::chrome::Chrome;
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::filter::{FilterField, FilterForm, typed};
use crate::flash::Flash;
use crate::html::render;
use crate::operations::{
    CustomerAddresses, CustomerPaymentMethods, CustomerUsers, Role, customer_addresses,
    customer_payment_methods, customer_users,
};
use crate::route::{Route, Tab};
use crate::session::Visitor;
use crate::text::{day, label};

/// What every tab page holds: the frame, the customer, a confirmation.
pub struct Frame {
    /// The page's frame.
    pub chrome: Chrome,
    /// The customer and its tabs.
    pub customer: CustomerFrame,
    /// A confirmation to show.
    pub flash: Option<Flash>,
}

/// A table tab: a caption, column headings and rows of cells, and a next page.
#[derive(Template)]
#[template(path = "customers/table.html")]
struct TableTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    /// The tab's heading.
    title: &'static str,
    /// The table's id.
    table_id: &'static str,
    /// Column headings.
    columns: &'static [&'static str],
    /// The rows, one cell per column.
    rows: Vec<Vec<String>>,
    /// Said when there is no row.
    empty: &'static str,
    /// The next page, if any.
    next: Option<String>,
    /// The tab's filter, for tabs that have one.
    filter_form: Option<FilterForm>,
}

/// The users tab's filter, as the URL carries it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct UsersFilter {
    /// A piece of the name or e-mail, or empty.
    #[serde(default)]
    pub q: String,
    /// `OWNER`, `BILLING_ADMIN`, `VIEWER`, or empty for every role.
    #[serde(default)]
    pub role: String,
}

impl UsersFilter {
    /// The filter form of customer `id`'s users tab.
    fn form(&self, id: &str) -> FilterForm {
        let roles: Vec<(&str, &str)> = Role::ORGANISATION_ROLES
            .iter()
            .map(|r| (r.form_value(), r.label()))
            .collect();
        FilterForm {
            route: Route::Customer(id.to_owned(), Tab::Users),
            label: "Find portal users",
            fields: vec![
                FilterField::text("q", "Name or e-mail", &self.q),
                FilterField::select("role", "Role", "Every role", &roles, &self.role),
            ],
        }
    }

    /// The role asked for; one the select does not offer is a bad request, not "every role".
    fn role(&self) -> Result<Option<Role>, PageError> {
        match self.role.as_str() {
            "" => Ok(None),
            value => Role::organisation_from_form(value)
                .map(Some)
                .ok_or_else(|| PageError::BadRequest("Choose a value the filter offers.".into())),
        }
    }
}

/// Renders account tab `tab` of customer `id` (`None` for another tab).
pub async fn render_tab(
    console: &Console,
    visitor: &Visitor,
    id: &str,
    tab: Tab,
    frame: Frame,
    after: Option<String>,
    users_filter: &UsersFilter,
) -> Result<Option<Response>, PageError> {
    let session = Some(visitor.session.as_str());
    let Frame {
        chrome,
        customer,
        flash,
    } = frame;
    let mut page = TableTab {
        chrome,
        flash,
        title: "",
        table_id: "",
        columns: &[],
        rows: Vec::new(),
        empty: "",
        next: None,
        filter_form: None,
        customer,
    };
    match tab {
        Tab::Addresses => {
            let variables = customer_addresses::Variables { id: id.to_owned() };
            let addresses = console
                .run::<CustomerAddresses>(variables, session)
                .await?
                .customer
                .billing_addresses;
            page.title = "Billing addresses";
            page.table_id = "addresses";
            page.columns = &["Address", "Country", "Verification", "Default"];
            page.empty = "No billing address.";
            page.rows = addresses
                .into_iter()
                .map(|a| {
                    let mut lines = a.lines.join(", ");
                    let place = [a.postal_code.unwrap_or_default(), a.city]
                        .join(" ")
                        .trim()
                        .to_owned();
                    lines = [lines, place, a.region.unwrap_or_default()]
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let default = if a.is_default { "Default" } else { "" };
                    vec![
                        lines,
                        a.country_name,
                        label(&a.verification),
                        default.to_owned(),
                    ]
                })
                .collect();
        }
        Tab::PaymentMethods => {
            let variables = customer_payment_methods::Variables { id: id.to_owned() };
            let methods = console
                .run::<CustomerPaymentMethods>(variables, session)
                .await?
                .customer
                .payment_methods;
            page.title = "Payment methods";
            page.table_id = "payment-methods";
            page.columns = &["Method", "Kind", "Expires", "Default"];
            page.empty = "No payment method.";
            page.rows = methods
                .into_iter()
                .map(|m| {
                    let expires = match (m.exp_month, m.exp_year) {
                        (Some(month), Some(year)) => format!("{month:02}/{year}"),
                        _ => String::new(),
                    };
                    let default = if m.is_default { "Default" } else { "" };
                    vec![m.label, label(&m.kind), expires, default.to_owned()]
                })
                .collect();
        }
        Tab::Users => {
            let variables = customer_users::Variables {
                id: id.to_owned(),
                after,
                search: typed(&users_filter.q),
                role: users_filter.role()?,
            };
            let filter_form = users_filter.form(id);
            let users = console
                .run::<CustomerUsers>(variables, session)
                .await?
                .customer
                .users;
            page.title = "Portal users";
            page.table_id = "users";
            page.columns = &["Name", "E-mail", "Role", "Since"];
            page.empty = if filter_form.is_filtered() {
                "No portal user matches."
            } else {
                "No portal user."
            };
            // The next page keeps the filter.
            page.next = filter_form.next_href(
                users
                    .page_info
                    .end_cursor
                    .filter(|_| users.page_info.has_next_page),
            );
            page.filter_form = Some(filter_form);
            page.rows = users
                .nodes
                .into_iter()
                .map(|u| {
                    vec![
                        u.name,
                        u.email,
                        u.role.label().to_owned(),
                        day(u.created_at.date_naive()),
                    ]
                })
                .collect();
        }
        _ => return Ok(None),
    }
    Ok(Some(render(StatusCode::OK, &page)))
}
