//! The audit log page: every change to the organisation's money, access, documents and
//! addresses, newest first, with who made it, when, and the state before and after; filtered by
//! a GET form (kind, from, to) whose values stay in the URL, so page links keep them. A value
//! the form cannot use is shown next to its field.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::dates::CustomerZone;
use crate::error::PageError;
use crate::html::render;
use crate::operations::{AuditLog, Role, audit_log};
use crate::route::{AuditList, Route};
use crate::session::Visitor;

/// The kinds the filter offers: (URL value, label).
const KINDS: [(&str, &str); 6] = [
    ("money", "Money"),
    ("access", "Access"),
    ("documents", "Documents"),
    ("addresses", "Addresses"),
    ("people", "Contacts and team"),
    ("other", "Other"),
];

/// The API's kind a URL value names.
fn api_kind(value: &str) -> Option<audit_log::AuditKind> {
    use audit_log::AuditKind::*;
    Some(match value {
        "money" => MONEY,
        "access" => ACCESS,
        "documents" => DOCUMENTS,
        "addresses" => ADDRESSES,
        "people" => PEOPLE,
        "other" => OTHER,
        _ => return None,
    })
}

/// An entry's kind for people.
fn kind_label(kind: &audit_log::AuditKind) -> &'static str {
    use audit_log::AuditKind::*;
    match kind {
        MONEY => "Money",
        ACCESS => "Access",
        DOCUMENTS => "Documents",
        ADDRESSES => "Addresses",
        PEOPLE => "Contacts and team",
        OTHER | Other(_) => "Other",
    }
}

/// Longest before/after text shown; the rest is cut (the API has all of it).
const MAX_CHANGE_CHARS: usize = 400;

/// The audit log page.
#[derive(Template)]
#[template(path = "accounts/audit.html")]
struct AuditPage {
    /// The frame.
    chrome: Chrome,
    /// The filter as typed, with its errors.
    filter: Filter,
    /// The entries, newest first; `None` when the filter could not be used.
    entries: Option<Vec<EntryRow>>,
    /// The next (older) page, keeping the filter.
    older: Option<Route>,
    /// The filter's first page, when this is a later one.
    newest: Option<Route>,
}

/// The filter form.
#[derive(Default)]
struct Filter {
    kind: String,
    from: String,
    to: String,
    kind_error: Option<String>,
    from_error: Option<String>,
    to_error: Option<String>,
    /// The unfiltered log, when a filter is set.
    clear: Option<Route>,
}

impl Filter {
    /// The kinds for the menu: (value, label).
    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        KINDS.to_vec()
    }

    fn has_errors(&self) -> bool {
        self.kind_error.is_some() || self.from_error.is_some() || self.to_error.is_some()
    }
}

/// One entry as the page shows it.
struct EntryRow {
    when: String,
    who: String,
    kind: &'static str,
    action: String,
    subject: String,
    before: Option<String>,
    after: Option<String>,
}

/// The page's query string.
#[derive(Deserialize, Default)]
pub(super) struct AuditQuery {
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
}

/// Who made a change, for people.
fn who(name: Option<String>, role: &audit_log::ActorRole) -> String {
    use audit_log::ActorRole::*;
    let role = match role {
        OWNER => Role::OWNER.label().to_lowercase(),
        BILLING_ADMIN => Role::BILLING_ADMIN.label().to_lowercase(),
        VIEWER => Role::VIEWER.label().to_lowercase(),
        ADMIN | STAFF | SUPPORT => "operator".to_owned(),
        SYSTEM | Other(_) => "system".to_owned(),
    };
    match name {
        Some(name) => format!("{name} ({role})"),
        None if role == "system" => "Billfold (automatic)".to_owned(),
        None => format!("A former user ({role})"),
    }
}

