//! `customers`: the operator's customer organisations. Each one is a tenant.

use ids::CustomerId;
use sea_orm::entity::prelude::*;

/// Lifecycle of a customer organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CustomerStatus {
    /// Normal operation: billed, users sign in.
    #[sea_orm(string_value = "active")]
    Active,
    /// Blocked by the operator (e.g. unpaid invoices): users still sign in to read and pay.
    #[sea_orm(string_value = "suspended")]
    Suspended,
    /// The relationship has ended; kept for history; users can no longer sign in.
    #[sea_orm(string_value = "closed")]
    Closed,
}

/// A customer organisation (tenant).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    /// UUIDv7, exposed as `cus_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: CustomerId,
    /// Display name of the organisation.
    pub name: String,
    /// Legal company name, when it differs from the display name.
    pub company: Option<String>,
    /// Main billing e-mail address.
    pub email: String,
    /// ISO 4217 code of the currency the customer is billed in.
    pub currency: String,
    /// IANA time zone in which the customer's billing days are counted.
    pub time_zone: String,
    /// Lifecycle status.
    pub status: CustomerStatus,
    /// Legacy tax rate in percent as exact decimal text (e.g. `20`), used only while the
    /// customer has no `country` (tax rates now come from `tax_rates`); `None`: not taxed.
    pub tax_rate: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
    /// Bumped by every write to this tenant's data, in the same transaction (see
    /// `api::db::TenantWrite::commit`): in-memory copies of the tenant's state compare it.
    pub revision: i64,
    /// Credit the customer holds, in minor units of its currency; never negative (every change
    /// goes through `api::services::credits`, which refuses to take it below zero and writes a
    /// ledger entry beside it).
    pub credit_balance_minor: i64,
    /// ISO 3166-1 alpha-2 country code (upper case): with `region`, picks the tax rate.
    pub country: Option<String>,
    /// Region code within `country` (upper case), for regional tax rates.
    pub region: Option<String>,
    /// The customer's tax id (VAT number), printed on invoices.
    pub tax_id: Option<String>,
    /// Whether the customer pays no tax at all, whatever its country.
    pub tax_exempt: bool,
    /// Days between an invoice's issue date and its due date (0: due on receipt).
    pub payment_terms_days: i32,
    /// The purchase order number printed on this customer's invoices, unless the subscription
    /// or an "invoice now" charge has its own.
    pub po_number: Option<String>,
    /// Notes printed on every invoice of this customer, before the subscription's and the
    /// charge's.
    pub invoice_notes: Option<String>,
    /// Where invoices and credit notes are e-mailed; `None`: to [`Model::email`].
    pub invoice_email: Option<String>,
    /// Whether invoices and credit notes are e-mailed at all.
    pub email_invoices: bool,
    /// The customer's id in another system of the operator's (the telecom platform's account
    /// number, a CRM id); unique when given.
    pub external_reference: Option<String>,
    /// The operator's labels for the customer, a JSON array of strings (`["vip","wholesale"]`),
    /// each without `"` or `\` (see [`Model::tag_list`]); staff search by them.
    pub tags: String,
    /// The unit of the customer's billing cycle: what new subscriptions bill at unless another
    /// interval is chosen.
    pub billing_interval_unit: super::price::IntervalUnit,
    /// How many units one billing cycle lasts (at least 1).
    pub billing_interval_count: i32,
}

impl Model {
    /// [`Model::tags`] as a list; an unreadable column reads as no tags.
    pub fn tag_list(&self) -> Vec<String> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }

    /// Where this customer's invoices and credit notes go by e-mail, `None` when the customer
    /// asked not to receive them.
    pub fn invoice_recipient(&self) -> Option<&str> {
        self.email_invoices
            .then(|| self.invoice_email.as_deref().unwrap_or(&self.email))
    }
}

/// Relations of a customer.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Portal logins of this organisation.
    #[sea_orm(has_many = "super::user::Entity")]
    Users,
    /// Teams of this organisation.
    #[sea_orm(has_many = "super::team::Entity")]
    Teams,
    /// Members (people who use the service) of this organisation.
    #[sea_orm(has_many = "super::member::Entity")]
    Members,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl Related<super::team::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Teams.def()
    }
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Members.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
