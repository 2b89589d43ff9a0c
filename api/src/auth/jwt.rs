//! JSON Web Tokens: issued at login, verified on every request.
//!
//! Verification allows only the configured algorithm, requires `exp`, `iss`, `aud` and `sub`,
//! and tolerates at most [`LEEWAY_SECONDS`] of clock skew (jsonwebtoken's default is 60 s).

use std::path::Path;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{JwtConfig, Secret};

/// Clock skew tolerated when checking `exp`.
pub const LEEWAY_SECONDS: u64 = 5;

/// The claims Billfold writes and reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id (`usr_…`).
    pub sub: String,
    /// The user's role (`admin`, `staff`, `owner`, `billing_admin`, `viewer`).
    pub role: String,
    /// The customer organisation (`cus_…`) of a customer user; absent for staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Issuer. Defaulted when absent so that the validation's required-claims rule, not
    /// deserialisation, is what refuses a token without one.
    #[serde(default)]
    pub iss: String,
    /// Audience (defaulted when absent, as `iss`).
    #[serde(default)]
    pub aud: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Unique token id.
    pub jti: String,
    /// The user's session version when the token was issued (`users.session_version`): a
    /// change of password bumps it, and every older token stops working. Absent in tokens
    /// issued before versions existed, which is version 0.
    #[serde(default)]
    pub ver: i64,
}

/// A freshly signed token.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Why a token could not be issued or was refused.
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    /// The token is invalid (signature, algorithm, claims, expiry…). Deliberately vague.
    #[error("invalid token")]
    Invalid,
    /// A key file could not be read or parsed.
    #[error("cannot load JWT key: {0}")]
    Key(String),
    /// Signing failed.
    #[error("cannot sign token: {0}")]
    Sign(String),
}

/// Signing and verification keys plus the validation rules, built once at start-up.
pub struct TokenKeys {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_seconds: i64,
}

impl TokenKeys {
    /// HS256 keys from a shared secret.
    pub fn hs256(config: &JwtConfig, secret: &Secret) -> Self {
        let bytes = secret.expose().as_bytes();
        Self::new(
            config,
            Algorithm::HS256,
            EncodingKey::from_secret(bytes),
            DecodingKey::from_secret(bytes),
        )
    }

    /// EdDSA (Ed25519) keys from PEM files.
    pub fn ed25519(
        config: &JwtConfig,
        private_pem: &Path,
        public_pem: &Path,
    ) -> Result<Self, JwtError> {
        let read = |path: &Path| {
            std::fs::read(path).map_err(|e| JwtError::Key(format!("{}: {e}", path.display())))
        };
        let encoding = EncodingKey::from_ed_pem(&read(private_pem)?)
            .map_err(|e| JwtError::Key(e.to_string()))?;
        let decoding = DecodingKey::from_ed_pem(&read(public_pem)?)
            .map_err(|e| JwtError::Key(e.to_string()))?;
        Ok(Self::new(config, Algorithm::EdDSA, encoding, decoding))
    }

    fn new(
        config: &JwtConfig,
        algorithm: Algorithm,
        encoding: EncodingKey,
        decoding: DecodingKey,
    ) -> Self {
        let mut validation = Validation::new(algorithm);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        validation.validate_nbf = false;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[config.issuer.as_str()]);
        validation.set_audience(&[config.audience.as_str()]);
        Self {
            algorithm,
            encoding,
            decoding,
            validation,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            ttl_seconds: i64::try_from(config.ttl_seconds).unwrap_or(i64::MAX),
        }
    }

    /// The algorithm tokens are signed with.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Signs a token for `sub` with `role` (and `tenant` for customer users) at the user's
    /// session version `ver`, valid from now for the configured lifetime.
    pub fn issue(
        &self,
        sub: String,
        role: String,
        tenant: Option<String>,
        ver: i64,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, JwtError> {
        let expires_at = now + chrono::Duration::seconds(self.ttl_seconds);
        let claims = Claims {
            sub,
            role,
            tenant,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: expires_at.timestamp(),
            iat: now.timestamp(),
            jti: uuid::Uuid::now_v7().simple().to_string(),
            ver,
        };
        self.sign(&claims)
            .map(|token| IssuedToken { token, expires_at })
    }

    /// Signs arbitrary claims with this server's key (also used by tests to forge edge cases).
    pub fn sign(&self, claims: &Claims) -> Result<String, JwtError> {
        jsonwebtoken::encode(&Header::new(self.algorithm), claims, &self.encoding)
            .map_err(|e| JwtError::Sign(e.to_string()))
    }

    /// Verifies a token and returns its claims.
    pub fn verify(&self, token: &str) -> Result<Claims, JwtError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| {
                tracing::debug!(reason = %e, "token refused");
                JwtError::Invalid
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::hs256(&JwtConfig::default(), &Secret::new("k".repeat(32)))
    }

    #[test]
    fn an_issued_token_verifies() {
        let keys = keys();
        let issued = keys
            .issue(
                "usr_1".into(),
                "viewer".into(),
                Some("cus_1".into()),
                0,
                Utc::now(),
            )
            .expect("sign");
        let claims = keys.verify(&issued.token).expect("valid");
        assert_eq!(claims.sub, "usr_1");
        assert_eq!(claims.tenant.as_deref(), Some("cus_1"));
        assert_eq!(claims.aud, "billfold-api");
    }

    #[test]
    fn leeway_is_a_few_seconds_not_a_minute() {
        let keys = keys();
        let issued = keys
            .issue(
                "usr_1".into(),
                "admin".into(),
                None,
                0,
                Utc::now() - chrono::Duration::seconds(8 * 3600 + 30),
            )
            .expect("sign");
        assert!(
            keys.verify(&issued.token).is_err(),
            "expired 30 s ago must be refused"
        );
    }
}
