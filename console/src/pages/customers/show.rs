//! `GET /admin/customers/cus_…?tab=…`: a customer's page, one tab at a time (subscriptions,
//! invoices and credit notes, usage and numbers, contacts), each read through its own
//! operation; the tabs' rows are built in [`super::tabs`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::account::{self, Frame};
use super::credits;
use super::records;
use super::tabs::{
    self, ContactRow, CreditNoteRow, InvoiceRow, NumberRow, SubscriptionRow, UsageRow,
};
use crate::Console;
use crate::audit::AuditFilter;
use crate::chrome::{Chrome, Nav};
use crate::customer::CustomerFrame;
use crate::error::PageError;
use crate::filter::FilterForm;
use crate::flash::Flash;
use crate::html::render;
use crate::route::{Route, Tab};
use crate::session::Visitor;

/// The customer page's parameters.
#[derive(Deserialize)]
pub(super) struct CustomerParams {
    tab: Option<String>,
    after: Option<String>,
    done: Option<String>,
    /// The invoices, subscriptions or documents tab's status filter (`OPEN`, `ACTIVE`,
    /// `PENDING`, …; empty: every status).
    status: Option<String>,
    /// The audit tab's filter.
    #[serde(flatten)]
    audit: AuditFilter,
    /// The credits tab's filter: a kind of change (`TOP_UP`), or empty for every kind.
    #[serde(default)]
    change: String,
    /// The usage tab's number filter: digits of the number, and `held` or `released`.
    #[serde(default)]
    number: String,
    #[serde(default)]
    held: String,
    /// The invoices tab's page of credit notes (its invoices page with `after`).
    notes_after: Option<String>,
    /// The users tab's filter.
    #[serde(flatten)]
    users: account::UsersFilter,
    /// The documents tab's type filter (`CONTRACT`; its status is `status`).
    #[serde(default)]
    doc_type: String,
}

/// The subscriptions tab.
#[derive(Template)]
#[template(path = "customers/subscriptions.html")]
struct SubscriptionsTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    subscriptions: Vec<SubscriptionRow>,
    /// The status filter shown (`CURRENT`, `ACTIVE`, …), empty for every subscription.
    status: String,
    /// The next page (same filter).
    next: Option<String>,
}

impl SubscriptionsTab {
    /// The filter's choices: (value, words).
    fn statuses(&self) -> [(&'static str, &'static str); 5] {
        tabs::SUBSCRIPTION_STATUSES
    }
}

/// The invoices and credit notes tab.
#[derive(Template)]
#[template(path = "customers/invoices.html")]
struct InvoicesTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    invoices: Vec<InvoiceRow>,
    credit_notes: Vec<CreditNoteRow>,
    /// The next page of invoices.
    next: Option<String>,
    /// The next page of credit notes.
    next_notes: Option<String>,
    /// The status shown (`OPEN`, …), empty for every status.
    status: String,
}

impl InvoicesTab {
    /// The filter's statuses: (value, words).
    fn statuses(&self) -> [(&'static str, &'static str); 4] {
        tabs::INVOICE_STATUSES
    }
}

/// The usage and numbers tab.
#[derive(Template)]
#[template(path = "customers/usage.html")]
struct UsageTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    /// The current billing period, for people.
    period: String,
    /// How many usage records it holds.
    records: i64,
    usage: Vec<UsageRow>,
    numbers: Vec<NumberRow>,
    /// The numbers' filter, as the URL carries it.
    filter_form: FilterForm,
    /// The next page of numbers (same filter).
    next: Option<String>,
}

/// The contacts tab.
#[derive(Template)]
#[template(path = "customers/contacts.html")]
struct ContactsTab {
    chrome: Chrome,
    customer: CustomerFrame,
    flash: Option<Flash>,
    contacts: Vec<ContactRow>,
}

