//! Gapless numbers under concurrency: finalisations racing for the same sequence, some rolling
//! back, commit exactly 1..N with no gap and no duplicate, on SQLite and PostgreSQL.

use std::time::Duration;

use api::services::invoices::numbering::{DocumentKind, take_next};
use tests::e2e_test;

e2e_test!(racing_finalisations_commit_one_to_n_without_gaps, |app| {
    const WRITERS: u64 = 24;
    let tasks = (0..WRITERS).map(|i| {
        let db = app.app.db.clone();
        tokio::spawn(async move {
            let txn = db.begin_plain_write().await.expect("begin");
            let number = take_next(&txn, DocumentKind::Invoice, 2026)
                .await
                .expect("number");
            // Hold the number a little, so that on PostgreSQL the others queue on the row.
            tokio::time::sleep(Duration::from_millis(i % 3)).await;
            if i % 4 == 3 {
                drop(txn); // a finalisation that fails: its number is given back
                None
            } else {
                txn.commit().await.expect("commit");
                Some(number.value)
            }
        })
    });
    let mut committed: Vec<u64> = futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .filter_map(|r| r.expect("task"))
        .collect();
    committed.sort_unstable();
    let expected: Vec<u64> = (1..=WRITERS - WRITERS / 4).collect();
    assert_eq!(committed, expected);
});
