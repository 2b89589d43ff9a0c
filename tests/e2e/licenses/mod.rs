//! Licenses end to end: staff set up a product, price and subscription; customer users preview
//! and apply binding quotes, assign seats and read the upcoming charges.

mod browser;
mod changes;
mod concurrency;
mod isolation;
mod paging;
mod portal;
mod state;

/// 10:00 in Paris on 2 April 2026: 29 of April's 30 days remain.
pub const APRIL_2: &str = "2026-04-02T08:00:00Z";
/// 10:00 in Paris on 9 April 2026: 22 of 30 days remain.
pub const APRIL_9: &str = "2026-04-09T08:00:00Z";
