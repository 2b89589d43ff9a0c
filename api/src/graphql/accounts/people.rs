//! Teams and members: created, renamed, edited and removed by an organisation's owners and
//! billing admins, and by operator staff. Viewers get `FORBIDDEN`.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use super::types::{Member, Team};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::accounts::members::{MemberChange, NewMember};

/// Input of `createTeam`.
#[derive(InputObject)]
pub struct CreateTeamInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// Team name, unique within the organisation, at most 100 characters.
    pub name: String,
}

/// Result of `createTeam`.
#[derive(SimpleObject)]
pub struct CreateTeamPayload {
    /// The team.
    pub team: Team,
}

/// Input of `renameTeam`.
#[derive(InputObject)]
pub struct RenameTeamInput {
    /// The team (`team_…`).
    pub team_id: ID,
    /// The new name, unique within the organisation, at most 100 characters.
    pub name: String,
}

/// Result of `renameTeam`.
#[derive(SimpleObject)]
pub struct RenameTeamPayload {
    /// The team with its new name.
    pub team: Team,
}

/// Input of `deleteTeam`.
#[derive(InputObject)]
pub struct DeleteTeamInput {
    /// The team (`team_…`).
    pub team_id: ID,
    /// Another team of the organisation that the deleted team's members move to. Required
    /// when the team has members: without it, deleting it is refused (`CONFLICT`,
    /// `TEAM_HAS_MEMBERS`).
    pub move_members_to_team_id: Option<ID>,
}

/// Result of `deleteTeam`.
#[derive(SimpleObject)]
pub struct DeleteTeamPayload {
    /// The id of the deleted team.
    pub deleted_team_id: ID,
    /// How many members moved to the other team.
    pub members_moved: u64,
}

/// Input of `createMember`.
#[derive(InputObject)]
pub struct CreateMemberInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// A team of the same organisation (`team_…`).
    pub team_id: Option<ID>,
}

/// Result of `createMember`.
#[derive(SimpleObject)]
pub struct CreateMemberPayload {
    /// The member.
    pub member: Member,
}

/// Input of `updateMember`: a field left out stays as it is; `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateMemberInput {
    /// The member (`mem_…`).
    pub member_id: ID,
    /// Full name.
    pub name: Option<String>,
    /// E-mail address; null or blank clears it.
    pub email: MaybeUndefined<String>,
    /// A team of the same organisation (`team_…`); null: no team.
    pub team_id: MaybeUndefined<ID>,
}

/// Result of `updateMember`.
#[derive(SimpleObject)]
pub struct UpdateMemberPayload {
    /// The member as changed.
    pub member: Member,
}

/// Input of `removeMember`.
#[derive(InputObject)]
pub struct RemoveMemberInput {
    /// The member (`mem_…`).
    pub member_id: ID,
}

/// Result of `removeMember`.
#[derive(SimpleObject)]
pub struct RemoveMemberPayload {
    /// The id of the removed member.
    pub removed_member_id: ID,
}

/// Mutations on teams and members.
#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Creates a team in an organisation (its owners and billing admins, or operator staff).
    async fn create_team(
        &self,
        ctx: &Context<'_>,
        input: CreateTeamInput,
    ) -> Result<CreateTeamPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let services = ctx.services();
        let team = services
            .teams
            .create(
                ctx.actor(),
                ctx.request_id(),
                customer,
                &input.name,
                services.clock.now(),
            )
            .await?;
        Ok(CreateTeamPayload { team: Team(team) })
    }

    /// Renames a team.
    async fn rename_team(
        &self,
        ctx: &Context<'_>,
        input: RenameTeamInput,
    ) -> Result<RenameTeamPayload> {
        let id = parse_id(&input.team_id, "input.teamId")?;
        let team = ctx
            .services()
            .teams
            .rename(ctx.actor(), ctx.request_id(), id, &input.name)
            .await?;
        Ok(RenameTeamPayload { team: Team(team) })
    }

    /// Deletes a team, moving its members to another team of the organisation; a team with
    /// members and nowhere to move them is refused (`CONFLICT`).
    async fn delete_team(
        &self,
        ctx: &Context<'_>,
        input: DeleteTeamInput,
    ) -> Result<DeleteTeamPayload> {
        let id = parse_id(&input.team_id, "input.teamId")?;
        let move_to = input
            .move_members_to_team_id
            .as_ref()
            .map(|t| parse_id(t, "input.moveMembersToTeamId"))
            .transpose()?;
        let (team, moved) = ctx
            .services()
            .teams
            .delete(ctx.actor(), ctx.request_id(), id, move_to)
            .await?;
        Ok(DeleteTeamPayload {
            deleted_team_id: team.id.into(),
            members_moved: moved,
        })
    }

    /// Adds a member to an organisation (its owners and billing admins, or operator staff).
    async fn create_member(
        &self,
        ctx: &Context<'_>,
        input: CreateMemberInput,
    ) -> Result<CreateMemberPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let team = input
            .team_id
            .as_ref()
            .map(|id| parse_id(id, "input.teamId"))
            .transpose()?;
        let services = ctx.services();
        let (member, team) = services
            .members
            .create(
                ctx.actor(),
                ctx.request_id(),
                customer,
                NewMember {
                    name: input.name,
                    email: input.email,
                    team,
                },
                services.clock.now(),
            )
            .await?;
        Ok(CreateMemberPayload {
            member: Member::with_seats(member, team, 0),
        })
    }

    /// Changes a member's name, e-mail or team.
    async fn update_member(
        &self,
        ctx: &Context<'_>,
        input: UpdateMemberInput,
    ) -> Result<UpdateMemberPayload> {
        let id = parse_id(&input.member_id, "input.memberId")?;
        let team = match input.team_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(team) => Some(Some(parse_id(&team, "input.teamId")?)),
        };
        let email = match input.email {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(email) => Some(Some(email)),
        };
        let (member, team) = ctx
            .services()
            .members
            .update(
                ctx.actor(),
                ctx.request_id(),
                id,
                MemberChange {
                    name: input.name,
                    email,
                    team,
                },
            )
            .await?;
        Ok(UpdateMemberPayload {
            member: Member::new(member, team),
        })
    }

    /// Removes a member. One who holds a license seat is refused (`CONFLICT`,
    /// `MEMBER_HOLDS_LICENSE`) until the seat is unassigned.
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        input: RemoveMemberInput,
    ) -> Result<RemoveMemberPayload> {
        let id = parse_id(&input.member_id, "input.memberId")?;
        let member = ctx
            .services()
            .members
            .remove(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(RemoveMemberPayload {
            removed_member_id: member.id.into(),
        })
    }
}
