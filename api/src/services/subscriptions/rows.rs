//! Subscription rows to `billing` types.

use billing::Period;
use entity::subscription;

use crate::error::{ServiceError, ServiceResult};

/// The current period of a subscription.
pub fn current_period(subscription: &subscription::Model) -> ServiceResult<Period> {
    Period::new(
        subscription.current_period_start,
        subscription.current_period_end,
    )
    .map_err(|e| ServiceError::corrupt("period", e))
}
