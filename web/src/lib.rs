//! What Billfold's two server-rendered UIs share. The customer portal (at `/`) and the
//! operator console (at `/admin`) are built the same way: askama pages that are GraphQL clients
//! of the schema, forms with a CSRF token, a session in an HttpOnly cookie. They differ in
//! where their cookies live, what their frame looks like and who may sign in, so each gives
//! those as a [`site::Site`] and this crate holds
//! the rest once.

pub mod api;
pub mod cookies;
pub mod csrf;
pub mod html;
pub mod page_error;
pub mod site;
