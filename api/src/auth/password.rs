//! Argon2id password hashes in PHC string form.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Hashes a password with Argon2id (default parameters) and a random salt.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())?
        .to_string())
}

/// Checks a password against a stored hash. With no stored hash (unknown user) it still spends
/// the time of one verification, so that response times do not reveal which e-mails exist.
pub fn verify_password(password: &str, stored_hash: Option<&str>) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password("billfold-decoy-password").unwrap_or_default());
    let (hash, known) = match stored_hash {
        Some(hash) => (hash, true),
        None => (decoy.as_str(), false),
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok();
    known && matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", Some(&hash)));
        assert!(!verify_password("wrong horse", Some(&hash)));
    }

    #[test]
    fn no_stored_hash_never_verifies() {
        assert!(!verify_password("billfold-decoy-password", None));
    }

    #[test]
    fn a_corrupt_hash_never_verifies() {
        assert!(!verify_password("x", Some("not-a-phc-string")));
    }
}
