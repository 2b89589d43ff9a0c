//! The documents vault: the organisation's documents (download links to the API's
//! `/documents/{id}`), what it is asked for, and the upload form, which posts here with its
//! CSRF token and reaches the API through the transport (never `/graphql`).

mod documents;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::Portal;
use crate::route::path;

/// The vault's routes.
pub(super) fn routes() -> Router<Portal> {
    Router::new()
        .route(path::DOCUMENTS, get(documents::show))
        .route(
            path::UPLOAD_DOCUMENT,
            // The largest file the API accepts and room for the form around it: a larger body
            // is cut off unread and answered beside the file field.
            post(documents::upload).layer(DefaultBodyLimit::max(documents::MAX_FORM_BYTES)),
        )
}
