//! "Contains this text, in any case" as SQL, the same on SQLite and PostgreSQL: both sides
//! lower-cased, and the text's own `%`, `_` and `\` escaped so they match themselves.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};

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
}
