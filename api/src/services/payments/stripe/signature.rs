//! Stripe's webhook signature: the `Stripe-Signature` header is `t=<unix seconds>,v1=<hex>`
//! (more `v1` entries while a secret is being rolled), `v1` being HMAC-SHA256 of
//! `"{t}.{payload}"` keyed with the endpoint's signing secret. An event is accepted when one
//! `v1` matches, compared in constant time, and `t` is within the tolerance of now, either
//! way: an old event replayed by someone who captured it is refused once it is stale.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far an event's timestamp may be from now, in seconds (Stripe's own libraries' default).
pub const TOLERANCE_SECONDS: i64 = 300;

/// Why a signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// No `Stripe-Signature` header, or no `t` or no `v1` in it.
    Missing,
    /// The header is not `t=…,v1=…`.
    Malformed,
    /// Its timestamp is further from now than the tolerance.
    Stale,
    /// No `v1` is the payload's signature with our secret.
    Mismatch,
}

fn mac(secret: &str, timestamp: i64, payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

/// Checks `header` against `payload` with `secret` at `now` (unix seconds).
pub fn verify(
    header: Option<&str>,
    payload: &[u8],
    secret: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let (key, value) = part
            .trim()
            .split_once('=')
            .ok_or(SignatureError::Malformed)?;
        match key {
            "t" if timestamp.is_none() => {
                timestamp = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                );
            }
            "t" => return Err(SignatureError::Malformed),
            "v1" => signatures.push(decode_hex(value).ok_or(SignatureError::Malformed)?),
            // `v0` (test mode's legacy scheme) and future schemes are ignored, as Stripe says.
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Missing)?;
    if signatures.is_empty() {
        return Err(SignatureError::Missing);
    }
    // `abs_diff`: a forged `t` near `i64::MIN` must be stale, not an overflow.
    if now.abs_diff(timestamp) > TOLERANCE_SECONDS.unsigned_abs() {
        return Err(SignatureError::Stale);
    }
    let expected = mac(secret, timestamp, payload);
    // `verify_slice` compares in constant time.
    if signatures
        .iter()
        .any(|s| expected.clone().verify_slice(s).is_ok())
    {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The header Stripe would send for `payload` signed with `secret` at `timestamp`: what the
/// tests deliver events with.
pub fn header_for(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let bytes = mac(secret, timestamp, payload).finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;

    #[test]
    fn a_signature_made_with_the_secret_within_the_tolerance_is_accepted() {
        let header = header_for(BODY, SECRET, 1_000_000);
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_000_000), Ok(()));
        // The boundary: 300 s either way passes, 301 s does not.
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_000_300), Ok(()));
        assert_eq!(verify(Some(&header), BODY, SECRET, 999_700), Ok(()));
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 1_000_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 999_699),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn a_timestamp_at_the_ends_of_the_range_is_stale_not_an_overflow() {
        for t in [i64::MIN, i64::MAX] {
            let header = format!("t={t},v1=00");
            assert_eq!(
                verify(Some(&header), BODY, SECRET, 1_000_000),
                Err(SignatureError::Stale)
            );
        }
    }

    #[test]
    fn a_signature_computed_by_openssl_verifies() {
        // Computed independently: `printf '1492774577.{}' | openssl dgst -sha256 -hmac k`.
        let header =
            "t=1492774577,v1=d9c1b71acbce894cb51c302793f44bcf578d770bacaf1c39bd9e082de9ee0a48";
        assert_eq!(verify(Some(header), b"{}", "k", 1_492_774_577), Ok(()));
    }

    #[test]
    fn another_secret_another_body_or_no_header_is_refused() {
        let header = header_for(BODY, "whsec_other", 1_000_000);
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        let header = header_for(BODY, SECRET, 1_000_000);
        assert_eq!(
            verify(Some(&header), b"{}", SECRET, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(None, BODY, SECRET, 1_000_000),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(Some("t=1000000"), BODY, SECRET, 1_000_000),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify(Some("t=x,v1=00"), BODY, SECRET, 1_000_000),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(Some("t=1000000,v1=zz"), BODY, SECRET, 1_000_000),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn one_matching_signature_among_several_is_enough() {
        let good = header_for(BODY, SECRET, 1_000_000);
        let v1 = good.split_once(",v1=").map(|(_, s)| s).unwrap_or_default();
        let header = format!("t=1000000,v1={},v1={v1},v0=abcd", "00".repeat(32));
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_000_000), Ok(()));
    }
}
