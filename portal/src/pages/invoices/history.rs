//! The invoice history, as the organisation's users read it: finalised invoices, newest first,
//! filtered by a GET form (status, issued from, issued to) whose values stay in the URL, so the
//! page links carry them and a filtered page can be bookmarked. A value the form cannot use is
//! shown next to its field: one a hand-made URL carries (an unknown status, a date that is not
//! one), checked here, and a reversed range, which the API refuses on `issuedTo`. Each invoice
//! links its PDF; the "Receive your invoices by e-mail" card (`delivery`) sits above the list.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::delivery::{Delivery, DeliveryCard, Refused};
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::dates;
use crate::error::PageError;
use crate::flash::Flash;
use crate::html::render;
use crate::operations::{InvoiceDelivery, Invoices, invoice_delivery, invoices};
use crate::route::{InvoiceList, InvoiceStatusFilter, Route};
use crate::session::Visitor;

/// The invoice history page.
#[derive(Template)]
#[template(path = "invoices/history.html")]
struct HistoryPage {
    /// The frame.
    chrome: Chrome,
    /// Where invoices are e-mailed, and the form to change it.
    delivery: DeliveryCard,
    /// The filter form, as submitted, with its errors.
    filter: FilterForm,
    /// One row per invoice, newest first; `None` when the filter could not be used (its
    /// errors say why).
    invoices: Option<Vec<HistoryRow>>,
    /// The next page's link, when more invoices follow; it keeps the filter.
    older: Option<Route>,
    /// The filter's first page, when this is a later one.
    newest: Option<Route>,
}

/// The filter form: what the visitor chose (kept as typed, so a refused value can be corrected)
/// and the message next to each field the API or the portal refused.
#[derive(Default)]
struct FilterForm {
    /// The status chosen; `None`: any.
    status: Option<InvoiceStatusFilter>,
    /// The first day, as typed.
    from: String,
    /// The last day, as typed.
    to: String,
    /// Why the status cannot be used.
    status_error: Option<String>,
    /// Why the first day cannot be used.
    from_error: Option<String>,
    /// Why the last day cannot be used.
    to_error: Option<String>,
    /// The unfiltered history, when a filter is set.
    clear: Option<Route>,
}

impl FilterForm {
    /// The statuses the menu offers.
    fn statuses(&self) -> [InvoiceStatusFilter; 4] {
        InvoiceStatusFilter::ALL
    }

    /// Whether `status` is the one chosen (the menu marks it `selected`).
    fn is_chosen(&self, status: &InvoiceStatusFilter) -> bool {
        self.status == Some(*status)
    }

    /// Whether a field has an error: nothing is listed then.
    fn has_errors(&self) -> bool {
        self.status_error.is_some() || self.from_error.is_some() || self.to_error.is_some()
    }
}

/// One invoice in the history.
struct HistoryRow {
    /// Its page.
    link: Route,
    /// Where its PDF is downloaded.
    pdf_url: String,
    /// `INV-2026-000042`.
    number: String,
    /// "Open", "Paid", …
    status: &'static str,
    /// Issue date, for people.
    issued: String,
    /// The period billed, for people.
    period: String,
    /// Total.
    total: String,
    /// What remains to be paid.
    amount_due: String,
}

/// What the history shows besides its list: a confirmation, and a delivery form the API
/// refused.
pub(super) struct Extras {
    /// The confirmation a redirect carried.
    pub flash: Option<Flash>,
    /// The delivery form as typed, with why it was refused.
    pub refused: Option<Refused>,
}

/// The history's query string, as the form (or a link) sends it.
#[derive(Deserialize, Default)]
pub(super) struct HistoryQuery {
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
}

impl HistoryQuery {
    /// The list it names, or the form with the errors of the values it cannot use.
    fn parse(self) -> (InvoiceList, FilterForm) {
        let text = |value: Option<String>| value.map(|v| v.trim().to_owned()).unwrap_or_default();
        let (status, from, to) = (text(self.status), text(self.from), text(self.to));
        let mut form = FilterForm {
            from: from.clone(),
            to: to.clone(),
            ..FilterForm::default()
        };
        let day = |value: &str, error: &mut Option<String>| {
            if value.is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
            if parsed.is_none() {
                *error = Some("Enter a date as YYYY-MM-DD, e.g. 2026-05-01.".into());
            }
            parsed
        };
        let list = InvoiceList {
            status: match status.as_str() {
                "" => None,
                param => {
                    let parsed = InvoiceStatusFilter::from_param(param);
                    if parsed.is_none() {
                        form.status_error = Some("Choose a status from the list.".into());
                    }
                    parsed
                }
            },
            from: day(&from, &mut form.from_error),
            to: day(&to, &mut form.to_error),
            after: self.after.filter(|a| !a.is_empty()),
        };
        form.status = list.status;
        form.clear = list
            .is_filtered()
            .then(|| Route::Invoices(InvoiceList::default()));
        (list, form)
    }
}

fn status_of_list(status: &invoices::InvoiceStatus) -> &'static str {
    match status {
        invoices::InvoiceStatus::DRAFT => "Draft",
        invoices::InvoiceStatus::OPEN => "Open",
        invoices::InvoiceStatus::PAID => "Paid",
        invoices::InvoiceStatus::VOID => "Void",
        invoices::InvoiceStatus::UNCOLLECTIBLE => "Uncollectible",
        invoices::InvoiceStatus::Other(_) => "Unknown",
    }
}

