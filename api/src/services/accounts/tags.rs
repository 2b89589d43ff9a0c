//! A customer's tags: the operator's own labels (`vip`, `wholesale`, `reseller`…), which staff
//! give a customer when they add it or later, and search by. Customers never see them.

use crate::error::{ServiceError, ServiceResult};

/// Most tags a customer has.
pub const MAX_TAGS: usize = 20;
/// Longest tag, in characters.
pub const MAX_TAG_LEN: usize = 40;

/// Tags as given, checked once: each trimmed and non-empty, at most [`MAX_TAG_LEN`] characters
/// on one line, without `"`, `\` or `,` (a list is typed comma-separated, and the stored JSON
/// array is then searched as plain text); the same tag twice in any case is kept once, as first
/// written; at most [`MAX_TAGS`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags(Vec<String>);

impl Tags {
    /// Checks `tags`; a blank entry is skipped. `BAD_USER_INPUT` on `field`, naming the tag.
    pub fn parse(field: &'static str, tags: &[String]) -> ServiceResult<Self> {
        let mut kept: Vec<String> = Vec::new();
        for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if tag.chars().count() > MAX_TAG_LEN {
                return Err(ServiceError::bad_input(
                    field,
                    format!("the tag \"{tag}\" is longer than {MAX_TAG_LEN} characters"),
                ));
            }
            if tag
                .chars()
                .any(|c| c.is_control() || matches!(c, '"' | '\\' | ','))
            {
                return Err(ServiceError::bad_input(
                    field,
                    format!("the tag \"{tag}\" may not hold a quote, a backslash or a comma"),
                ));
            }
            if !kept.iter().any(|k| k.to_lowercase() == tag.to_lowercase()) {
                kept.push(tag.to_owned());
            }
        }
        if kept.len() > MAX_TAGS {
            return Err(ServiceError::bad_input(
                field,
                format!("a customer has at most {MAX_TAGS} tags"),
            ));
        }
        Ok(Self(kept))
    }

    /// The tags, in the order given.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// The stored form: a JSON array of strings.
    pub fn to_column(&self) -> String {
        serde_json::Value::from(self.0.clone()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(tags: &[&str]) -> ServiceResult<Tags> {
        let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
        Tags::parse("input.tags", &tags)
    }

    #[test]
    fn tags_are_trimmed_deduplicated_in_any_case_and_blanks_skipped() {
        let tags = parse(&[" vip ", "", "Wholesale", "VIP", "  "]).unwrap();
        assert_eq!(tags.as_slice(), ["vip", "Wholesale"]);
        assert_eq!(tags.to_column(), r#"["vip","Wholesale"]"#);
        assert_eq!(parse(&[]).unwrap().to_column(), "[]");
    }

    #[test]
    fn a_tag_that_would_break_the_list_or_its_search_is_refused() {
        for bad in ["a,b", "say \"hi\"", "back\\slash", "tab\there"] {
            let error = parse(&[bad]).unwrap_err();
            assert!(
                matches!(&error, ServiceError::BadInput { field, .. } if field == "input.tags"),
                "{bad}: {error:?}"
            );
        }
        assert!(parse(&[&"x".repeat(MAX_TAG_LEN)]).is_ok());
        assert!(parse(&[&"x".repeat(MAX_TAG_LEN + 1)]).is_err());
        let many: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(parse(&refs[..MAX_TAGS]).is_ok());
        assert!(parse(&refs).is_err());
    }
}
