//! Stripe events that are not believed on their own word, and the event-id table: a setup of a
//! kind we do not take is acknowledged with nothing written; `mandate.updated` acts on the
//! mandate as Stripe holds it, not as the event says; a replayed event that would change
//! state again is applied once because its id is recorded.

use entity::{audit_log, payment_method, stripe_event};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use tests::stripe::{FakeStripe, TestMethod, deliver, event, signed};
use tests::{Backend, TestApp};

use super::stripe::{save_method, stripe_test};
use super::*;
use api::services::payments::processor::SetupKind;

async fn count_events(app: &TestApp) -> u64 {
    stripe_event::Entity::find()
        .count(app.app.db.reads())
        .await
        .expect("events")
}

async fn count_methods(app: &TestApp) -> u64 {
    payment_method::Entity::find()
        .count(app.app.db.reads())
        .await
        .expect("methods")
}

async fn count_audit(app: &TestApp) -> u64 {
    audit_log::Entity::find()
        .count(app.app.db.reads())
        .await
        .expect("audit")
}

stripe_test!(
    a_setup_of_a_method_kind_we_do_not_take_is_acknowledged_and_writes_nothing,
    |app, stripe| {
        let acme = app.customer_id("Acme Telecom").await;
        let actor = super::attempts::acme_billing_admin(&app, &acme).await;
        let session = app
            .app
            .services
            .payments
            .begin_setup(&actor, acme.parse().expect("id"), SetupKind::Card)
            .await
            .expect("a setup")
            .session;
        stripe.complete_setup(&session.reference, TestMethod::Unsupported);
        let object = stripe.setup(&session.reference).expect("the setup");
        let body = event("evt_setup_link", "setup_intent.succeeded", object);
        let audit_before = count_audit(&app).await;
        for _ in 0..2 {
            assert_eq!(
                deliver(&app, &body, &signed(&app, &body)).await,
                200,
                "acknowledged: Stripe must not retry it for days"
            );
        }
        assert_eq!(count_methods(&app).await, 0);
        assert_eq!(count_events(&app).await, 0);
        assert_eq!(count_audit(&app).await, audit_before);
    }
);

stripe_test!(
    a_mandate_update_acts_on_the_mandate_stripe_holds_not_on_the_event,
    |app, stripe| {
        let acme = app.customer_id("Acme Telecom").await;
        let method = save_method(&app, &stripe, &acme, TestMethod::Iban).await;
        let mandate = stripe.mandate_for(&method.processor_method);
        // The event says revoked; Stripe says active: the method stays.
        let lying = event(
            "evt_mandate_lies",
            "mandate.updated",
            json!({ "id": mandate, "object": "mandate", "status": "inactive",
                "payment_method": method.processor_method }),
        );
        assert_eq!(deliver(&app, &lying, &signed(&app, &lying)).await, 200);
        assert_eq!(count_methods(&app).await, 1, "Stripe says it is active");
        // Revoked at Stripe: a stale-looking event (status active) still removes it.
        let revoked = stripe.set_mandate_status(&mandate, "inactive");
        let mut stale = revoked.clone();
        stale["status"] = json!("active");
        let body = event("evt_mandate_revoked", "mandate.updated", stale);
        for _ in 0..3 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        assert_eq!(count_methods(&app).await, 0, "the mandate is revoked");
        // A mandate Stripe does not know: refused, nothing written.
        let events_before = count_events(&app).await;
        let unknown = event(
            "evt_mandate_unknown",
            "mandate.updated",
            json!({ "id": "mandate_not_ours", "object": "mandate", "status": "inactive",
                "payment_method": method.processor_method }),
        );
        assert_eq!(deliver(&app, &unknown, &signed(&app, &unknown)).await, 400);
        assert_eq!(count_events(&app).await, events_before);
    }
);

stripe_test!(
    a_replayed_event_that_would_change_state_again_is_applied_once,
    |app, stripe| {
        let acme = app.customer_id("Acme Telecom").await;
        let actor = super::attempts::acme_billing_admin(&app, &acme).await;
        let session = app
            .app
            .services
            .payments
            .begin_setup(&actor, acme.parse().expect("id"), SetupKind::Card)
            .await
            .expect("a setup")
            .session;
        let method = stripe.complete_setup(&session.reference, TestMethod::Succeeds);
        let object = stripe.setup(&session.reference).expect("the setup");
        let body = event("evt_setup_once", "setup_intent.succeeded", object);
        assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        assert_eq!(count_methods(&app).await, 1);
        // The customer removes the method in the portal.
        let saved = payment_method::Entity::find()
            .one(app.app.db.reads())
            .await
            .expect("methods")
            .expect("the method");
        assert_eq!(saved.processor_method, method);
        let billing = app.as_billing_admin("Acme Telecom").await;
        let removed = billing
            .graphql(
                "mutation R($input: RemovePaymentMethodInput!) {
                    removePaymentMethod(input: $input) { removedPaymentMethodId } }",
                json!({ "input": { "paymentMethodId": saved.id.to_string() } }),
            )
            .await;
        assert!(removed["errors"].is_null(), "{removed}");
        assert_eq!(count_methods(&app).await, 0);
        // Stripe delivers the old event again: it is not applied again.
        for _ in 0..3 {
            assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        }
        assert_eq!(
            count_methods(&app).await,
            0,
            "the removed method stays removed"
        );
        // Without its id in the table, the same delivery would bring the method back.
        stripe_event::Entity::delete_by_id("evt_setup_once".to_owned())
            .exec(app.app.db.writes())
            .await
            .expect("forget the event");
        assert_eq!(deliver(&app, &body, &signed(&app, &body)).await, 200);
        assert_eq!(
            count_methods(&app).await,
            1,
            "what the event-id table prevents"
        );
    }
);
