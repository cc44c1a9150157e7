//! 关怀版 (large type, strong contrast): a cookie set by a plain link, so it works without
//! JavaScript and persists across pages.

use crate::WebState;
use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

const COOKIE: &str = "gongkai_care";

pub fn routes() -> Router<WebState> {
    Router::new().route("/care", get(toggle))
}

/// Whether the request asks for the 关怀版.
pub fn is_on(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim() == format!("{COOKIE}=1"))
}

#[derive(Deserialize)]
struct Toggle {
    on: Option<String>,
    back: Option<String>,
}

/// Only a path of this site may be returned to (no open redirect).
fn safe_back(back: Option<&str>) -> &str {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b,
        _ => "/",
    }
}

async fn toggle(Query(t): Query<Toggle>) -> Response {
    let on = t.on.as_deref() != Some("0");
    let cookie = if on {
        format!("{COOKIE}=1; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly")
    } else {
        format!("{COOKIE}=0; Path=/; Max-Age=0; SameSite=Lax; HttpOnly")
    };
    let mut r = Redirect::to(safe_back(t.back.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_back(Some("/agencies/1")), "/agencies/1");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "evil"] {
            assert_eq!(safe_back(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_back(None), "/");
    }
}