fn status_variable(status: InvoiceStatusFilter) -> invoices::InvoiceStatus {
    match status {
        InvoiceStatusFilter::Open => invoices::InvoiceStatus::OPEN,
        InvoiceStatusFilter::Paid => invoices::InvoiceStatus::PAID,
        InvoiceStatusFilter::Void => invoices::InvoiceStatus::VOID,
        InvoiceStatusFilter::Uncollectible => invoices::InvoiceStatus::UNCOLLECTIBLE,
    }
}

/// GET `/invoices?status=…&from=…&to=…&after=…`, with the confirmation of a saved delivery
/// setting.
pub(super) async fn history(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
    query: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let extras = Extras {
        flash,
        refused: None,
    };
    render_history(&portal, &visitor, query, extras, StatusCode::OK).await
}

/// The history `query` names, with `extras`, answered with `status`; a filter it cannot use
/// answers 422 with its errors and no list.
pub(super) async fn render_history(
    portal: &Portal,
    visitor: &Visitor,
    query: HistoryQuery,
    extras: Extras,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (list, mut filter) = query.parse();
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    if filter.has_errors() {
        return refused_page(portal, visitor, filter, extras, refused).await;
    }
    let variables = invoices::Variables {
        after: list.after.clone(),
        status: list.status.map(status_variable),
        issued_from: list.from,
        issued_to: list.to,
    };
    let data = match portal
        .run::<Invoices>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data,
        Err(PortalError::Field { field, message }) => {
            // The API names its argument; the form shows the message by the field it came from.
            match field.as_str() {
                "issuedFrom" => filter.from_error = Some(message),
                "status" => filter.status_error = Some(message),
                "issuedTo" => filter.to_error = Some(message),
                _ => return Err(PageError::BadRequest(message)),
            }
            return refused_page(portal, visitor, filter, extras, refused).await;
        }
        Err(other) => return Err(other.into()),
    };
    let user = data.viewer.user;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let delivery = Delivery {
        customer_id: organisation.id,
        invoice_email: organisation.invoice_email,
        organisation_email: organisation.email,
        enabled: organisation.email_invoices,
    };
    let connection = organisation.invoices;
    let page = HistoryPage {
        chrome: visitor.chrome(Nav::Invoices, user.name, Some(organisation.name)),
        delivery: DeliveryCard::new(delivery, user.role, extras.flash, extras.refused),
        filter,
        older: connection
            .page_info
            .has_next_page
            .then_some(connection.page_info.end_cursor)
            .flatten()
            .map(|cursor| Route::Invoices(list.after(cursor))),
        newest: list
            .after
            .is_some()
            .then(|| Route::Invoices(list.first_page())),
        invoices: Some(
            connection
                .nodes
                .into_iter()
                .map(|i| HistoryRow {
                    link: Route::Invoice(i.id),
                    pdf_url: i.pdf_url,
                    number: i.number.unwrap_or_else(|| "Draft".into()),
                    status: status_of_list(&i.status),
                    issued: dates::day(i.issue_date),
                    period: dates::period(i.period_start, i.period_end),
                    total: i.total.formatted,
                    amount_due: i.amount_remaining.formatted,
                })
                .collect(),
        ),
    };
    Ok(render(status, &page).into_response())
}

/// The history with its form's errors and no list (`422`): the frame and the delivery card
/// are read on their own, since the refused list brought none.
async fn refused_page(
    portal: &Portal,
    visitor: &Visitor,
    filter: FilterForm,
    extras: Extras,
    status: StatusCode,
) -> Result<Response, PageError> {
    let who = portal
        .run::<InvoiceDelivery>(invoice_delivery::Variables, Some(&visitor.session))
        .await?
        .viewer;
    let organisation = who.organisation.ok_or(PageError::WrongAudience)?;
    let delivery = Delivery {
        customer_id: organisation.id,
        invoice_email: organisation.invoice_email,
        organisation_email: organisation.email,
        enabled: organisation.email_invoices,
    };
    let page = HistoryPage {
        chrome: visitor.chrome(Nav::Invoices, who.user.name, Some(organisation.name)),
        delivery: DeliveryCard::new(delivery, who.user.role, extras.flash, extras.refused),
        filter,
        invoices: None,
        older: None,
        newest: None,
    };
    Ok(render(status, &page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(status: &str, from: &str, to: &str) -> HistoryQuery {
        let some = |s: &str| Some(s.to_owned());
        HistoryQuery {
            status: some(status),
            from: some(from),
            to: some(to),
            after: some(""),
        }
    }

    #[test]
    fn an_empty_form_lists_everything() {
        let (list, form) = query("", " ", "").parse();
        assert_eq!(list, InvoiceList::default());
        assert!(!form.has_errors());
        assert!(form.clear.is_none());
    }

    #[test]
    fn a_filled_form_is_a_filtered_list() {
        let (list, form) = query("paid", "2026-05-01", "2026-05-31").parse();
        assert_eq!(list.status, Some(InvoiceStatusFilter::Paid));
        assert_eq!(list.from, NaiveDate::from_ymd_opt(2026, 5, 1));
        assert_eq!(list.to, NaiveDate::from_ymd_opt(2026, 5, 31));
        assert!(form.is_chosen(&InvoiceStatusFilter::Paid));
        assert!(form.clear.is_some());
        assert!(!form.has_errors());
    }

    #[test]
    fn values_a_hand_made_url_carries_are_errors_by_their_field() {
        let (_, form) = query("draft", "May 1st", "2026-02-30").parse();
        assert!(form.status_error.is_some());
        assert!(form.from_error.is_some());
        assert!(form.to_error.is_some(), "30 February is not a day");
        assert_eq!(form.from, "May 1st", "kept as typed");
    }
}
