//! The Content-Security-Policy every portal response carries. The portal's pages load nothing
//! but themselves (no inline script or style, no third-party origin). With Stripe, the two
//! pages that run Stripe.js (the Payment Element that adds a card or an account, and the
//! payment authentication page) carry [`WITH_STRIPE`] instead ([`allow_stripe`]): Stripe.js
//! (`https://js.stripe.com`) is the one third-party script, allowed with the frames Stripe's
//! Payment Element and 3-D Secure run in (`js.stripe.com`, and `hooks.stripe.com` for the
//! bank's challenge) and the API it talks to, and nothing else. Every other page, and every
//! page of the sandbox, carries [`OWN_ONLY`].

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::middleware::Next;
use axum::response::Response;

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

/// Gives a page that runs Stripe.js the policy that allows it. Only the Stripe pages call it,
/// and only when Stripe is configured.
pub(crate) fn allow_stripe(mut response: Response) -> Response {
    response.headers_mut().insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(WITH_STRIPE),
    );
    response
}

/// Adds [`OWN_ONLY`] to every response that does not set its own policy.
pub(crate) async fn csp_middleware(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(OWN_ONLY));
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
