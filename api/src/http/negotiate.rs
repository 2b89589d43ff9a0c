//! Content negotiation for `/graphql` (GraphQL over HTTP): which request bodies are accepted
//! and which media type a response is written in.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, CONTENT_TYPE};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type a response is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseFormat {
    /// `application/graphql-response+json`: the HTTP status reflects request errors.
    GraphqlResponse,
    /// `application/json`: legacy, always 200 for well-formed requests.
    Json,
}

impl ResponseFormat {
    /// The `Content-Type` of a response in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ResponseFormat::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            ResponseFormat::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type from `Accept`, by highest quality; on a tie the GraphQL
/// response type wins. No header means `application/json`; nothing acceptable means `None`
/// (406).
pub fn negotiate(headers: &HeaderMap) -> Option<ResponseFormat> {
    let Some(accept) = headers.get(ACCEPT) else {
        return Some(ResponseFormat::Json);
    };
    let accept = accept.to_str().ok()?;
    // Quality in thousandths, to compare without floating point.
    let mut best: Option<(u32, ResponseFormat)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let quality = parts
            .find_map(|p| p.strip_prefix("q="))
            .map_or(Some(1000), parse_quality);
        let Some(quality) = quality.filter(|q| *q > 0) else {
            continue;
        };
        let format = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => ResponseFormat::GraphqlResponse,
            JSON | "application/*" | "*/*" => ResponseFormat::Json,
            _ => continue,
        };
        let better = match best {
            None => true,
            Some((q, f)) => {
                quality > q
                    || (quality == q && format == ResponseFormat::GraphqlResponse && f != format)
            }
        };
        if better {
            best = Some((quality, format));
        }
    }
    best.map(|(_, format)| format)
}

/// `q=0.5` -> 500; malformed -> `None` (the range is ignored).
fn parse_quality(q: &str) -> Option<u32> {
    let (whole, fraction) = q.split_once('.').unwrap_or((q, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let fraction: u32 = format!("{fraction:0<3}").parse().ok()?;
    let quality = whole * 1000 + fraction;
    (quality <= 1000).then_some(quality)
}

/// Whether the request body is declared as JSON (UTF-8, the only charset JSON allows).
pub fn is_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| {
            m.essence_str() == JSON
                && m.get_param(mime::CHARSET)
                    .is_none_or(|c| c.as_str().eq_ignore_ascii_case("utf-8"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn accept_negotiation_follows_quality_then_prefers_graphql_response_json() {
        use ResponseFormat::{GraphqlResponse, Json};
        assert_eq!(negotiate(&HeaderMap::new()), Some(Json));
        assert_eq!(negotiate(&accept("application/json")), Some(Json));
        assert_eq!(negotiate(&accept("*/*")), Some(Json));
        assert_eq!(
            negotiate(&accept(
                "application/json, application/graphql-response+json"
            )),
            Some(GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0, application/json"
            )),
            Some(Json)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0.1, application/json"
            )),
            Some(Json)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0.9, application/json;q=0.5"
            )),
            Some(GraphqlResponse)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
    }

    #[test]
    fn qualities_parse_exactly() {
        assert_eq!(parse_quality("1"), Some(1000));
        assert_eq!(parse_quality("0.5"), Some(500));
        assert_eq!(parse_quality("0.125"), Some(125));
        assert_eq!(parse_quality("2"), None);
        assert_eq!(parse_quality("0.1234"), None);
        assert_eq!(parse_quality("x"), None);
    }
}
