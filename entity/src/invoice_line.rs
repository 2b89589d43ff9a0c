//! `invoice_lines`: the lines of an invoice, in order. Quantities, unit amounts and tax rates are
//! exact decimal text; amounts are integer minor units.

use chrono::NaiveDate;
use ids::{CustomerId, InvoiceId, InvoiceLineId};
use sea_orm::entity::prelude::*;

/// What a line is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum LineKind {
    /// A recurring item for the period.
    #[sea_orm(string_value = "recurring")]
    Recurring,
    /// A prorated license change.
    #[sea_orm(string_value = "proration")]
    Proration,
    /// Metered or rated usage.
    #[sea_orm(string_value = "usage")]
    Usage,
    /// A one-time charge or addon.
    #[sea_orm(string_value = "one_off")]
    OneOff,
    /// A coupon's discount.
    #[sea_orm(string_value = "discount")]
    Discount,
    /// Credit applied from the balance.
    #[sea_orm(string_value = "credit")]
    Credit,
}

/// One line.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    /// UUIDv7, exposed as `il_…`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: InvoiceLineId,
    /// The invoice.
    pub invoice_id: InvoiceId,
    /// The customer (tenant), as on the invoice.
    pub customer_id: CustomerId,
    /// 0 for the first line.
    pub position: i32,
    /// What the line is for.
    pub kind: LineKind,
    /// As the customer reads it.
    pub description: String,
    /// The product's public id, when the line is a product's.
    pub product_id: Option<String>,
    /// Exact decimal text.
    pub quantity: String,
    /// Amount per unit, exact decimal text, when the line has one.
    pub unit_amount: Option<String>,
    /// Before tax, minor units.
    pub amount_minor: i64,
    /// Tax on the line, minor units.
    pub tax_minor: i64,
    /// Tax rate in percent, exact decimal text, when taxed.
    pub tax_rate: Option<String>,
    /// First day of the service period, when the line has one.
    pub period_start: Option<NaiveDate>,
    /// First day after the service period.
    pub period_end: Option<NaiveDate>,
}

/// Relations of a line.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The invoice.
    #[sea_orm(
        belongs_to = "super::invoice::Entity",
        from = "Column::InvoiceId",
        to = "super::invoice::Column::Id"
    )]
    Invoice,
}

impl Related<super::invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoice.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
