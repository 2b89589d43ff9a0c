//! Where previews store their quotes: in batches, one statement for every quote waiting
//! (group commit), and each preview answers only once its quote is committed.
//!
//! Why: a quote is a ~1.8 KB row, and each commit of one row wrote ~3.5 pages (14 KB) of
//! SQLite's log: the table leaf, the primary-key index leaf and, every other row, a new page,
//! its parent and the header page. Measured at 1,000 previews/s, that log took 13–23 ms to
//! checkpoint each second, and the inserts behind a stall then ran one commit at a time, each
//! waiting for the one before (1,017 of 20,000 inserts took over 2 ms). Stored in batches,
//! the quotes that queued behind a stall share one commit and its pages, so the queue drains
//! at once. On PostgreSQL each commit waits for its own flush, and the batch shares that too.
//! When nothing is queued a batch is a single quote, written at once: no added wait.

use entity::quote;
use sea_orm::{DbErr, EntityTrait};
use tokio::sync::{mpsc, oneshot};

use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};

/// The most quotes one statement stores: 64 rows × 13 columns stay far below SQLite's and
/// PostgreSQL's limits on bound parameters.
const MAX_BATCH: usize = 64;

/// Quotes that may wait to be stored before previews wait to queue.
const QUEUE_CAPACITY: usize = 4096;

/// Stores quotes through one background task; cheap to clone. The task ends when the last
/// clone is dropped.
#[derive(Clone)]
pub struct QuoteBook {
    queue: mpsc::Sender<Pending>,
}

/// A quote waiting to be stored, and where to say how that went.
struct Pending {
    row: quote::Model,
    stored: oneshot::Sender<Result<(), DbErr>>,
}

impl QuoteBook {
    /// Starts the task that writes to `db`. Must be called within a Tokio runtime.
    pub fn start(db: Db) -> Self {
        let (queue, pending) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_batches(db, pending));
        Self { queue }
    }

    /// Stores `row`, returning once it is committed (with whichever quotes were waiting).
    pub async fn store(&self, row: quote::Model) -> ServiceResult<()> {
        let (stored, outcome) = oneshot::channel();
        self.queue
            .send(Pending { row, stored })
            .await
            .map_err(|_| ServiceError::internal("the quote writer has stopped"))?;
        outcome
            .await
            .map_err(|_| ServiceError::internal("the quote writer has stopped"))??;
        Ok(())
    }
}

/// Writes whatever is queued, up to [`MAX_BATCH`] at a time, until every sender is gone.
async fn write_batches(db: Db, mut pending: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while pending.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let rows = batch
            .iter()
            .map(|p| quote::ActiveModel::from(p.row.clone()));
        match quote::Entity::insert_many(rows)
            .exec_without_returning(db.writes())
            .await
        {
            Ok(_) => {
                for waiting in batch.drain(..) {
                    // A preview that went away (its client hung up) no longer listens.
                    let _ = waiting.stored.send(Ok(()));
                }
            }
            Err(error) if batch.len() == 1 => {
                if let Some(waiting) = batch.pop() {
                    let _ = waiting.stored.send(Err(error));
                }
            }
            Err(_) => {
                // The statement is all or nothing: one row the database refuses must not fail
                // the others, so each is tried alone and gets its own answer.
                for waiting in batch.drain(..) {
                    let outcome = quote::Entity::insert(quote::ActiveModel::from(waiting.row))
                        .exec_without_returning(db.writes())
                        .await
                        .map(|_| ());
                    let _ = waiting.stored.send(outcome);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use futures_util::future::join_all;
    use ids::{CustomerId, QuoteId, SubscriptionItemId, UserId};
    use sea_orm::PaginatorTrait;

    use super::*;

    fn quote_row() -> quote::Model {
        let now = Utc::now();
        quote::Model {
            id: QuoteId::new(),
            customer_id: CustomerId::new(),
            item_id: SubscriptionItemId::new(),
            delta: 1,
            quote: "{}".into(),
            currency: "EUR".into(),
            amount_due_now_minor: 0,
            amount_next_invoice_minor: 1_920,
            expires_at: now,
            created_by: UserId::new(),
            created_at: now,
            applied_at: None,
            result: None,
        }
    }

    #[tokio::test]
    async fn stores_every_waiting_quote_and_a_refused_one_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("q.db").display());
        let db = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let book = QuoteBook::start(db.clone());
        let first = quote_row();
        book.store(first.clone()).await.unwrap();

        // On this single-threaded test runtime all 101 are queued before the writer runs, so
        // they go in batches (64 + 37); the last reuses the first's id and its batch is refused
        // as a whole, so each of that batch is tried alone.
        let duplicate = quote::Model {
            id: first.id,
            ..quote_row()
        };
        let rows: Vec<quote::Model> = (0..100).map(|_| quote_row()).chain([duplicate]).collect();
        let outcomes = join_all(rows.iter().cloned().map(|row| book.store(row))).await;

        assert!(outcomes[..100].iter().all(Result::is_ok), "{outcomes:?}");
        assert!(outcomes[100].is_err());
        assert_eq!(quote::Entity::find().count(db.reads()).await.unwrap(), 101);
        for row in &rows[..100] {
            let stored = quote::Entity::find_by_id(row.id)
                .one(db.reads())
                .await
                .unwrap();
            assert_eq!(stored.as_ref(), Some(row));
        }
    }
}
