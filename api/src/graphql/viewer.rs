//! `Viewer`, the signed-in user's view, assembled from one object per slice like `Customer`.

use async_graphql::MergedObject;

use super::accounts;

/// The signed-in user and, for a customer user, their organisation.
#[derive(MergedObject)]
pub struct Viewer(accounts::ViewerAccount);

impl Viewer {
    /// The viewer from each slice's part.
    pub fn new(account: accounts::ViewerAccount) -> Self {
        Viewer(account)
    }
}