/// A state as short text: `key: value` pairs, cut to [`MAX_CHANGE_CHARS`].
fn change_text(json: Option<String>) -> Option<String> {
    let json = json?;
    let text = match serde_json::from_str::<Value>(&json) {
        Ok(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    Value::String(s) => s.clone(),
                    Value::Null => "none".to_owned(),
                    other => other.to_string(),
                };
                format!("{}: {value}", key.replace('_', " "))
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => json,
    };
    let mut cut: String = text.chars().take(MAX_CHANGE_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    Some(cut)
}

/// `GET /audit?kind=…&from=…&to=…&after=…`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PageError> {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let text = |value: Option<String>| value.map(|v| v.trim().to_owned()).unwrap_or_default();
    let (kind, from, to) = (text(query.kind), text(query.from), text(query.to));
    let mut filter = Filter {
        kind: kind.clone(),
        from: from.clone(),
        to: to.clone(),
        ..Filter::default()
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
    let api_kind = match kind.as_str() {
        "" => None,
        value => {
            let found = api_kind(value);
            if found.is_none() {
                filter.kind_error = Some("Choose a kind from the list.".into());
            }
            found
        }
    };
    let list = AuditList {
        kind: api_kind.as_ref().map(|_| kind.clone()),
        from: day(&from, &mut filter.from_error),
        to: day(&to, &mut filter.to_error),
        after: query.after.filter(|a| !a.is_empty()),
    };
    let filtered = list.kind.is_some() || list.from.is_some() || list.to.is_some();
    filter.clear = filtered.then(|| Route::Audit(AuditList::default()));
    let variables = audit_log::Variables {
        after: list.after.clone(),
        kind: api_kind,
        from: list.from,
        to: list.to,
    };
    let result = if filter.has_errors() {
        None
    } else {
        match portal
            .run::<AuditLog>(variables, Some(&visitor.session))
            .await
        {
            Ok(data) => Some(data),
            Err(PortalError::Field { field, message }) => {
                match field.as_str() {
                    "from" => filter.from_error = Some(message),
                    "to" => filter.to_error = Some(message),
                    "kind" => filter.kind_error = Some(message),
                    _ => return Err(PageError::BadRequest(message)),
                }
                None
            }
            Err(other) => return Err(other.into()),
        }
    };
    let Some(data) = result else {
        // The frame needs the user's name: read it without the log.
        let viewer = portal
            .run::<crate::operations::Viewer>(
                crate::operations::viewer::Variables,
                Some(&visitor.session),
            )
            .await?;
        let organisation = viewer.viewer.organisation.map(|o| o.name);
        let page = AuditPage {
            chrome: visitor.chrome(Nav::Audit, viewer.viewer.user.name, organisation),
            filter,
            entries: None,
            older: None,
            newest: None,
        };
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let zone = CustomerZone::named(&organisation.time_zone);
    let connection = organisation.audit_log;
    let entries = connection
        .nodes
        .into_iter()
        .map(|e| EntryRow {
            when: zone.time_and_day(e.created_at),
            who: who(e.actor_name, &e.actor_role),
            kind: kind_label(&e.kind),
            action: e.action,
            subject: format!("{} {}", e.subject_type.replace('_', " "), e.subject_id),
            before: change_text(e.before),
            after: change_text(e.after),
        })
        .collect();
    let page = AuditPage {
        chrome: visitor.chrome(Nav::Audit, data.viewer.user.name, Some(organisation.name)),
        filter,
        entries: Some(entries),
        older: connection
            .page_info
            .has_next_page
            .then_some(connection.page_info.end_cursor)
            .flatten()
            .map(|cursor| Route::Audit(list.after(cursor))),
        newest: list
            .after
            .is_some()
            .then(|| Route::Audit(list.first_page())),
    };
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_reads_as_pairs_and_is_cut() {
        assert_eq!(
            change_text(Some(
                r#"{"role":"viewer","verified":false,"line2":null}"#.into()
            ))
            .as_deref(),
            Some("line2: none; role: viewer; verified: false")
        );
        assert_eq!(change_text(None), None);
        let long = format!(r#"{{"name":"{}"}}"#, "a".repeat(1000));
        let cut = change_text(Some(long)).expect("text");
        assert_eq!(cut.chars().count(), MAX_CHANGE_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn who_acted_reads_as_a_person() {
        use audit_log::ActorRole;
        assert_eq!(who(Some("Ada".into()), &ActorRole::OWNER), "Ada (owner)");
        assert_eq!(who(None, &ActorRole::SYSTEM), "Billfold (automatic)");
        assert_eq!(who(Some("Op".into()), &ActorRole::STAFF), "Op (operator)");
        assert_eq!(who(None, &ActorRole::VIEWER), "A former user (viewer)");
    }
}
