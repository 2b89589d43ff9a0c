//! What makes a UI one: where its cookies live, where it signs in and how its error page looks
//! ([`Site`]), and the middleware every one of its requests goes through.

use axum::extract::{Request, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::cookies::{CookieSettings, SessionCookie};
use crate::csrf::CsrfToken;
use crate::page_error::{ErrorShown, SignInAgain};

/// A server-rendered UI: the portal or the console.
pub trait Site: Clone + Send + Sync + 'static {
    /// Path of its sign-in page, where a visitor without a valid session is sent.
    const SIGN_IN: &'static str;
    /// Heading and text for someone signed in who is not this UI's audience.
    const WRONG_AUDIENCE: (&'static str, &'static str);

    /// Where its cookies live and how its session cookie behaves.
    fn cookies(&self) -> CookieSettings;

    /// Its error page with `title` and `message`, in its own frame, with `status`.
    fn error_page(&self, status: StatusCode, title: &'static str, message: String) -> Response;
}

/// Every request of a UI goes through here (`middleware::from_fn_with_state(site,
/// middleware::<S>)`): it gets its CSRF token (a new one, sent as a cookie, on a first visit);
/// a [`PageError`](crate::page_error::PageError) becomes the UI's error page or a redirect to
/// its sign-in; a response's [`SessionCookie`] change becomes a `Set-Cookie`.
pub async fn middleware<S: Site>(
    State(site): State<S>,
    mut request: Request,
    next: Next,
) -> Response {
    let settings = site.cookies();
    let (csrf, new_csrf_cookie) = CsrfToken::for_request(request.headers(), &settings);
    request.extensions_mut().insert(csrf);
    let mut response = next.run(request).await;
    let session_change = response.extensions_mut().remove::<SessionCookie>();
    if response.extensions().get::<SignInAgain>().is_some() {
        response = (StatusCode::SEE_OTHER, [(LOCATION, S::SIGN_IN)]).into_response();
    } else if let Some(shown) = response.extensions_mut().remove::<ErrorShown>() {
        let (title, message) = match shown.message {
            Some(message) => (shown.title, message),
            None => (S::WRONG_AUDIENCE.0, S::WRONG_AUDIENCE.1.to_owned()),
        };
        response = site.error_page(response.status(), title, message);
    }
    let session_cookie = session_change.map(|change| settings.session(change));
    for cookie in new_csrf_cookie.into_iter().chain(session_cookie) {
        match HeaderValue::from_str(&cookie) {
            Ok(value) => {
                response.headers_mut().append(SET_COOKIE, value);
            }
            Err(error) => tracing::error!(%error, "a cookie that is not a header value"),
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page_error::PageError;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    #[derive(Clone)]
    struct Test;

    impl Site for Test {
        const SIGN_IN: &'static str = "/t/login";
        const WRONG_AUDIENCE: (&'static str, &'static str) = ("Staff only", "Sign in as staff.");

        fn cookies(&self) -> CookieSettings {
            CookieSettings {
                path: "/t",
                csrf_cookie: "t_csrf",
                session_cookie: "t_session",
                session_same_site: "Strict",
                session_ttl_seconds: 60,
                secure: false,
            }
        }

        fn error_page(&self, status: StatusCode, title: &'static str, message: String) -> Response {
            (status, format!("<h1>{title}</h1><p>{message}</p>")).into_response()
        }
    }

    async fn answer(error: PageError) -> Response {
        let error = std::sync::Mutex::new(Some(error));
        let error = std::sync::Arc::new(error);
        let app = Router::new()
            .route(
                "/t",
                get(move || {
                    let error = std::sync::Arc::clone(&error);
                    async move { error.lock().expect("lock").take().expect("once") }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Test,
                middleware::<Test>,
            ));
        let request = Request::get("/t").body(Body::empty()).expect("request");
        app.oneshot(request).await.expect("infallible")
    }

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }

    #[tokio::test]
    async fn an_error_is_the_sites_page_and_a_lost_session_signs_in_again() {
        let response = answer(PageError::WrongAudience).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(
            body(response)
                .await
                .contains("<h1>Staff only</h1><p>Sign in as staff.</p>")
        );

        let response = answer(PageError::NotFound).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let cookies: Vec<_> = response.headers().get_all(SET_COOKIE).iter().collect();
        assert_eq!(
            cookies.len(),
            1,
            "a first visit gets its CSRF cookie: {cookies:?}"
        );
        assert!(body(response).await.contains("<h1>Not found</h1>"));

        let response = answer(PageError::Unauthenticated).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/t/login");
        assert!(
            response.headers().get_all(SET_COOKIE).iter().any(|c| c
                .to_str()
                .is_ok_and(|c| c.starts_with("t_session=; Path=/t;"))),
            "the session cookie is deleted"
        );
    }
}
