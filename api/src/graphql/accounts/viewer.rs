//! The accounts slice's fields of `Viewer`.

use async_graphql::SimpleObject;

use super::types::User;
use crate::graphql::customer::Customer;

/// The signed-in user and, for a customer user, their organisation.
#[derive(SimpleObject)]
pub struct ViewerAccount {
    /// The signed-in user.
    pub user: User,
    /// The customer organisation of a customer user; null for operator staff.
    pub organisation: Option<Customer>,
}
