//! The audit log: who changed what, with the state before and after.

use chrono::{DateTime, NaiveDate, Utc};
use entity::audit_log;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    Select,
};
use serde_json::Value;

use super::page::{Direction, KeyKind, Keyset, Page, PageRequest, fetch_page, time_key};
use crate::auth::AuthenticatedActor;
use crate::error::{ServiceError, ServiceResult};
use ids::{AuditEntryId, CustomerId};

/// One change to record.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    /// The tenant concerned, if any.
    pub customer: Option<CustomerId>,
    /// What happened, `area.verb`.
    pub action: &'static str,
    /// Kind of thing changed.
    pub subject_type: &'static str,
    /// Public id of the thing changed.
    pub subject_id: String,
    /// State before.
    pub before: Option<Value>,
    /// State after.
    pub after: Option<Value>,
}

/// Appends `entry`, attributed to `actor` (or the system when `None`), in the caller's
/// transaction so that the entry exists exactly when the change does.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: Option<&AuthenticatedActor>,
    request_id: Option<&str>,
    entry: AuditEntry,
) -> Result<AuditEntryId, DbErr> {
    let id = AuditEntryId::new();
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(id),
        customer_id: Set(entry.customer),
        actor_user_id: Set(actor.map(|a| a.user_id)),
        actor_role: Set(actor.map_or(audit_log::ActorRole::System, |a| a.role.into())),
        action: Set(entry.action.to_owned()),
        subject_type: Set(entry.subject_type.to_owned()),
        subject_id: Set(entry.subject_id),
        before: Set(entry.before),
        after: Set(entry.after),
        request_id: Set(request_id.map(str::to_owned)),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// A tenant's audit entries, newest first.
const ENTRIES: Keyset<audit_log::Entity> = Keyset {
    list: "audit",
    columns: &[
        (audit_log::Column::CreatedAt, KeyKind::Time),
        (audit_log::Column::Id, KeyKind::Id),
    ],
    direction: Direction::Descending,
    key: |e| time_key(e.created_at, e.id),
};

/// What an audit entry is about, for people filtering the log: decided by the area of its
/// action (`license` of `license.add`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditKind {
    /// Money: licenses, subscriptions, charges, coupons, credits, invoices, billing settings.
    Money,
    /// Access: sign-ins, users, their roles and passwords, invitations.
    Access,
    /// The documents vault: uploads, reviews, downloads, documents asked for.
    Documents,
    /// Billing addresses.
    Addresses,
    /// Contacts, teams and members.
    People,
    /// Anything else (e-mail copies and retries, the catalog).
    Other,
}

impl AuditKind {
    /// Every kind, in the order a filter lists them.
    pub const ALL: [AuditKind; 6] = [
        AuditKind::Money,
        AuditKind::Access,
        AuditKind::Documents,
        AuditKind::Addresses,
        AuditKind::People,
        AuditKind::Other,
    ];

    /// The action areas of this kind (`Other` has none: it is what no other kind has).
    pub fn areas(self) -> &'static [&'static str] {
        match self {
            AuditKind::Money => &[
                "license",
                "subscription",
                "subscription_item",
                "charge",
                "coupon",
                "credit",
                "credit_note",
                "invoice",
                "billing_run",
                "customer",
                "payment",
                "payment_method",
                "refund",
                "tax_rate",
                "product",
                "price",
                "phone_number",
                "usage",
                "calls",
            ],
            AuditKind::Access => &["session", "user", "invitation", "staff_user", "api_key"],
            AuditKind::Documents => &["document"],
            AuditKind::Addresses => &["address"],
            AuditKind::People => &["contact", "team", "member"],
            AuditKind::Other => &[],
        }
    }

    /// The kind of `action` (`area.verb`).
    pub fn of(action: &str) -> Self {
        let area = action.split('.').next().unwrap_or_default();
        Self::ALL
            .into_iter()
            .find(|kind| kind.areas().contains(&area))
            .unwrap_or(AuditKind::Other)
    }

    /// The entries of this kind, as a filter on the action.
    fn condition(self) -> Condition {
        let starts = |area: &&str| audit_log::Column::Action.starts_with(format!("{area}."));
        match self {
            AuditKind::Other => Self::ALL
                .iter()
                .flat_map(|kind| kind.areas())
                .fold(Condition::all(), |all, area| all.add(starts(area).not())),
            kind => kind
                .areas()
                .iter()
                .fold(Condition::any(), |any, area| any.add(starts(area))),
        }
    }
}

