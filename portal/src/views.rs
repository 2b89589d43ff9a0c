//! Page templates (askama, in `templates/`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// The sign-in page.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// CSRF token for the form.
    pub csrf: String,
    /// The e-mail typed so far, kept after an error.
    pub email: String,
    /// Error shown next to the e-mail field.
    pub email_error: Option<String>,
    /// Error shown next to the password field.
    pub password_error: Option<String>,
    /// Error shown above the form.
    pub form_error: Option<String>,
}

/// The account page: who is signed in.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    /// CSRF token for the sign-out form.
    pub csrf: String,
    /// The user's name.
    pub name: String,
    /// The user's e-mail.
    pub email: String,
    /// The user's role, as shown to people.
    pub role: String,
    /// The organisation's name, for customer users.
    pub organisation: Option<String>,
    /// The organisation's billing currency.
    pub currency: Option<String>,
}

/// A page for errors that leave nothing else to show.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// Heading.
    pub title: String,
    /// Explanation.
    pub message: String,
}

/// Renders a template, or a plain 500 if the template itself fails.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}
