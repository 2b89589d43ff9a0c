//! Coupons: the catalog and its application (operator staff), and the coupons applied to an
//! organisation (its users read them).

mod customer;
mod mutation;
mod query;
mod types;

pub use customer::CustomerCoupons;
pub use mutation::CouponsMutation;
pub use query::CouponsQuery;
