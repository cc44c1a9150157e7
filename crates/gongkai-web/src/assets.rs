//! Assets embedded in the binary, served with a content hash in their name (cached for a year)
//! and an `ETag`: nothing is fetched from another host.

use crate::WebState;
use crate::headers::{etag_of, not_modified};
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::LazyLock;

const SITE_CSS: &str = include_str!("../assets/site.css");

/// The stylesheet's name with its content hash, so a new release is never served stale.
pub static CSS_NAME: LazyLock<String> =
    LazyLock::new(|| format!("site.{}.css", &etag_of(SITE_CSS.as_bytes())[1..13]));

pub fn routes() -> Router<WebState> {
    Router::new().route("/assets/{name}", get(asset))
}

async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    if name != *CSS_NAME && name != "site.css" {
        return crate::WebError::not_found().into_response();
    }
    let etag = etag_of(SITE_CSS.as_bytes());
    if not_modified(&headers, &etag, None) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let mut r = SITE_CSS.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    r
}
