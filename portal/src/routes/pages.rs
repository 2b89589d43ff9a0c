//! Read-only pages: the overview and the upcoming charges breakdown.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{Visitor, error_response, to_login};
use crate::Portal;
use crate::operations::{Overview, UpcomingCharges, overview, upcoming_charges};
use crate::views::{
    ChargesPage, InvoiceView, LicenseSummary, OverviewPage, UpcomingSummary, render,
};

pub(super) async fn overview(State(portal): State<Portal>, headers: HeaderMap) -> Response {
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
    };
    let data = match portal
        .run::<Overview>(overview::Variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data,
        Err(error) => return error_response(&portal, error),
    };
    let Some(organisation) = data.viewer.organisation else {
        return staff_have_no_portal(visitor);
    };
    let page = OverviewPage {
        csrf: visitor.csrf.clone(),
        active: "overview",
        organisation: organisation.name,
        licenses: organisation
            .licenses
            .into_iter()
            .map(|l| LicenseSummary {
                product: l.product_name,
                quantity: l.quantity,
                assigned: l.assigned,
                unassigned: l.unassigned,
                unit_price: l.unit_price.formatted,
            })
            .collect(),
        upcoming: organisation
            .upcoming_charges
            .into_iter()
            .map(|u| UpcomingSummary {
                date: u.invoice_date,
                total: u.total.formatted,
            })
            .collect(),
    };
    visitor.respond(render(StatusCode::OK, &page))
}

pub(super) async fn charges(State(portal): State<Portal>, headers: HeaderMap) -> Response {
    let Some(visitor) = Visitor::from_headers(&portal, &headers) else {
        return to_login();
    };
    let data = match portal
        .run::<UpcomingCharges>(upcoming_charges::Variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data,
        Err(error) => return error_response(&portal, error),
    };
    let Some(organisation) = data.viewer.organisation else {
        return staff_have_no_portal(visitor);
    };
    let page = ChargesPage {
        csrf: visitor.csrf.clone(),
        active: "charges",
        invoices: organisation
            .upcoming_charges
            .into_iter()
            .map(|u| InvoiceView {
                date: u.invoice_date,
                period: format!("{} to {}", u.period_start, u.period_end),
                lines: u
                    .lines
                    .into_iter()
                    .map(|l| (l.description, l.amount.formatted, l.tax.formatted))
                    .collect(),
                subtotal: u.subtotal.formatted,
                tax: u.tax.formatted,
                total: u.total.formatted,
                amount_due: u.amount_due.formatted,
            })
            .collect(),
    };
    visitor.respond(render(StatusCode::OK, &page))
}

/// Operator staff have no organisation: the portal is for customers.
pub(super) fn staff_have_no_portal(visitor: Visitor) -> Response {
    visitor.respond(render(
        StatusCode::OK,
        &crate::views::ErrorPage {
            title: "The portal is for customers".into(),
            message: "You are signed in as operator staff: use the GraphQL API at /graphql.".into(),
        },
    ))
}
