//! The team page: the organisation's teams (create, rename, delete moving their members) and
//! members (add, edit on their own page, remove). A member who holds a license has no remove
//! button: the seat must be unassigned first, as the page says. Viewers see both lists without
//! any form. The forms are in [`super::team_forms`].

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::error::PageError;
use crate::flash::Flash;
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{Team, team};
use crate::route::Route;
use crate::session::Visitor;

/// The team page.
#[derive(Template)]
#[template(path = "accounts/team.html")]
struct TeamPage {
    /// The frame.
    chrome: Chrome,
    /// Whether the user may change teams and members (viewers may not: no forms are shown).
    can_change: bool,
    /// A confirmation to show.
    notice: Option<String>,
    /// The teams, oldest first.
    teams: Vec<TeamRow>,
    /// The members, oldest first.
    members: Vec<MemberRow>,
    /// Whether there are more than the hundred members listed.
    more_members: bool,
    /// The create-team form.
    team_form: TeamForm,
    /// The add-member form.
    member_form: MemberForm,
    /// The teams a member may be put in: (id, name).
    team_choices: Vec<(String, String)>,
}

/// A team as the page lists it.
struct TeamRow {
    /// Id.
    id: String,
    /// Name.
    name: String,
    /// How many members it has.
    members: usize,
    /// The other teams its members may move to when it is deleted: (id, name).
    others: Vec<(String, String)>,
    /// A refusal of this team's forms.
    error: Option<String>,
}

/// A member as the page lists it.
struct MemberRow {
    /// Id.
    id: String,
    /// Name.
    name: String,
    /// E-mail, if known.
    email: Option<String>,
    /// The team's name, if any.
    team: Option<String>,
    /// License seats held.
    licenses: u32,
    /// A refusal of this member's remove button.
    error: Option<String>,
}

impl MemberRow {
    /// The member's edit page.
    fn edit(&self) -> Route {
        Route::EditMember(self.id.clone())
    }
}

/// The create-team form's value and refusal.
#[derive(Default)]
pub(super) struct TeamForm {
    /// Name typed.
    pub name: String,
    /// What was wrong.
    pub errors: FormErrors,
}

/// A member form's values and refusal (the add form here, the edit page's too).
#[derive(Default)]
pub(super) struct MemberForm {
    /// Name typed.
    pub name: String,
    /// E-mail typed.
    pub email: String,
    /// Team chosen (id; empty: none).
    pub team: String,
    /// What was wrong.
    pub errors: FormErrors,
}

/// What the team page shows besides its data after a form.
#[derive(Default)]
pub(super) struct Shown {
    /// A confirmation.
    pub notice: Option<String>,
    /// The create-team form shown again.
    pub team_form: Option<TeamForm>,
    /// The add-member form shown again.
    pub member_form: Option<MemberForm>,
    /// A refusal next to one team or member: (its id, message).
    pub row_error: Option<(String, String)>,
}

/// `GET /team`.
pub(super) async fn show(
    State(portal): State<Portal>,
    visitor: Visitor,
    flash: Option<Flash>,
) -> Result<Response, PageError> {
    let shown = Shown {
        notice: flash.map(Flash::message),
        ..Shown::default()
    };
    render_team(&portal, &visitor, StatusCode::OK, shown).await
}

/// The team page with what a form left to show, answered with `status`.
pub(super) async fn render_team(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Team>(team::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    let teams = organisation.teams.nodes;
    let members = organisation.members.nodes;
    let error_for = |id: &str| {
        shown
            .row_error
            .as_ref()
            .filter(|(row, _)| row == id)
            .map(|(_, message)| message.clone())
    };
    // A refusal about a team or member no longer listed has nowhere to go: the error page.
    if let Some((id, message)) = &shown.row_error
        && !teams.iter().any(|t| &t.id == id)
        && !members.iter().any(|m| &m.id == id)
    {
        return Err(PageError::Rejected(message.clone()));
    }
    let team_rows = teams
        .iter()
        .map(|t| TeamRow {
            id: t.id.clone(),
            name: t.name.clone(),
            members: members
                .iter()
                .filter(|m| m.team.as_ref().is_some_and(|mt| mt.id == t.id))
                .count(),
            others: teams
                .iter()
                .filter(|o| o.id != t.id)
                .map(|o| (o.id.clone(), o.name.clone()))
                .collect(),
            error: error_for(&t.id),
        })
        .collect();
    let member_rows = members
        .iter()
        .map(|m| MemberRow {
            id: m.id.clone(),
            name: m.name.clone(),
            email: m.email.clone(),
            team: m
                .team
                .as_ref()
                .and_then(|mt| teams.iter().find(|t| t.id == mt.id).map(|t| t.name.clone())),
            licenses: u32::try_from(m.license_count).unwrap_or(0),
            error: error_for(&m.id),
        })
        .collect();
    let page = TeamPage {
        chrome: visitor.chrome(Nav::Team, data.viewer.user.name, Some(organisation.name)),
        can_change: data.viewer.user.role.can_change(),
        notice: shown.notice,
        teams: team_rows,
        members: member_rows,
        more_members: organisation.members.page_info.has_next_page,
        team_form: shown.team_form.unwrap_or_default(),
        member_form: shown.member_form.unwrap_or_default(),
        team_choices: teams.into_iter().map(|t| (t.id, t.name)).collect(),
    };
    Ok(render(status, &page))
}
