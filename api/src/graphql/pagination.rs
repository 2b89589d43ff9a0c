//! Relay connections (`first`/`after`) with an enforced maximum page size.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::{ServiceError, ServiceResult};
use crate::services::page::{Page, PageRequest};

/// Page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// Validates `first` and `after` into a page request.
pub fn page_request(
    first: Option<i32>,
    after: Option<&str>,
    max: u32,
) -> ServiceResult<PageRequest> {
    let first = first.unwrap_or(DEFAULT_PAGE_SIZE.min(max) as i32);
    let limit = u32::try_from(first)
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            ServiceError::bad_input("first", format!("first must be between 0 and {max}"))
        })?;
    let after = after
        .map(|cursor| {
            decode_cursor(cursor).ok_or_else(|| ServiceError::bad_input("after", "invalid cursor"))
        })
        .transpose()?;
    Ok(PageRequest {
        limit: u64::from(limit),
        after,
    })
}

/// Builds a connection from a page; `key` gives each row's UUID for its cursor.
pub fn connection<T, K: Into<Uuid>, N: OutputType>(
    page: Page<T>,
    key: impl Fn(&T) -> K,
    node: impl Fn(T) -> N,
    had_cursor: bool,
) -> Connection<String, N> {
    let mut connection = Connection::new(had_cursor, page.has_next_page);
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(encode_cursor(key(&item).into()), node(item))),
    );
    connection
}

/// Complexity of a connection field: its children cost once per requested row.
pub fn complexity(child_complexity: usize, first: Option<i32>) -> usize {
    let rows = first.map_or(DEFAULT_PAGE_SIZE as usize, |n| {
        usize::try_from(n).unwrap_or(0)
    });
    rows.saturating_mul(child_complexity).saturating_add(1)
}

fn encode_cursor(key: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    Uuid::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_is_bounded_by_the_maximum() {
        assert_eq!(
            page_request(None, None, 100).map(|p| p.limit).ok(),
            Some(20)
        );
        assert_eq!(
            page_request(Some(100), None, 100).map(|p| p.limit).ok(),
            Some(100)
        );
        assert!(page_request(Some(101), None, 100).is_err());
        assert!(page_request(Some(-1), None, 100).is_err());
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let key = Uuid::now_v7();
        let request = page_request(Some(5), Some(&encode_cursor(key)), 100).ok();
        assert_eq!(request.and_then(|r| r.after), Some(key));
        assert!(page_request(Some(5), Some("not a cursor"), 100).is_err());
    }
}
