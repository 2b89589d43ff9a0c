//! The signed-in staff member.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::chrome::{Chrome, Nav};
use crate::cookies;
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::operations::{StaffViewer, staff_viewer};
use crate::{Console, SESSION_COOKIE};

/// A visitor with a console session cookie, as a handler argument; without one, the handler is
/// not called and the visitor is sent to sign in. Whether the session is still valid, and what
/// its role may do, is the API's to say.
pub struct Visitor {
    /// The session token (bearer) operations run with.
    pub session: String,
    /// The CSRF token of this request.
    pub csrf: CsrfToken,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let session =
            cookies::get(&parts.headers, SESSION_COOKIE).ok_or(PageError::Unauthenticated)?;
        let csrf = CsrfToken::from_request_parts(parts, state)
            .await
            .map_err(|_| PageError::Internal("the cookie middleware is not installed".into()))?;
        Ok(Self { session, csrf })
    }
}

impl Visitor {
    /// A form's token must be this page's; the session alone does not prove the visitor
    /// meant to submit it.
    pub fn verify_form(&self, submitted: &str) -> Result<(), PageError> {
        Ok(self.csrf.verify(submitted)?)
    }

    /// The frame of a page with `current` marked, for the staff member signed in (read from
    /// the API; a customer's session is no staff session: [`PageError::WrongAudience`]).
    pub async fn chrome(&self, console: &Console, current: Nav) -> Result<Chrome, PageError> {
        let data = self.staff_viewer(console).await?;
        Ok(Chrome::signed_in(
            self.csrf.as_str(),
            current,
            data.viewer.user.name,
            data.viewer.user.role,
        ))
    }

    /// `Ok` for a staff member's session: what a response without a page (a file) checks
    /// first, as [`Visitor::chrome`] does for pages. A customer's session is refused even for
    /// its own organisation's files: the console is for staff.
    pub async fn require_staff(&self, console: &Console) -> Result<(), PageError> {
        self.staff_viewer(console).await.map(|_| ())
    }

    /// The signed-in user as the API knows them, refused unless operator staff.
    async fn staff_viewer(
        &self,
        console: &Console,
    ) -> Result<staff_viewer::ResponseData, PageError> {
        let data = console
            .run::<StaffViewer>(staff_viewer::Variables, Some(&self.session))
            .await?;
        if data.viewer.organisation.is_some() {
            return Err(PageError::WrongAudience);
        }
        Ok(data)
    }
}
