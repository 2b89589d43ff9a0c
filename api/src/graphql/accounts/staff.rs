//! The operator's staff users, for administrators: list, add (with an initial password shown
//! once), change role, disable and enable. Every other caller gets `FORBIDDEN`.

use async_graphql::{
    Context, ID, InputObject, Object, Result, SimpleObject, connection::Connection,
};

use chrono::{NaiveDate, NaiveTime};

use super::types::User;
use crate::auth::Role;
use crate::graphql::audit::{AuditEntry, AuditKind};
use crate::graphql::context::ContextExt;
use crate::graphql::money::parse_id;
use crate::graphql::pagination::{complexity, connection, page_request};
use crate::services::accounts::staff::{StaffChange, StaffFilter};
use crate::services::audit::AuditFilter;

/// Staff users (administrators only).
#[derive(Default)]
pub struct StaffQuery;

#[Object]
impl StaffQuery {
    /// The operator's staff users, oldest first, disabled ones included unless filtered out.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn staff_users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many users (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last user of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Only users whose name or e-mail contains this, in any case (at most 200 \
                    characters; blank: every user)."
        )]
        search: Option<String>,
        #[graphql(desc = "Only users with this role (`ADMIN`, `STAFF` or `SUPPORT`).")]
        role: Option<Role>,
        #[graphql(desc = "Only users who may sign in (true) or disabled ones (false).")]
        enabled: Option<bool>,
    ) -> Result<Connection<String, User>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let filter = StaffFilter::new(search.as_deref(), role, enabled)?;
        let page = ctx
            .services()
            .staff
            .list(ctx.actor(), &filter, request)
            .await?;
        Ok(connection(page, User))
    }

    /// The whole audit log, newest first (operator staff of any role): every customer's
    /// changes and the operator's own (staff users, API keys, the catalog, billing runs).
    /// Days are UTC days.
    #[graphql(complexity = "complexity(child_complexity, first)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many entries (at most the maximum page size).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last entry of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only entries of this kind.")] kind: Option<AuditKind>,
        #[graphql(desc = "Only entries from this UTC day on.")] from: Option<NaiveDate>,
        #[graphql(desc = "Only entries up to and including this UTC day.")] to: Option<NaiveDate>,
    ) -> Result<Connection<String, AuditEntry>> {
        let request = page_request(first, after.as_deref(), ctx.limits().max_page_size)?;
        let start_of = |day: NaiveDate| Some(day.and_time(NaiveTime::MIN).and_utc());
        let filter = AuditFilter::of_days(kind.map(Into::into), from, to, start_of)?;
        let page = ctx
            .services()
            .customers
            .operator_audit_log(ctx.actor(), filter, request)
            .await?;
        Ok(connection(page, AuditEntry::with_actor))
    }
}

/// Input of `createStaffUser`.
#[derive(InputObject)]
pub struct CreateStaffUserInput {
    /// Sign-in e-mail address; no other user may have it.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `ADMIN`, `STAFF` (billing) or `SUPPORT`.
    pub role: Role,
}

/// Result of `createStaffUser`.
#[derive(SimpleObject)]
pub struct CreateStaffUserPayload {
    /// The new staff user.
    pub user: User,
    /// The initial password to hand over, shown this once (only its hash is kept); its owner
    /// changes it after signing in.
    pub initial_password: String,
}

/// Input of `changeStaffRole`.
#[derive(InputObject)]
pub struct ChangeStaffRoleInput {
    /// The staff user (`usr_…`).
    pub user_id: ID,
    /// `ADMIN`, `STAFF` (billing) or `SUPPORT`.
    pub role: Role,
}

/// Input of `disableStaffUser` and `enableStaffUser`.
#[derive(InputObject)]
pub struct StaffUserIdInput {
    /// The staff user (`usr_…`).
    pub user_id: ID,
}

/// Result of a change to a staff user.
#[derive(SimpleObject)]
pub struct StaffUserPayload {
    /// The staff user as changed.
    pub user: User,
}

/// Changes to staff users (administrators only).
#[derive(Default)]
pub struct StaffMutation;

#[Object]
impl StaffMutation {
    /// Adds a staff user with a random initial password (in the payload, once).
    async fn create_staff_user(
        &self,
        ctx: &Context<'_>,
        input: CreateStaffUserInput,
    ) -> Result<CreateStaffUserPayload> {
        let services = ctx.services();
        let created = services
            .staff
            .create(
                ctx.actor(),
                ctx.request_id(),
                &input.email,
                &input.name,
                input.role,
                services.clock.now(),
            )
            .await?;
        Ok(CreateStaffUserPayload {
            user: User(created.user),
            initial_password: created.initial_password,
        })
    }

    /// Gives a staff user another staff role; their sessions end. The last enabled
    /// administrator keeps the role (`CONFLICT`, `LAST_ADMIN`).
    async fn change_staff_role(
        &self,
        ctx: &Context<'_>,
        input: ChangeStaffRoleInput,
    ) -> Result<StaffUserPayload> {
        let id = parse_id(&input.user_id, "input.userId")?;
        change(ctx, id, StaffChange::Role(input.role)).await
    }

    /// Stops a staff user from signing in; their sessions end at once. Nobody disables
    /// themselves, nor the last enabled administrator (`CONFLICT`, `LAST_ADMIN`).
    async fn disable_staff_user(
        &self,
        ctx: &Context<'_>,
        input: StaffUserIdInput,
    ) -> Result<StaffUserPayload> {
        let id = parse_id(&input.user_id, "input.userId")?;
        change(ctx, id, StaffChange::Disabled(true)).await
    }

    /// Lets a disabled staff user sign in again.
    async fn enable_staff_user(
        &self,
        ctx: &Context<'_>,
        input: StaffUserIdInput,
    ) -> Result<StaffUserPayload> {
        let id = parse_id(&input.user_id, "input.userId")?;
        change(ctx, id, StaffChange::Disabled(false)).await
    }
}

async fn change(
    ctx: &Context<'_>,
    id: ids::UserId,
    change: StaffChange,
) -> Result<StaffUserPayload> {
    let user = ctx
        .services()
        .staff
        .change(ctx.actor(), ctx.request_id(), id, change)
        .await?;
    Ok(StaffUserPayload { user: User(user) })
}