/// `GET /admin/customers/{id}`.
pub(super) async fn show(
    State(console): State<Console>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<CustomerParams>,
) -> Result<Response, PageError> {
    let tab = Tab::from_param(params.tab.as_deref());
    if matches!(tab, Tab::Charges | Tab::Settings) {
        // These tabs are pages of their own: an old or hand-made link still gets there.
        return Ok(axum::response::IntoResponse::into_response(
            tab.route(&id).redirect(),
        ));
    }
    let chrome = visitor.chrome(&console, Nav::Customers).await?;
    let customer = CustomerFrame::load(&console, &visitor, &id, tab).await?;
    let flash = Flash::from_param(params.done.as_deref());
    let after = params.after.filter(|a| !a.is_empty());
    if tab == Tab::Credits {
        let frame = Frame {
            chrome,
            customer,
            flash,
        };
        let ledger = credits::Ledger {
            after,
            change: params.change,
        };
        return credits::render_tab(
            &console,
            &visitor,
            &id,
            frame,
            ledger,
            credits::Shown::Fresh,
        )
        .await;
    }
    if matches!(tab, Tab::Addresses | Tab::PaymentMethods | Tab::Users) {
        let frame = Frame {
            chrome,
            customer,
            flash,
        };
        return account::render_tab(&console, &visitor, &id, tab, frame, after, &params.users)
            .await?
            .ok_or(PageError::NotFound);
    }
    if matches!(tab, Tab::Documents | Tab::Audit) {
        let frame = Frame {
            chrome,
            customer,
            flash,
        };
        let filters = records::RecordFilters {
            audit: params.audit,
            documents: records::DocumentsFilter {
                doc_type: params.doc_type,
                status: params.status.unwrap_or_default(),
            },
        };
        return records::render_tab(&console, &visitor, &id, tab, frame, after, filters)
            .await?
            .ok_or(PageError::NotFound);
    }
    let page = match tab {
        Tab::Subscriptions => {
            let status = params.status.clone().unwrap_or_default();
            let page = tabs::subscriptions(&console, &visitor, &id, &status, after).await?;
            // The next page keeps the filter.
            let next = page.next.map(|cursor| {
                Route::Customer(id.clone(), tab)
                    .href_with(&[("after", cursor), ("status", status.clone())])
            });
            render(
                StatusCode::OK,
                &SubscriptionsTab {
                    subscriptions: page.rows,
                    chrome,
                    customer,
                    flash,
                    status,
                    next,
                },
            )
        }
        Tab::Invoices => {
            let status = params.status.clone().unwrap_or_default();
            let notes_after = params.notes_after.filter(|a| !a.is_empty());
            let (invoices, credit_notes, next, next_notes) = tabs::invoices(
                &console,
                &visitor,
                &id,
                after.clone(),
                notes_after.clone(),
                Some(&status),
            )
            .await?;
            // The next page keeps the filter; each list pages on its own and keeps the
            // other's page.
            let link = |invoices: Option<String>, notes: Option<String>| {
                Route::Customer(id.clone(), tab).href_with(&[
                    ("after", invoices.unwrap_or_default()),
                    ("notes_after", notes.unwrap_or_default()),
                    ("status", status.clone()),
                ])
            };
            let next = next.map(|c| link(Some(c), notes_after.clone()));
            let next_notes = next_notes.map(|c| link(after.clone(), Some(c)));
            render(
                StatusCode::OK,
                &InvoicesTab {
                    chrome,
                    customer,
                    flash,
                    invoices,
                    credit_notes,
                    next,
                    next_notes,
                    status,
                },
            )
        }
        Tab::Usage => {
            let filter = tabs::NumbersFilter {
                number: params.number,
                held: params.held,
            };
            let filter_form = filter.form(&id);
            let usage = tabs::usage(&console, &visitor, &id, after, &filter).await?;
            render(
                StatusCode::OK,
                &UsageTab {
                    chrome,
                    customer,
                    flash,
                    period: usage.period,
                    records: usage.records,
                    usage: usage.totals,
                    numbers: usage.numbers,
                    next: filter_form.next_href(usage.next),
                    filter_form,
                },
            )
        }
        _ => render(
            StatusCode::OK,
            &ContactsTab {
                contacts: tabs::contacts(&console, &visitor, &id).await?,
                chrome,
                customer,
                flash,
            },
        ),
    };
    Ok(page)
}
