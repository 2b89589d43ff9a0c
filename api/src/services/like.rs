//! "Contains this text, in any case" as SQL, the same on SQLite and PostgreSQL: both sides
//! lower-cased, and the text's own `%`, `_` and `\` escaped so they match themselves.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};

use crate::error::{ServiceError, ServiceResult};

/// Longest search a list accepts, in characters.
pub const MAX_SEARCH: usize = 200;

/// A list's search as typed: trimmed and lower-cased, `None` when blank; `BAD_USER_INPUT` on
/// `field` when longer than [`MAX_SEARCH`].
pub fn search_text(field: &str, text: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_SEARCH {
        return Err(ServiceError::bad_input(
            field,
            format!("a search is at most {MAX_SEARCH} characters"),
        ));
    }
    Ok(Some(text.to_lowercase()))
}

/// `text` with LIKE's wildcards (and the escape character itself) escaped by `\`.
pub fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Whether `column`, lower-cased, contains `lowercase_text` (already lower-cased).
pub fn contains_lowercase(column: Expr, lowercase_text: &str) -> SimpleExpr {
    let pattern = format!("%{}%", escape_like(lowercase_text));
    Expr::expr(Func::lower(column)).like(LikeExpr::new(pattern).escape('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_themselves() {
        assert_eq!(escape_like(r"50%_off\"), r"50\%\_off\\");
        assert_eq!(escape_like("plain"), "plain");
    }

    #[test]
    fn a_search_is_trimmed_lower_cased_and_bounded() {
        assert_eq!(
            search_text("search", Some("  Acme ")).unwrap(),
            Some("acme".into())
        );
        assert_eq!(search_text("search", Some("   ")).unwrap(), None);
        assert_eq!(search_text("search", None).unwrap(), None);
        assert!(search_text("search", Some(&"x".repeat(MAX_SEARCH))).is_ok());
        assert!(search_text("search", Some(&"x".repeat(MAX_SEARCH + 1))).is_err());
    }
}
