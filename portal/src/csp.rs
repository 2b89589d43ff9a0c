//! The Content-Security-Policy every portal response carries. The portal's own pages load
//! nothing but themselves (no inline script or style, no third-party origin). With Stripe,
//! Stripe.js (`https://js.stripe.com`) is the one third-party script, allowed with the frames
//! Stripe's Payment Element and 3-D Secure run in and the API it talks to, and nothing else.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::middleware::Next;
use axum::response::Response;

use crate::Portal;

/// The policy without any third party (the sandbox).
pub const OWN_ONLY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'none'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy with Stripe.js and its frames (Stripe mode).
pub const WITH_STRIPE: &str = "default-src 'self'; script-src 'self' https://js.stripe.com; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self' https://api.stripe.com; \
     frame-src https://js.stripe.com https://hooks.stripe.com; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy for this portal's processor.
pub fn policy(stripe: bool) -> &'static str {
    if stripe { WITH_STRIPE } else { OWN_ONLY }
}

/// Adds the policy to every response that does not set its own.
pub(crate) async fn csp_middleware(
    State(portal): State<Portal>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let policy = policy(portal.config.stripe_publishable_key.is_some());
    response
        .headers_mut()
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(policy));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(policy: &str) -> Vec<&str> {
        policy
            .split([' ', ';'])
            .filter(|word| word.starts_with("https://") || word.starts_with("http://"))
            .collect()
    }

    #[test]
    fn the_sandbox_allows_no_third_party_and_stripe_only_its_own() {
        assert!(origins(OWN_ONLY).is_empty(), "{OWN_ONLY}");
        for origin in origins(WITH_STRIPE) {
            assert!(
                matches!(
                    origin,
                    "https://js.stripe.com" | "https://hooks.stripe.com" | "https://api.stripe.com"
                ),
                "{origin}"
            );
        }
        let scripts = WITH_STRIPE
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src"))
            .expect("a script-src");
        assert_eq!(scripts.trim(), "script-src 'self' https://js.stripe.com");
        assert!(!WITH_STRIPE.contains("unsafe"), "no inline script or eval");
    }
}
