//! The team page's forms: creating, renaming and deleting a team, adding a member, a member's
//! edit page and the remove button. Each redirects to the team page with its confirmation, or
//! shows the page again (422) with the refusal next to the field or the row.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::organisation_id;
use super::team::{MemberForm, Shown, TeamForm, render_team};
use crate::Portal;
use crate::chrome::{Chrome, Nav};
use crate::client::PortalError;
use crate::error::PageError;
use crate::flash::{Flash, Saved};
use crate::form::FormErrors;
use crate::html::render;
use crate::operations::{
    CreateMember, CreateTeam, DeleteTeam, RemoveMember, RenameTeam, Team, UpdateMember,
    create_member, create_team, delete_team, remove_member, rename_team, team, update_member,
};
use crate::route::Route;
use crate::session::Visitor;

/// The fields of the member forms, as the API names them.
const MEMBER_FIELDS: [&str; 3] = ["name", "email", "teamId"];

/// A member's edit page.
#[derive(Template)]
#[template(path = "accounts/member_edit.html")]
struct MemberEditPage {
    /// The frame.
    chrome: Chrome,
    /// The member.
    id: String,
    /// The form.
    form: MemberForm,
    /// The teams a member may be put in: (id, name).
    team_choices: Vec<(String, String)>,
}

/// The team forms' fields (each form sends the ones it has).
#[derive(Deserialize)]
pub(super) struct TeamFields {
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    /// Where a deleted team's members go.
    move_to: Option<String>,
}

/// The member forms' fields.
#[derive(Deserialize)]
pub(super) struct MemberFields {
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    /// Team id; empty: none.
    #[serde(default)]
    team: String,
}

impl MemberFields {
    /// The form as typed, to show again.
    fn form(&self, errors: FormErrors) -> MemberForm {
        MemberForm {
            name: self.name.clone(),
            email: self.email.clone(),
            team: self.team.clone(),
            errors,
        }
    }

    /// The team chosen; none when empty.
    fn team(&self) -> Option<String> {
        Some(self.team.clone()).filter(|t| !t.is_empty())
    }
}

/// Back to the team page: with the confirmation, or `shown` the refusal (422).
async fn back(
    portal: &Portal,
    visitor: &Visitor,
    result: Result<Saved, Shown>,
) -> Result<Response, PageError> {
    match result {
        Ok(saved) => Ok(Flash::Saved(saved).redirect(&Route::Team).into_response()),
        Err(shown) => render_team(portal, visitor, StatusCode::UNPROCESSABLE_ENTITY, shown).await,
    }
}

/// A refusal next to the team or member `id`.
fn row_error(id: String, error: PortalError) -> Result<Shown, PageError> {
    Ok(Shown {
        row_error: Some((id, error.form_message()?)),
        ..Shown::default()
    })
}

/// `POST /team/teams/add`.
pub(super) async fn create_team(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<TeamFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = create_team::Variables {
        input: create_team::CreateTeamInput {
            customer_id: organisation_id(&portal, &visitor).await?,
            name: fields.name.clone(),
        },
    };
    let result = match portal
        .run::<CreateTeam>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Saved::TeamCreated),
        Err(error) => Err(Shown {
            team_form: Some(TeamForm {
                name: fields.name,
                errors: FormErrors::from_refusal(error, &["name"])?,
            }),
            ..Shown::default()
        }),
    };
    back(&portal, &visitor, result).await
}

/// `POST /team/teams/rename`.
pub(super) async fn rename_team(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<TeamFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = rename_team::Variables {
        input: rename_team::RenameTeamInput {
            team_id: fields.id.clone(),
            name: fields.name,
        },
    };
    let result = match portal
        .run::<RenameTeam>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Saved::TeamRenamed),
        Err(error) => Err(row_error(fields.id, error)?),
    };
    back(&portal, &visitor, result).await
}

/// `POST /team/teams/delete`.
pub(super) async fn delete_team(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<TeamFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = delete_team::Variables {
        input: delete_team::DeleteTeamInput {
            team_id: fields.id.clone(),
            move_members_to_team_id: fields.move_to.filter(|t| !t.is_empty()),
        },
    };
    let result = match portal
        .run::<DeleteTeam>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Saved::TeamDeleted),
        Err(error) => Err(row_error(fields.id, error)?),
    };
    back(&portal, &visitor, result).await
}

