//! The usage slice: detailed consumption. A GET filter form (dates, type, team, member,
//! product, number) whose values stay in the URL, the selection's totals (its calls' included),
//! a per-day chart per product and for the calls' billed minutes drawn on the server
//! ([`chart`]), a page of its records and a page of its calls ([`calls`]) each with its next
//! page's link, and the selection's CSV, HTML and PDF exports (served by the API). Works
//! without JavaScript.

mod calls;
mod chart;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::dates;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{Consumption, Viewer, consumption, viewer};
use crate::route::{ConsumptionList, Route, path};
use crate::session::Visitor;

use calls::CallRow;
use chart::Chart;

/// The usage slice's routes.
pub(super) fn routes() -> Router<Portal> {
    Router::new().route(path::CONSUMPTION, get(page))
}

/// The consumption page.
#[derive(Template)]
#[template(path = "usage/consumption.html")]
struct ConsumptionPage {
    /// The frame.
    chrome: Chrome,
    /// The filter form, as submitted, with its errors.
    filter: FilterForm,
    /// The selection; `None` when the filter could not be used (its errors say why).
    selection: Option<SelectionView>,
}

/// What the form offers and what was chosen.
#[derive(Default)]
struct FilterForm {
    /// First day as typed (or the default filled in).
    from: String,
    /// Last day as typed (or the default filled in).
    to: String,
    /// The number as typed.
    number: String,
    /// (id, name, chosen) of each team.
    teams: Vec<(String, String, bool)>,
    /// (id, name, chosen) of each member.
    members: Vec<(String, String, bool)>,
    /// (id, product, chosen) of each metered item.
    items: Vec<(String, String, bool)>,
    /// (value, label, chosen) of each type.
    types: Vec<(&'static str, &'static str, bool)>,
    /// Why the first day cannot be used.
    from_error: Option<String>,
    /// Why the last day cannot be used.
    to_error: Option<String>,
    /// Why the number cannot be used.
    number_error: Option<String>,
    /// Why the type cannot be used.
    type_error: Option<String>,
    /// The unfiltered page, when a filter is set.
    clear: Option<Route>,
}

impl FilterForm {
    fn has_errors(&self) -> bool {
        self.from_error.is_some()
            || self.to_error.is_some()
            || self.number_error.is_some()
            || self.type_error.is_some()
    }
}

/// A selection, ready for the template.
struct SelectionView {
    /// "1–30 Nov 2026".
    period: String,
    /// The time zone the days are in.
    time_zone: String,
    /// Records in the selection.
    record_count: u64,
    /// Calls in the selection; `None` when it holds no calls by its filters.
    call_count: Option<u64>,
    /// (product, records, quantity, amount or "—").
    totals: Vec<(String, u64, String, String)>,
    /// One chart per product with usage.
    charts: Vec<Chart>,
    /// This page of records.
    records: Vec<RecordRow>,
    /// The next page, when more records follow.
    next: Option<Route>,
    /// The first page, when this is a later one.
    first: Option<Route>,
    /// This page of calls.
    calls: Vec<CallRow>,
    /// The next page of calls, when more follow.
    next_calls: Option<Route>,
    /// The first page of calls, when this is a later one.
    first_calls: Option<Route>,
    /// The same filter over the range just before this one.
    earlier: Route,
    /// The same filter over the range just after this one.
    later: Route,
    /// Export links of exactly this selection.
    csv: String,
    html: String,
    pdf: String,
}

/// One record of the table.
struct RecordRow {
    started: String,
    product: String,
    member: String,
    team: String,
    number: String,
    quantity: String,
    invoiced: &'static str,
}

/// The query string, as the form (or a link) sends it.
#[derive(Deserialize, Default)]
struct ConsumptionQuery {
    from: Option<String>,
    to: Option<String>,
    team: Option<String>,
    member: Option<String>,
    item: Option<String>,
    number: Option<String>,
    r#type: Option<String>,
    after: Option<String>,
    calls_after: Option<String>,
}

