//! Gapless document numbers (`INV-2026-000042`): a number is taken in the transaction that
//! finalises the document, by incrementing the sequence's row. On PostgreSQL the increment takes
//! the row's lock, so concurrent finalisations queue and each sees the last committed value; on
//! SQLite the single writer serialises them. A transaction that rolls back gives its number
//! back, so the committed numbers are exactly 1, 2, 3, … — a voided document keeps its number.

use std::fmt;

use entity::number_sequence;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, DbErr, EntityTrait};

use crate::db::WriteTransaction;

/// A numbered kind of document and its yearly sequences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// Invoices: `INV-<year>-000001`.
    Invoice,
    /// Credit notes: `CN-<year>-000001`, a sequence of their own.
    CreditNote,
}

impl DocumentKind {
    fn sequence(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoices",
            DocumentKind::CreditNote => "credit_notes",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "INV",
            DocumentKind::CreditNote => "CN",
        }
    }
}

/// A document number: the kind's prefix, the year its sequence counts in, and the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentNumber {
    /// What is numbered.
    pub kind: DocumentKind,
    /// The year of the sequence (numbering restarts each year).
    pub year: i32,
    /// 1 for the year's first document.
    pub value: u64,
}

impl fmt::Display for DocumentNumber {
    /// `INV-2026-000042`: six digits at least, more once a year passes 999,999.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", self.kind.prefix(), self.year, self.value)
    }
}

/// Takes the next number of `kind`'s sequence for `year`, inside the caller's write
/// transaction: it is the caller's only if that transaction commits.
pub async fn take_next<T: WriteTransaction>(
    txn: &T,
    kind: DocumentKind,
    year: i32,
) -> Result<DocumentNumber, DbErr> {
    let mut block = take_block(txn, kind, year, 1).await?;
    block
        .next()
        .ok_or_else(|| DbErr::Custom("an empty block of one number".into()))
}

/// Takes the next `count` numbers of `kind`'s sequence for `year` at once, in ascending order,
/// inside the caller's write transaction: one statement whatever `count`, so a billing run that
/// finalises a batch of invoices holds the sequence's lock for one increment. They are the
/// caller's only if that transaction commits; a rollback gives the whole block back, so the
/// committed numbers stay gapless.
pub async fn take_block<T: WriteTransaction>(
    txn: &T,
    kind: DocumentKind,
    year: i32,
    count: u32,
) -> Result<impl Iterator<Item = DocumentNumber> + use<T>, DbErr> {
    let name = format!("{}/{year}", kind.sequence());
    // One round trip in the usual case: the increment returns the value it wrote (both
    // databases have `RETURNING`). Every finalisation of the year queues on this row's lock
    // until its transaction ends, so the fewer statements under it, the better.
    let increment = Query::update()
        .table(number_sequence::Entity)
        .value(
            number_sequence::Column::LastValue,
            Expr::col(number_sequence::Column::LastValue).add(i64::from(count)),
        )
        .and_where(number_sequence::Column::Name.eq(&name))
        .returning_col(number_sequence::Column::LastValue)
        .to_owned();
    let increment = txn.get_database_backend().build(&increment);
    let last_value = match txn.query_one_raw(increment.clone()).await? {
        Some(row) => row.try_get::<i64>("", "last_value")?,
        None => {
            // The first number of a year creates the row; a concurrent creator waits on the
            // primary key and then does nothing.
            number_sequence::Entity::insert(number_sequence::ActiveModel {
                name: Set(name.clone()),
                last_value: Set(0),
            })
            .on_conflict(
                OnConflict::column(number_sequence::Column::Name)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
            txn.query_one_raw(increment)
                .await?
                .ok_or_else(|| DbErr::RecordNotFound(name.clone()))?
                .try_get::<i64>("", "last_value")?
        }
    };
    let last = u64::try_from(last_value)
        .map_err(|_| DbErr::Custom(format!("sequence {name} is negative")))?;
    let first = last + 1 - u64::from(count);
    Ok((first..=last).map(move |value| DocumentNumber { kind, year, value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn database() -> (tempfile::TempDir, crate::db::Db) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("n.db").display());
        let db = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        (dir, db)
    }

    #[test]
    fn numbers_read_like_inv_2026_000042() {
        let number = |kind, value| DocumentNumber {
            kind,
            year: 2026,
            value,
        };
        assert_eq!(
            number(DocumentKind::Invoice, 42).to_string(),
            "INV-2026-000042"
        );
        assert_eq!(
            number(DocumentKind::CreditNote, 7).to_string(),
            "CN-2026-000007"
        );
        assert_eq!(
            number(DocumentKind::Invoice, 1_234_567).to_string(),
            "INV-2026-1234567"
        );
    }

    #[tokio::test]
    async fn a_rolled_back_number_is_taken_again_and_sequences_are_apart() {
        let (_dir, db) = database().await;
        let take = |kind, year| {
            let db = db.clone();
            async move {
                let txn = db.begin_plain_write().await.unwrap();
                let number = take_next(&txn, kind, year).await.unwrap();
                (txn, number.value)
            }
        };
        let (txn, first) = take(DocumentKind::Invoice, 2026).await;
        txn.commit().await.unwrap();
        let (txn, second) = take(DocumentKind::Invoice, 2026).await;
        drop(txn); // rolled back: 2 is given back
        let (txn, again) = take(DocumentKind::Invoice, 2026).await;
        txn.commit().await.unwrap();
        let (txn, credit) = take(DocumentKind::CreditNote, 2026).await;
        txn.commit().await.unwrap();
        let (txn, next_year) = take(DocumentKind::Invoice, 2027).await;
        txn.commit().await.unwrap();
        assert_eq!((first, second, again, credit, next_year), (1, 2, 2, 1, 1));
    }

    #[tokio::test]
    async fn a_block_continues_the_sequence_and_a_rolled_back_block_is_given_back() {
        let (_dir, db) = database().await;
        let block = |count| {
            let db = db.clone();
            async move {
                let txn = db.begin_plain_write().await.unwrap();
                let values: Vec<u64> = take_block(&txn, DocumentKind::Invoice, 2026, count)
                    .await
                    .unwrap()
                    .map(|n| n.value)
                    .collect();
                (txn, values)
            }
        };
        let (txn, first) = block(3).await;
        txn.commit().await.unwrap();
        let (txn, dropped) = block(4).await;
        drop(txn);
        let (txn, again) = block(2).await;
        txn.commit().await.unwrap();
        let (txn, single) = block(1).await;
        txn.commit().await.unwrap();
        assert_eq!(first, [1, 2, 3]);
        assert_eq!(dropped, [4, 5, 6, 7]);
        assert_eq!(again, [4, 5]);
        assert_eq!(single, [6]);
    }
}
