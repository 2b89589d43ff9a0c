//! The demo's payment methods, for `cargo run` (the tests add their own): Globex pays by card,
//! Stripe's always-succeeding test card as its default, so its open invoice is charged at the
//! first collection tick and every invoice a billing run issues for it at the next one. Acme
//! has none: its billing admin adds one in the portal and pays the open invoice there. Added
//! through the same service as the portal, so the demo obeys the same rules and audit log.

use chrono::Datelike;
use entity::customer;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::admin_actor;
use crate::BoxError;
use crate::services::Services;
use crate::services::payments::methods::NewMethod;
use crate::services::payments::processor::{CardDetails, Sensitive};

/// Gives Globex a default sandbox card (with the sandbox only).
pub(super) async fn seed_payment_methods(
    db: &DatabaseConnection,
    services: &Services,
) -> Result<(), BoxError> {
    if services.payments.processor().name() != "sandbox" {
        // With Stripe, a card is added in Stripe's own form: there is none to type here.
        return Ok(());
    }
    let admin = admin_actor(db).await?;
    let globex = customer::Entity::find()
        .filter(customer::Column::Name.eq("Globex"))
        .one(db)
        .await?
        .ok_or("demo organisation Globex missing")?;
    let card = CardDetails {
        number: Sensitive::new("4242 4242 4242 4242"),
        exp_month: 12,
        exp_year: services.clock.now().year() + 3,
        cvc: Sensitive::new("123"),
    };
    services
        .payments
        .add_method(&admin, None, globex.id, NewMethod::Card(card), true)
        .await
        .map_err(|e| format!("demo card for Globex: {e:?}"))?;
    Ok(())
}
