//! Contacts of an organisation by role (technical, accounting, operational, other): read by
//! every user of the organisation and by staff, changed by its owners and billing admins and by
//! staff. Contacts are not part of the cached tenant state (plain writes), and those marked
//! "receives invoices" are where the mail outbox sends invoices ([`invoice_recipients`]).

use chrono::{DateTime, Utc};
use entity::contact::{self, ContactRole};
use entity::customer;
use ids::{ContactId, CustomerId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{Value, json};

use super::AccountError;
use crate::auth::Actor;
use crate::db::{Db, UniqueLookup};
use crate::error::ServiceResult;
use crate::services::audit::{self, AuditEntry};
use crate::services::input::{Email, RequiredText};

/// Most contacts an organisation may have: the list is read whole, never paged.
pub const MAX_CONTACTS: usize = 50;

/// Fewest and most digits of a phone number (E.164 allows at most 15).
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 6..=15;

/// A contact as given to add or replace one.
#[derive(Clone, Debug)]
pub struct ContactInput {
    /// What the contact is the person to talk to about.
    pub role: ContactRole,
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Phone number, international form; blank or `None`: none.
    pub phone: Option<String>,
    /// Whether invoice e-mails go to the contact too.
    pub receives_invoices: bool,
}

/// A contact input checked: what is stored.
struct ValidContact {
    role: ContactRole,
    name: String,
    email: String,
    phone: Option<String>,
    receives_invoices: bool,
}

impl ContactInput {
    fn validate(self) -> ServiceResult<ValidContact> {
        Ok(ValidContact {
            role: self.role,
            name: RequiredText::parse("input.name", &self.name, 200)?.into_inner(),
            email: Email::parse(&self.email)?.into_inner(),
            phone: self
                .phone
                .as_deref()
                .map(parse_phone)
                .transpose()?
                .flatten(),
            receives_invoices: self.receives_invoices,
        })
    }
}

/// A phone number in international form, stored as `+` and its digits (`+33123456789`).
/// Spaces, dots, hyphens and parentheses are allowed in between, and a leading `00` stands for
/// `+`; blank is no number. Anything else, or a number without its country code, is refused on
/// `input.phone`.
pub fn parse_phone(value: &str) -> ServiceResult<Option<String>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let rest = value
        .strip_prefix('+')
        .or_else(|| value.strip_prefix("00"))
        .ok_or(AccountError::Phone)?;
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return Err(AccountError::Phone.into()),
        }
    }
    if digits.starts_with('0') || !PHONE_DIGITS.contains(&digits.len()) {
        return Err(AccountError::Phone.into());
    }
    Ok(Some(format!("+{digits}")))
}

/// The e-mail addresses invoices of `customer` go to besides the customer's own: its contacts
/// who receive invoices, oldest first, each address once whatever its case. Read through `db`,
/// the caller's transaction (the mail outbox writes its messages in the finalising one).
pub async fn invoice_recipients<C: ConnectionTrait>(
    db: &C,
    customer: CustomerId,
) -> Result<Vec<String>, DbErr> {
    Ok(invoice_recipients_many(db, &[customer])
        .await?
        .remove(&customer)
        .unwrap_or_default())
}

/// [`invoice_recipients`] of several customers in one query (a billing run's batch), by
/// customer; a customer without such contacts is absent.
pub async fn invoice_recipients_many<C: ConnectionTrait>(
    db: &C,
    customers: &[CustomerId],
) -> Result<std::collections::HashMap<CustomerId, Vec<String>>, DbErr> {
    let mut by_customer: std::collections::HashMap<CustomerId, Vec<String>> =
        std::collections::HashMap::new();
    if customers.is_empty() {
        return Ok(by_customer);
    }
    let rows: Vec<(CustomerId, String)> = contact::Entity::find()
        .select_only()
        .column(contact::Column::CustomerId)
        .column(contact::Column::Email)
        .filter(contact::Column::CustomerId.is_in(customers.iter().copied()))
        .filter(contact::Column::ReceivesInvoices.eq(true))
        .order_by_asc(contact::Column::CreatedAt)
        .order_by_asc(contact::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut seen = std::collections::HashSet::new();
    for (customer, email) in rows {
        if seen.insert((customer, email.to_lowercase())) {
            by_customer.entry(customer).or_default().push(email);
        }
    }
    Ok(by_customer)
}

/// What the audit log keeps of a contact.
fn audited(c: &contact::Model) -> Value {
    json!({
        "role": role_name(c.role), "name": c.name, "email": c.email, "phone": c.phone,
        "receives_invoices": c.receives_invoices
    })
}

/// A role as the audit log names it.
fn role_name(role: ContactRole) -> &'static str {
    match role {
        ContactRole::Technical => "technical",
        ContactRole::Accounting => "accounting",
        ContactRole::Operational => "operational",
        ContactRole::Other => "other",
    }
}

/// Contacts: reads and writes.
#[derive(Clone)]
pub struct ContactsService {
    db: Db,
}

