//! Invitations and the organisation's users: owners (and operator staff) invite people by
//! e-mail, withdraw invitations, change users' roles and remove users; the invitee reads the
//! invitation from its link and accepts it, signed out. Billing admins and viewers get
//! `FORBIDDEN`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::invitation;

use super::types::{LoginPayload, User};
use crate::auth::Role;
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::services::accounts::invitations::{InvitationState, state};

/// An invitation to become a portal user of an organisation.
pub struct Invitation(pub invitation::Model);

#[Object]
impl Invitation {
    /// Opaque id (`ivt_…`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Where it was sent: the new user's sign-in address.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// The role the invitee gets.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// When it was sent.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// After this instant its link is refused (7 days after it was sent).
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
    /// Whether it was accepted.
    async fn accepted(&self, ctx: &Context<'_>) -> bool {
        state(&self.0, ctx.services().clock.now()) == InvitationState::Accepted
    }
    /// Whether it was withdrawn.
    async fn revoked(&self) -> bool {
        self.0.revoked_at.is_some()
    }
}

/// What the accept page shows of the invitation a link opens.
#[derive(SimpleObject)]
pub struct InvitationPreview {
    /// The organisation's name.
    pub organisation_name: String,
    /// The address the invitation was sent to, which the new user signs in with.
    pub email: String,
    /// The role the invitee gets.
    pub role: Role,
    /// Until when it may be accepted.
    pub expires_at: DateTime<Utc>,
}

/// Input of `inviteUser`.
#[derive(InputObject)]
pub struct InviteUserInput {
    /// The organisation (`cus_…`).
    pub customer_id: ID,
    /// Where to send the invitation; it becomes the new user's sign-in address.
    pub email: String,
    /// `OWNER`, `BILLING_ADMIN` or `VIEWER`.
    pub role: Role,
}

/// Result of `inviteUser` and `revokeInvitation`.
#[derive(SimpleObject)]
pub struct InvitationPayload {
    /// The invitation.
    pub invitation: Invitation,
}

/// Input of `revokeInvitation`.
#[derive(InputObject)]
pub struct RevokeInvitationInput {
    /// The invitation (`ivt_…`).
    pub invitation_id: ID,
}

/// Input of `acceptInvitation`.
#[derive(InputObject)]
pub struct AcceptInvitationInput {
    /// The token of the invitation's link.
    pub token: String,
    /// The new user's name, 1 to 200 characters.
    pub name: String,
    /// The new user's password, 12 to 1024 characters.
    pub password: String,
}

/// Input of `changeUserRole`.
#[derive(InputObject)]
pub struct ChangeUserRoleInput {
    /// The user (`usr_…`).
    pub user_id: ID,
    /// `OWNER`, `BILLING_ADMIN` or `VIEWER`.
    pub role: Role,
}

/// Result of `changeUserRole`.
#[derive(SimpleObject)]
pub struct ChangeUserRolePayload {
    /// The user with the new role.
    pub user: User,
}

/// Input of `removeUser`.
#[derive(InputObject)]
pub struct RemoveUserInput {
    /// The user (`usr_…`).
    pub user_id: ID,
}

/// Result of `removeUser`.
#[derive(SimpleObject)]
pub struct RemoveUserPayload {
    /// The id of the removed user.
    pub removed_user_id: ID,
}

/// The invitation a link opens, for the accept page.
#[derive(Default)]
pub struct InvitationsQuery;

#[Object]
impl InvitationsQuery {
    /// The invitation the token of an invitation link opens (no sign-in needed: the token is
    /// the credential). `NOT_FOUND` for an unknown token; `CONFLICT` with
    /// `INVITATION_EXPIRED`, `INVITATION_USED` or `INVITATION_REVOKED` for one that can no
    /// longer be accepted.
    async fn invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token of the invitation's link.")] token: String,
    ) -> Result<InvitationPreview> {
        let services = ctx.services();
        let (row, organisation) = services
            .invitations
            .preview(&token, services.clock.now())
            .await?;
        Ok(InvitationPreview {
            organisation_name: organisation.name,
            email: row.email,
            role: row.role.into(),
            expires_at: row.expires_at,
        })
    }
}

/// Invitations and the organisation's users.
#[derive(Default)]
pub struct InvitationsMutation;

#[Object]
impl InvitationsMutation {
    /// Invites someone to become a user of an organisation (its owners, or operator staff):
    /// an e-mail with a link valid for 7 days, once. An open invitation to the same address
    /// is withdrawn. An address that already signs in is refused on `input.email`.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
    ) -> Result<InvitationPayload> {
        let customer = parse_id(&input.customer_id, "input.customerId")?;
        let services = ctx.services();
        let row = services
            .invitations
            .invite(
                ctx.actor(),
                ctx.request_id(),
                customer,
                &input.email,
                input.role,
                services.clock.now(),
            )
            .await?;
        Ok(InvitationPayload {
            invitation: Invitation(row),
        })
    }

    /// Withdraws an invitation that was not accepted: its link stops working.
    async fn revoke_invitation(
        &self,
        ctx: &Context<'_>,
        input: RevokeInvitationInput,
    ) -> Result<InvitationPayload> {
        let id = parse_id(&input.invitation_id, "input.invitationId")?;
        let services = ctx.services();
        let row = services
            .invitations
            .revoke(ctx.actor(), ctx.request_id(), id, services.clock.now())
            .await?;
        Ok(InvitationPayload {
            invitation: Invitation(row),
        })
    }

    /// Accepts an invitation (no sign-in needed: the token is the credential): creates the
    /// user with the invitation's e-mail and role in its organisation, and signs them in.
    /// Refused like `invitation(token)`.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> Result<LoginPayload> {
        let services = ctx.services();
        let outcome = services
            .invitations
            .accept(
                ctx.request_id(),
                &input.token,
                &input.name,
                &input.password,
                services.clock.now(),
            )
            .await?;
        Ok(LoginPayload {
            token: outcome.token.token,
            expires_at: outcome.token.expires_at,
            user: User(outcome.user),
        })
    }

    /// Gives a user of an organisation another role (its owners, or operator staff); their
    /// sessions end. The last owner cannot be demoted (`CONFLICT`, `LAST_OWNER`).
    async fn change_user_role(
        &self,
        ctx: &Context<'_>,
        input: ChangeUserRoleInput,
    ) -> Result<ChangeUserRolePayload> {
        let id = parse_id(&input.user_id, "input.userId")?;
        let services = ctx.services();
        let row = services
            .users
            .change_role(
                ctx.actor(),
                ctx.request_id(),
                id,
                input.role,
                services.clock.now(),
            )
            .await?;
        Ok(ChangeUserRolePayload { user: User(row) })
    }

    /// Removes a user of an organisation (its owners, or operator staff): their sessions end
    /// at once. The last owner cannot be removed (`CONFLICT`, `LAST_OWNER`).
    async fn remove_user(
        &self,
        ctx: &Context<'_>,
        input: RemoveUserInput,
    ) -> Result<RemoveUserPayload> {
        let id = parse_id(&input.user_id, "input.userId")?;
        let row = ctx
            .services()
            .users
            .remove(ctx.actor(), ctx.request_id(), id)
            .await?;
        Ok(RemoveUserPayload {
            removed_user_id: row.id.into(),
        })
    }
}