/// `POST /team/members/add`.
pub(super) async fn add_member(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<MemberFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = create_member::Variables {
        input: create_member::CreateMemberInput {
            customer_id: organisation_id(&portal, &visitor).await?,
            name: fields.name.clone(),
            email: Some(fields.email.clone()).filter(|e| !e.trim().is_empty()),
            team_id: fields.team(),
        },
    };
    let result = match portal
        .run::<CreateMember>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Saved::MemberAdded),
        Err(error) => Err(Shown {
            member_form: Some(fields.form(FormErrors::from_refusal(error, &MEMBER_FIELDS)?)),
            ..Shown::default()
        }),
    };
    back(&portal, &visitor, result).await
}

/// Which member an edit page is for.
#[derive(Deserialize)]
pub(super) struct MemberQuery {
    #[serde(default)]
    id: String,
}

/// `GET /team/members/edit?id=mem_…`.
pub(super) async fn edit_member(
    State(portal): State<Portal>,
    visitor: Visitor,
    Query(query): Query<MemberQuery>,
) -> Result<Response, PageError> {
    render_edit(&portal, &visitor, StatusCode::OK, &query.id, None).await
}

/// A member's edit page: its stored details, or `typed` with their refusal.
async fn render_edit(
    portal: &Portal,
    visitor: &Visitor,
    status: StatusCode,
    id: &str,
    typed: Option<MemberForm>,
) -> Result<Response, PageError> {
    let data = portal
        .run::<Team>(team::Variables, Some(&visitor.session))
        .await?;
    let organisation = data.viewer.organisation.ok_or(PageError::WrongAudience)?;
    if !data.viewer.user.role.can_change() {
        return Err(PageError::Forbidden(
            "Your role lets you see the members, not change them.".into(),
        ));
    }
    let member = organisation
        .members
        .nodes
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(PageError::NotFound)?;
    let form = typed.unwrap_or_else(|| MemberForm {
        name: member.name,
        email: member.email.unwrap_or_default(),
        team: member.team.map(|t| t.id).unwrap_or_default(),
        errors: FormErrors::none(),
    });
    let page = MemberEditPage {
        chrome: visitor.chrome(Nav::Team, data.viewer.user.name, Some(organisation.name)),
        id: member.id,
        form,
        team_choices: organisation
            .teams
            .nodes
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect(),
    };
    Ok(render(status, &page))
}

/// `POST /team/members/edit`.
pub(super) async fn save_member(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<MemberFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    // The form always sends every field: an empty e-mail or team clears it.
    let variables = update_member::Variables {
        input: update_member::UpdateMemberInput {
            member_id: fields.id.clone(),
            name: Some(fields.name.clone()),
            email: Some(fields.email.clone()).filter(|e| !e.trim().is_empty()),
            team_id: fields.team(),
        },
    };
    match portal
        .run::<UpdateMember>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Flash::Saved(Saved::MemberUpdated)
            .redirect(&Route::Team)
            .into_response()),
        Err(error) => {
            let typed = fields.form(FormErrors::from_refusal(error, &MEMBER_FIELDS)?);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_edit(&portal, &visitor, status, &fields.id, Some(typed)).await
        }
    }
}

/// The remove button's form.
#[derive(Deserialize)]
pub(super) struct RemoveFields {
    csrf: String,
    #[serde(default)]
    id: String,
}

/// `POST /team/members/remove`.
pub(super) async fn remove_member(
    State(portal): State<Portal>,
    visitor: Visitor,
    Form(fields): Form<RemoveFields>,
) -> Result<Response, PageError> {
    visitor.verify_form(&fields.csrf)?;
    let variables = remove_member::Variables {
        input: remove_member::RemoveMemberInput {
            member_id: fields.id.clone(),
        },
    };
    let result = match portal
        .run::<RemoveMember>(variables, Some(&visitor.session))
        .await
    {
        Ok(_) => Ok(Saved::MemberRemoved),
        Err(error) => Err(row_error(fields.id, error)?),
    };
    back(&portal, &visitor, result).await
}