impl ContactsService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The contacts of `customer`, oldest first. Another tenant's customer has none to show:
    /// the caller reached it through a customer row its scope allowed.
    pub async fn list(
        &self,
        actor: &Actor,
        customer: CustomerId,
    ) -> ServiceResult<Vec<contact::Model>> {
        let scope = actor.authenticated()?.scope();
        Ok(contact::Entity::find()
            .filter(scope.condition(contact::Column::CustomerId))
            .filter(contact::Column::CustomerId.eq(customer))
            .order_by_asc(contact::Column::CreatedAt)
            .order_by_asc(contact::Column::Id)
            .limit(MAX_CONTACTS as u64)
            .all(self.db.reads())
            .await?)
    }

    /// Adds a contact to `customer`: its owners and billing admins, or staff.
    pub async fn add(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        customer: CustomerId,
        input: ContactInput,
        now: DateTime<Utc>,
    ) -> ServiceResult<contact::Model> {
        let actor = actor.authenticated()?;
        let valid = input.validate()?;
        let txn = self.db.begin_plain_write().await?;
        customer::Entity::find_by_id(customer)
            .filter(actor.scope().condition(customer::Column::Id))
            .one_by_key(&txn)
            .await?
            .ok_or(AccountError::CustomerNotFound)?;
        actor.require_billing_write()?;
        let count = contact::Entity::find()
            .filter(contact::Column::CustomerId.eq(customer))
            .count(&txn)
            .await?;
        if count >= MAX_CONTACTS as u64 {
            return Err(AccountError::TooManyContacts { max: MAX_CONTACTS }.into());
        }
        let row = contact::Model {
            id: ContactId::new(),
            customer_id: customer,
            role: valid.role,
            name: valid.name,
            email: valid.email,
            phone: valid.phone,
            receives_invoices: valid.receives_invoices,
            created_at: now,
            updated_at: now,
        };
        contact::Entity::insert(contact::ActiveModel::from(row.clone()))
            .exec_without_returning(&txn)
            .await?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(customer),
                action: "contact.add",
                subject_type: "contact",
                subject_id: row.id.to_string(),
                before: None,
                after: Some(audited(&row)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }

    /// Replaces a contact's details with `input`.
    pub async fn update(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: ContactId,
        input: ContactInput,
        now: DateTime<Utc>,
    ) -> ServiceResult<contact::Model> {
        let actor = actor.authenticated()?;
        let valid = input.validate()?;
        let txn = self.db.begin_plain_write().await?;
        let before = find(&txn, actor, id).await?;
        actor.require_billing_write()?;
        let after = contact::Model {
            role: valid.role,
            name: valid.name,
            email: valid.email,
            phone: valid.phone,
            receives_invoices: valid.receives_invoices,
            updated_at: now,
            ..before.clone()
        };
        contact::Entity::update_many()
            .col_expr(contact::Column::Role, Expr::value(after.role))
            .col_expr(contact::Column::Name, Expr::value(after.name.clone()))
            .col_expr(contact::Column::Email, Expr::value(after.email.clone()))
            .col_expr(contact::Column::Phone, Expr::value(after.phone.clone()))
            .col_expr(
                contact::Column::ReceivesInvoices,
                Expr::value(after.receives_invoices),
            )
            .col_expr(contact::Column::UpdatedAt, Expr::value(now))
            .filter(contact::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(before.customer_id),
                action: "contact.update",
                subject_type: "contact",
                subject_id: id.to_string(),
                before: Some(audited(&before)),
                after: Some(audited(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Removes a contact; returns it as it was.
    pub async fn remove(
        &self,
        actor: &Actor,
        request_id: Option<&str>,
        id: ContactId,
    ) -> ServiceResult<contact::Model> {
        let actor = actor.authenticated()?;
        let txn = self.db.begin_plain_write().await?;
        let before = find(&txn, actor, id).await?;
        actor.require_billing_write()?;
        contact::Entity::delete_by_id(id).exec(&txn).await?;
        audit::record(
            &txn,
            Some(actor),
            request_id,
            AuditEntry {
                customer: Some(before.customer_id),
                action: "contact.remove",
                subject_type: "contact",
                subject_id: id.to_string(),
                before: Some(audited(&before)),
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(before)
    }
}

/// The contact `id` within the actor's scope: another tenant's answers `NOT_FOUND` like an
/// unknown one.
async fn find<C: ConnectionTrait>(
    db: &C,
    actor: &crate::auth::AuthenticatedActor,
    id: ContactId,
) -> ServiceResult<contact::Model> {
    Ok(contact::Entity::find_by_id(id)
        .filter(actor.scope().condition(contact::Column::CustomerId))
        .one_by_key(db)
        .await?
        .ok_or(AccountError::ContactNotFound)?)
}

#[cfg(test)]
mod tests {
    use super::parse_phone;

    #[test]
    fn phones_are_international_and_stored_as_digits() {
        let ok = |v: &str| parse_phone(v).ok().flatten();
        assert_eq!(ok("+33 1 23 45 67 89").as_deref(), Some("+33123456789"));
        assert_eq!(ok("0044 (20) 7946-0958").as_deref(), Some("+442079460958"));
        assert_eq!(ok("+1.415.555.0100").as_deref(), Some("+14155550100"));
        assert_eq!(parse_phone("  ").ok(), Some(None));
        // Six digits is the shortest accepted, fifteen (E.164) the longest.
        assert_eq!(ok("+123456").as_deref(), Some("+123456"));
        assert!(parse_phone("+12345").is_err());
        assert_eq!(ok("+123456789012345").as_deref(), Some("+123456789012345"));
        assert!(parse_phone("+1234567890123456").is_err());
        // No country code, a country code of 0, letters.
        assert!(parse_phone("01 23 45 67 89").is_err());
        assert!(parse_phone("+0123456789").is_err());
        assert!(parse_phone("+33 1 CALL NOW").is_err());
    }
}