impl ConsumptionQuery {
    /// The selection it names, or the form with the errors of the values it cannot use.
    fn parse(self) -> (ConsumptionList, FilterForm) {
        let text = |value: Option<String>| value.map(|v| v.trim().to_owned()).unwrap_or_default();
        let some = |value: String| Some(value).filter(|v| !v.is_empty());
        let (from, to, number) = (text(self.from), text(self.to), text(self.number));
        let mut form = FilterForm {
            from: from.clone(),
            to: to.clone(),
            number: number.clone(),
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
        let kind = some(text(self.r#type));
        if kind
            .as_deref()
            .is_some_and(|k| !TYPES.iter().any(|(v, _)| *v == k))
        {
            form.type_error = Some("Choose usage, calls, or both.".into());
        }
        form.types = TYPES
            .iter()
            .map(|(value, label)| (*value, *label, kind.as_deref() == Some(*value)))
            .collect();
        let list = ConsumptionList {
            from: day(&from, &mut form.from_error),
            to: day(&to, &mut form.to_error),
            team: some(text(self.team)),
            member: some(text(self.member)),
            item: some(text(self.item)),
            number: some(number),
            kind,
            after: some(text(self.after)),
            calls_after: some(text(self.calls_after)),
        };
        form.clear = list
            .is_filtered()
            .then(|| Route::Consumption(ConsumptionList::default()));
        (list, form)
    }
}

/// The type filter's choices: (value, label); none chosen is both.
const TYPES: [(&str, &str); 2] = [("usage", "Usage only"), ("calls", "Calls only")];

/// GET `/consumption?from=…&to=…&type=…&team=…&member=…&item=…&number=…&after=…&calls_after=…`.
async fn page(
    State(portal): State<Portal>,
    visitor: Visitor,
    query: Result<Query<ConsumptionQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let (list, mut form) = query.parse();
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    if form.has_errors() {
        return refused_page(&portal, &visitor, form, refused).await;
    }
    let variables = consumption::Variables {
        filter: Some(consumption::ConsumptionFilter {
            from: list.from,
            to: list.to,
            team_id: list.team.clone(),
            member_id: list.member.clone(),
            item_id: list.item.clone(),
            number: list.number.clone(),
            type_: list.kind.as_deref().map(calls::consumption_type),
        }),
        after: list.after.clone(),
        calls_after: list.calls_after.clone(),
    };
    let data = match portal
        .run::<Consumption>(variables, Some(&visitor.session))
        .await
    {
        Ok(data) => data,
        Err(PortalError::Field { field, message }) => {
            match field.as_str() {
                "from" => form.from_error = Some(message),
                "to" => form.to_error = Some(message),
                "number" => form.number_error = Some(message),
                "type" => form.type_error = Some(message),
                _ => return Err(PageError::BadRequest(message)),
            }
            return refused_page(&portal, &visitor, form, refused).await;
        }
        Err(other) => return Err(other.into()),
    };
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let c = organisation.consumption;
    let chosen = |id: &str, choice: &Option<String>| choice.as_deref() == Some(id);
    form.from = c.from.to_string();
    form.to = c.to.to_string();
    form.teams = organisation
        .teams
        .nodes
        .into_iter()
        .map(|t| {
            let on = chosen(&t.id, &list.team);
            (t.id, t.name, on)
        })
        .collect();
    form.members = organisation
        .members
        .nodes
        .into_iter()
        .map(|m| {
            let on = chosen(&m.id, &list.member);
            (m.id, m.name, on)
        })
        .collect();
    form.items = c
        .items
        .into_iter()
        .map(|i| {
            let on = chosen(&i.id, &list.item);
            (i.id, i.product, on)
        })
        .collect();
    let selection = SelectionView {
        period: dates::period(c.from, c.to + chrono::Duration::days(1)),
        time_zone: c.time_zone,
        record_count: u64::try_from(c.record_count).unwrap_or(0),
        call_count: c
            .call_totals
            .as_ref()
            .map(|t| u64::try_from(t.calls).unwrap_or(0)),
        totals: c
            .totals
            .into_iter()
            .map(|t| {
                (
                    t.product,
                    u64::try_from(t.records).unwrap_or(0),
                    t.quantity,
                    t.amount.map_or_else(|| "—".to_owned(), |a| a.formatted),
                )
            })
            .chain(c.call_totals.as_ref().and_then(calls::total_row))
            .collect(),
        charts: c
            .series
            .into_iter()
            .map(|s| {
                let days: Vec<(NaiveDate, String)> =
                    s.days.into_iter().map(|d| (d.date, d.quantity)).collect();
                (s.product, days)
            })
            .chain(c.call_totals.as_ref().and_then(calls::chart_days))
            .enumerate()
            .map(|(index, (product, days))| chart::chart(index, &product, &days))
            .collect(),
        next_calls: c
            .calls
            .page_info
            .has_next_page
            .then_some(c.calls.page_info.end_cursor.clone())
            .flatten()
            .map(|cursor| Route::Consumption(list.calls_after(cursor))),
        first_calls: list.calls_after.is_some().then(|| {
            Route::Consumption(ConsumptionList {
                calls_after: None,
                ..list.clone()
            })
        }),
        calls: c.calls.nodes.into_iter().map(CallRow::from).collect(),
        next: c
            .records
            .page_info
            .has_next_page
            .then_some(c.records.page_info.end_cursor)
            .flatten()
            .map(|cursor| Route::Consumption(list.after(cursor))),
        first: list.after.is_some().then(|| {
            Route::Consumption(ConsumptionList {
                after: None,
                ..list.clone()
            })
        }),
        records: c
            .records
            .nodes
            .into_iter()
            .map(|r| RecordRow {
                started: r.local_start,
                product: r.product,
                member: r.member.unwrap_or_default(),
                team: r.team.unwrap_or_default(),
                number: r.number.unwrap_or_default(),
                quantity: r.quantity,
                invoiced: if r.invoiced { "Invoiced" } else { "Not yet" },
            })
            .collect(),
        earlier: Route::Consumption(shifted(&list, c.from, c.to, false)),
        later: Route::Consumption(shifted(&list, c.from, c.to, true)),
        csv: c.exports.csv,
        html: c.exports.html,
        pdf: c.exports.pdf,
    };
    let page = ConsumptionPage {
        chrome: visitor.chrome(
            Nav::Consumption,
            data.viewer.user.name,
            Some(organisation.name),
        ),
        filter: form,
        selection: Some(selection),
    };
    Ok(render(StatusCode::OK, &page).into_response())
}

/// `list` over the range of the same length just before (or after) `[from, to]`: whole
/// months when the range is whole months (a monthly period), else as many days.
fn shifted(list: &ConsumptionList, from: NaiveDate, to: NaiveDate, later: bool) -> ConsumptionList {
    use chrono::{Datelike, Months};
    let next_day = to + chrono::Duration::days(1);
    let months =
        (next_day.year() - from.year()) * 12 + next_day.month() as i32 - from.month() as i32;
    let (start, end) = if from.day() == 1 && next_day.day() == 1 && months > 0 {
        let span = Months::new(months.unsigned_abs());
        let start = if later {
            from.checked_add_months(span)
        } else {
            from.checked_sub_months(span)
        };
        let start = start.unwrap_or(from);
        let end = start.checked_add_months(span).unwrap_or(next_day) - chrono::Duration::days(1);
        (start, end)
    } else {
        let days = (to - from).num_days() + 1;
        let step = chrono::Duration::days(if later { days } else { -days });
        (from + step, to + step)
    };
    ConsumptionList {
        from: Some(start),
        to: Some(end),
        after: None,
        calls_after: None,
        ..list.clone()
    }
}

/// The page with its form's errors and no selection (`422`).
async fn refused_page(
    portal: &Portal,
    visitor: &Visitor,
    filter: FilterForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    let who = portal
        .run::<Viewer>(viewer::Variables, Some(&visitor.session))
        .await?
        .viewer;
    let page = ConsumptionPage {
        chrome: visitor.chrome(
            Nav::Consumption,
            who.user.name,
            who.organisation.map(|o| o.name),
        ),
        filter,
        selection: None,
    };
    Ok(render(status, &page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_form_is_a_selection_and_bad_dates_are_field_errors() {
        let some = |s: &str| Some(s.to_owned());
        let (list, form) = ConsumptionQuery {
            from: some("2026-11-01"),
            to: some("30 Nov"),
            team: some("team_x"),
            member: some(""),
            item: None,
            number: some(" +33123 "),
            r#type: some("calls"),
            after: None,
            calls_after: None,
        }
        .parse();
        assert_eq!(list.from, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(list.team.as_deref(), Some("team_x"));
        assert_eq!(list.member, None);
        assert_eq!(list.number.as_deref(), Some("+33123"));
        assert_eq!(list.kind.as_deref(), Some("calls"));
        assert!(form.types.iter().any(|(v, _, on)| *v == "calls" && *on));
        assert!(form.to_error.is_some() && form.from_error.is_none());
        assert!(form.clear.is_some());
    }

    #[test]
    fn a_month_shifts_by_a_month_and_other_ranges_by_their_days() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        let list = ConsumptionList::default();
        let before = shifted(&list, d("2026-03-01"), d("2026-03-31"), false);
        assert_eq!(
            (before.from, before.to),
            (Some(d("2026-02-01")), Some(d("2026-02-28")))
        );
        let after = shifted(&list, d("2026-01-01"), d("2026-01-31"), true);
        assert_eq!(
            (after.from, after.to),
            (Some(d("2026-02-01")), Some(d("2026-02-28")))
        );
        let week = shifted(&list, d("2026-03-10"), d("2026-03-16"), false);
        assert_eq!(
            (week.from, week.to),
            (Some(d("2026-03-03")), Some(d("2026-03-09")))
        );
    }
}
