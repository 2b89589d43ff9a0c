//! Chooses and loads the token keys the configuration asks for.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::jwt::{JwtError, TokenKeys};
use crate::config::{Config, Secret};

/// File under the data directory that keeps the generated development secret, so that tokens
/// survive a restart.
pub const DEV_SECRET_FILE: &str = "jwt-secret";

/// EdDSA when key files are configured, HS256 with the configured secret otherwise, and in
/// development a random secret generated once and kept in `<data_dir>/jwt-secret`.
pub fn load_keys(config: &Config) -> Result<TokenKeys, JwtError> {
    let jwt = &config.jwt;
    if let (Some(private), Some(public)) = (&jwt.private_key_file, &jwt.public_key_file) {
        return TokenKeys::ed25519(jwt, private, public);
    }
    if let Some(secret) = &jwt.secret {
        return Ok(TokenKeys::hs256(jwt, secret));
    }
    // Config::validated refuses production without a key, so this is development only.
    let secret = development_secret(&config.data_dir.join(DEV_SECRET_FILE))?;
    Ok(TokenKeys::hs256(jwt, &secret))
}

fn development_secret(path: &Path) -> Result<Secret, JwtError> {
    let io = |e: std::io::Error| JwtError::Key(format!("{}: {e}", path.display()));
    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim();
        if existing.len() >= 32 {
            return Ok(Secret::new(existing));
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut bytes = [0u8; 48];
    getrandom::fill(&mut bytes).map_err(|e| JwtError::Key(e.to_string()))?;
    let secret = STANDARD.encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    file.write_all(secret.as_bytes()).map_err(io)?;
    tracing::info!(path = %path.display(), "generated a development signing key");
    Ok(Secret::new(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_development_secret_is_generated_once_and_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(DEV_SECRET_FILE);
        let first = development_secret(&path).expect("generated");
        let second = development_secret(&path).expect("read back");
        assert_eq!(first, second);
        assert!(first.expose().len() >= 32);
    }
}
