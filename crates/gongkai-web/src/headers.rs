//! What every response carries — security headers (a CSP that allows no script at all,
//! `nosniff`, a referrer policy, no framing), compression of text, a time limit, no panic
//! reaching the client — and conditional requests (`ETag`, `Last-Modified`, 304).

use axum::Router;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use sha2::{Digest, Sha256};
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// The portal runs no script; styles come from our own origin only.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// The site with every layer: headers on each response, compression of text, a time limit,
/// and a panic answered with 500 instead of a dropped connection.
pub fn apply(router: Router) -> Router {
    router
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
}

/// A strong validator for some bytes: `"sha256-prefix"`.
pub fn etag_of(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let hex: String = d.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// `Last-Modified` form of a time (RFC 2822 / IMF-fixdate in GMT).
pub fn http_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(&Rfc2822)
        .map(|s| s.replace("+0000", "GMT"))
        .unwrap_or_default()
}

/// Whether the client's copy is current: `If-None-Match` when given, else
/// `If-Modified-Since` against `last_modified` (to the second).
pub fn not_modified(
    headers: &HeaderMap,
    etag: &str,
    last_modified: Option<OffsetDateTime>,
) -> bool {
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return inm.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t == etag || t.strip_prefix("W/") == Some(etag)
        });
    }
    match (
        last_modified,
        headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok()),
    ) {
        (Some(lm), Some(ims)) => {
            let ims = ims.replace("GMT", "+0000");
            OffsetDateTime::parse(&ims, &Rfc2822)
                .is_ok_and(|since| lm.unix_timestamp() <= since.unix_timestamp())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators() {
        let e = etag_of(b"abc");
        assert!(e.starts_with('"') && e.ends_with('"') && e.len() == 26);
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&e).expect("h"));
        assert!(not_modified(&h, &e, None));
        assert!(!not_modified(&h, "\"other\"", None));
        let t = time::macros::datetime!(2021-03-05 08:00 UTC);
        let date = http_date(t);
        assert_eq!(date, "Fri, 05 Mar 2021 08:00:00 GMT");
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_str(&date).expect("h"),
        );
        assert!(not_modified(&h, &e, Some(t)));
        assert!(!not_modified(&h, &e, Some(t + time::Duration::seconds(5))));
    }
}
