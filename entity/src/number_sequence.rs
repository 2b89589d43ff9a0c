//! `number_sequences`: the last number taken from each gapless sequence (e.g. `invoices/2026`).
//! Only `api::services::invoices::numbering` touches it, inside write transactions.

use sea_orm::entity::prelude::*;

/// One sequence.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "number_sequences")]
pub struct Model {
    /// The sequence, e.g. `invoices/2026`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// The last number taken (0 before the first).
    pub last_value: i64,
}

/// Sequences have no relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