/// Which entries of a tenant's log to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only entries of this kind.
    pub kind: Option<AuditKind>,
    /// Only entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this instant.
    pub before: Option<DateTime<Utc>>,
}

/// A tenant's audit entries matching `filter`, newest first. Customer users read their own
/// organisation's.
pub async fn entries<C: ConnectionTrait>(
    db: &C,
    actor: &crate::auth::Actor,
    customer: CustomerId,
    filter: AuditFilter,
    page: &PageRequest,
) -> ServiceResult<Page<audit_log::Model>> {
    let scope = actor.authenticated()?.scope();
    let select = audit_log::Entity::find()
        .filter(scope.condition(audit_log::Column::CustomerId))
        .filter(audit_log::Column::CustomerId.eq(customer));
    Ok(fetch_page(db, filter.apply(select), &ENTRIES, page).await?)
}

/// Every audit entry matching `filter`, newest first, whoever or whatever it is about
/// (customers' and the operator's own: staff, catalog, keys): operator staff of any role.
pub async fn all_entries<C: ConnectionTrait>(
    db: &C,
    actor: &crate::auth::Actor,
    filter: AuditFilter,
    page: &PageRequest,
) -> ServiceResult<Page<audit_log::Model>> {
    actor.authenticated()?.require_staff_reader()?;
    let select = audit_log::Entity::find();
    Ok(fetch_page(db, filter.apply(select), &ENTRIES, page).await?)
}

impl AuditFilter {
    /// The filter of `kind` from day `from` to day `to` (both included), each day starting at
    /// `start_of` (midnight in the calendar the caller reads days in). `BAD_USER_INPUT` on `to`
    /// when it comes before `from`.
    pub fn of_days(
        kind: Option<AuditKind>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        start_of: impl Fn(NaiveDate) -> Option<DateTime<Utc>>,
    ) -> ServiceResult<Self> {
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(ServiceError::bad_input(
                "to",
                "the last day comes before the first",
            ));
        }
        Ok(Self {
            kind,
            since: from.and_then(&start_of),
            before: to.and_then(|d| d.succ_opt()).and_then(&start_of),
        })
    }

    /// `select` narrowed to the entries of this filter.
    fn apply(self, mut select: Select<audit_log::Entity>) -> Select<audit_log::Entity> {
        if let Some(kind) = self.kind {
            select = select.filter(kind.condition());
        }
        if let Some(since) = self.since {
            select = select.filter(audit_log::Column::CreatedAt.gte(since));
        }
        if let Some(before) = self.before {
            select = select.filter(audit_log::Column::CreatedAt.lt(before));
        }
        select
    }
}

#[cfg(test)]
mod tests {
    use super::AuditKind;

    #[test]
    fn an_action_is_of_its_areas_kind() {
        assert_eq!(AuditKind::of("license.add"), AuditKind::Money);
        assert_eq!(
            AuditKind::of("subscription_item.quantity"),
            AuditKind::Money
        );
        assert_eq!(AuditKind::of("invitation.accept"), AuditKind::Access);
        assert_eq!(AuditKind::of("document.review"), AuditKind::Documents);
        assert_eq!(AuditKind::of("address.default"), AuditKind::Addresses);
        assert_eq!(AuditKind::of("team.rename"), AuditKind::People);
        assert_eq!(AuditKind::of("mail.retry"), AuditKind::Other);
        // Money moved, and what prices it, is money; who may act is access.
        assert_eq!(AuditKind::of("payment.succeeded"), AuditKind::Money);
        assert_eq!(AuditKind::of("calls.rerate"), AuditKind::Money);
        assert_eq!(AuditKind::of("api_key.create"), AuditKind::Access);
        // An area is a whole word: `addresses.x` is not `address`.
        assert_eq!(AuditKind::of("addresses.x"), AuditKind::Other);
    }
}
