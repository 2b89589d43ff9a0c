//! Relay connections (`first`/`after`) with an enforced maximum page size, over the keyset
//! pages of `services::page`.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};

use crate::error::{ServiceError, ServiceResult};
use crate::services::page::{Cursor, Page, PageRequest};

/// Page size when `first` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// Validates `first` and `after` into a page request. A cursor that cannot be read answers
/// `BAD_USER_INPUT` on `after` here; one of another list, when the service reads the page.
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
    let after = after.map(Cursor::decode).transpose()?;
    Ok(PageRequest {
        limit: u64::from(limit),
        after,
    })
}

/// Builds a connection from a page; `node` turns each row into its GraphQL object.
pub fn connection<T, N: OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> Connection<String, N> {
    let mut connection = Connection::new(page.has_previous_page, page.has_next_page);
    connection.edges.extend(
        page.edges
            .into_iter()
            .map(|(cursor, item)| Edge::new(cursor.encode(), node(item))),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::page::time_key;
    use chrono::Utc;
    use uuid::Uuid;

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
    fn zero_rows_may_be_asked_for() {
        assert_eq!(
            page_request(Some(0), None, 100).map(|p| p.limit).ok(),
            Some(0)
        );
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_a_bad_input_on_after() {
        let cursor = Cursor::new("teams", time_key(Utc::now(), Uuid::now_v7()));
        let request = page_request(Some(5), Some(&cursor.encode()), 100).ok();
        assert_eq!(request.and_then(|r| r.after), Some(cursor));
        for garbage in ["not a cursor", "", "AAAA"] {
            let error = page_request(Some(5), Some(garbage), 100).err();
            assert!(
                matches!(&error, Some(ServiceError::BadInput { field, .. }) if field == "after"),
                "{garbage:?}: {error:?}"
            );
        }
    }
}
