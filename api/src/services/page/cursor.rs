//! Cursors: a list's tag and the key values of a row, as base64url of a small versioned
//! encoding.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike, NaiveDate};
use uuid::Uuid;

use super::{KeyValue, PageError};

/// A position in a list: the key values of a row, and the list they belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub(super) list: String,
    pub(super) key: Vec<KeyValue>,
}

/// First byte of an encoded cursor, so that the encoding can change without misreading the
/// cursors clients still hold.
const CURSOR_VERSION: u8 = 1;
const TAG_TIME: u8 = b't';
const TAG_ID: u8 = b'i';
const TAG_DAY: u8 = b'd';
/// The message for a cursor that cannot be read, unchanged from the UUID cursors.
pub(super) const MALFORMED: &str = "invalid cursor";

impl Cursor {
    /// The cursor of the row whose key is `key` in the list tagged `list`.
    pub fn new(list: &str, key: Vec<KeyValue>) -> Self {
        Self {
            list: list.to_owned(),
            key,
        }
    }

    /// The list this cursor belongs to.
    pub fn list(&self) -> &str {
        &self.list
    }

    /// The key values of the row it points at.
    pub fn key(&self) -> &[KeyValue] {
        &self.key
    }

    /// The opaque text handed to clients (URL-safe, so the portal can put it in a link).
    pub fn encode(&self) -> String {
        let mut bytes = vec![CURSOR_VERSION];
        // Tags are short constants and keys have two or three parts: one byte each is plenty,
        // and `decode` refuses anything else.
        bytes.push(u8::try_from(self.list.len()).unwrap_or(u8::MAX));
        bytes.extend_from_slice(self.list.as_bytes());
        bytes.push(u8::try_from(self.key.len()).unwrap_or(u8::MAX));
        for value in &self.key {
            match value {
                KeyValue::Time(at) => {
                    bytes.push(TAG_TIME);
                    bytes.extend_from_slice(&at.timestamp().to_be_bytes());
                    bytes.extend_from_slice(&at.timestamp_subsec_nanos().to_be_bytes());
                }
                KeyValue::Id(id) => {
                    bytes.push(TAG_ID);
                    bytes.extend_from_slice(id.as_bytes());
                }
                KeyValue::Day(day) => {
                    bytes.push(TAG_DAY);
                    bytes.extend_from_slice(&day.num_days_from_ce().to_be_bytes());
                }
            }
        }
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Reads a cursor from a client; anything `encode` did not produce is refused.
    pub fn decode(text: &str) -> Result<Self, PageError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| PageError::BadCursor(MALFORMED))?;
        Self::from_bytes(&bytes).ok_or(PageError::BadCursor(MALFORMED))
    }

    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut input = Reader(bytes);
        if input.byte()? != CURSOR_VERSION {
            return None;
        }
        let tag_len = usize::from(input.byte()?);
        let list = std::str::from_utf8(input.take(tag_len)?).ok()?.to_owned();
        let parts = input.byte()?;
        let mut key = Vec::with_capacity(usize::from(parts));
        for _ in 0..parts {
            key.push(match input.byte()? {
                TAG_TIME => {
                    let seconds = i64::from_be_bytes(input.take(8)?.try_into().ok()?);
                    let nanos = u32::from_be_bytes(input.take(4)?.try_into().ok()?);
                    KeyValue::Time(DateTime::from_timestamp(seconds, nanos)?)
                }
                TAG_ID => KeyValue::Id(Uuid::from_slice(input.take(16)?).ok()?),
                // Years 1 to 9999 only: what both databases store (PostgreSQL refuses a date
                // chrono accepts, which would be a 500 instead of a bad cursor).
                TAG_DAY => KeyValue::Day(
                    NaiveDate::from_num_days_from_ce_opt(i32::from_be_bytes(
                        input.take(4)?.try_into().ok()?,
                    ))
                    .filter(|day| (1..=9999).contains(&day.year()))?,
                ),
                _ => return None,
            });
        }
        input.0.is_empty().then_some(Self { list, key })
    }
}

/// Consumes a byte slice from the front.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }
}
