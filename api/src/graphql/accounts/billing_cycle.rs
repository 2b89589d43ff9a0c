//! A customer's billing cycle: the interval its new subscriptions bill at unless another is
//! chosen (the telecom platform asks for it when a customer is added).

use async_graphql::{InputObject, SimpleObject};
use billing::Interval;
use entity::customer;

use crate::error::ServiceError;
use crate::graphql::catalog::IntervalUnit;

/// How often a customer is billed by default.
#[derive(SimpleObject)]
pub struct BillingCycle {
    /// The unit.
    pub interval: IntervalUnit,
    /// How many units one cycle lasts (at least 1).
    pub interval_count: i32,
}

impl BillingCycle {
    /// The cycle of `customer`.
    pub fn of(customer: &customer::Model) -> Self {
        Self {
            interval: customer.billing_interval_unit.into(),
            interval_count: customer.billing_interval_count,
        }
    }
}

/// A billing cycle to set.
#[derive(InputObject)]
pub struct BillingCycleInput {
    /// The unit.
    pub interval: IntervalUnit,
    /// How many units one cycle lasts (at least 1).
    #[graphql(default = 1)]
    pub interval_count: u32,
}

impl BillingCycleInput {
    /// The interval this is; `BAD_USER_INPUT` on `{field}.intervalCount` when it is not one.
    pub fn parse(&self, field: &str) -> Result<Interval, ServiceError> {
        Interval::new(self.interval.into(), self.interval_count)
            .map_err(|e| ServiceError::bad_input(format!("{field}.intervalCount"), e.to_string()))
    }
}
