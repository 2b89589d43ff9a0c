//! `billfold serve` bills due periods by itself: with the scheduler on, a subscription whose
//! next invoice date has come is invoiced without anyone running `billfold bill`.

use std::time::Duration;

use entity::invoice;
use ids::SubscriptionId;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tests::{LicenseItemFixture, e2e_test, instant};

use crate::licenses::APRIL_2;

e2e_test!(
    the_scheduler_bills_a_due_period_by_itself,
    config = |config: &mut api::config::Config| config.billing.run_every_seconds = 1,
    |app| {
        let fx = LicenseItemFixture::for_organisation("Acme Telecom")
            .currency("EUR")
            .unit_price("64")
            .seats(2)
            .at(APRIL_2)
            .create(&app)
            .await;
        let subscription: SubscriptionId = fx.subscription.parse().expect("id");
        let count = || async {
            invoice::Entity::find()
                .filter(invoice::Column::SubscriptionId.eq(subscription))
                .count(app.app.db.reads())
                .await
                .expect("count")
        };
        // Not due on 2 April: nothing is billed.
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        assert_eq!(count().await, 0);
        // The business date reaches the next invoice date: the next tick bills it, once.
        app.app.services.clock.set(instant("2026-05-01T10:00:00Z"));
        let mut billed = 0;
        for _ in 0..50 {
            billed = count().await;
            if billed > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(billed, 1, "the scheduler billed May once within 5 s");
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        assert_eq!(count().await, 1, "and only once");
    }
);
