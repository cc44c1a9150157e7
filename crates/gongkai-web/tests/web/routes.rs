//! Every route the router serves, read from the router itself, so a test that walks them
//! cannot miss a new one: the paths from the router's `Debug` form (axum prints its path
//! table), and each path's methods from the `Allow` header of its 405 answer to a method no
//! route uses. A change of axum's `Debug` form fails [`served`] loudly (too few paths), never
//! silently.

use super::office_kit::{Browser, Site};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[derive(Debug, Clone)]
pub struct Route {
    /// As registered: `/staff/cases/{number}`.
    pub path: String,
    /// `GET`, `POST`, … (never `HEAD`, which every GET route answers).
    pub methods: Vec<String>,
}

/// The registered paths, from the router's `Debug` form (its node's `paths`), axum's private
/// fallback paths left out.
pub fn paths(site: &Site) -> Vec<String> {
    let dump = format!("{:?}", gongkai_web::router(site.state.clone()));
    let mut out: Vec<String> = Vec::new();
    let mut rest = dump.as_str();
    while let Some(at) = rest.find("paths: {") {
        rest = &rest[at + 8..];
        // The map ends at the first `}` outside quotes (a path's own `{param}` is inside).
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '}' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let map = &rest[..end];
        for part in map.split("\", ").chain(std::iter::once("")) {
            if let Some(q) = part.find(": \"") {
                let p = part[q + 3..].trim_end_matches('"').to_string();
                if p.starts_with('/') && !p.contains("__private__") && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        rest = &rest[end..];
    }
    out.sort();
    assert!(
        out.len() >= 40,
        "the router's Debug form no longer lists its paths as expected: {out:?}"
    );
    out
}

/// A concrete address for a registered path (every parameter `1`).
pub fn sample(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                out.push('1');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

async fn allow(site: &Site, path: &str, method: &str) -> Option<Vec<String>> {
    let mut b = Browser::default();
    let r = Request::builder()
        .method(method)
        .uri(sample(path))
        .header(header::ORIGIN, "http://gk.example")
        .header("sec-fetch-site", "same-origin");
    let got = site.send(&mut b, r, Body::empty()).await;
    if got.status != StatusCode::METHOD_NOT_ALLOWED {
        return None;
    }
    let allow = got
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Some(
        allow
            .split(',')
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty() && m != "HEAD")
            .collect(),
    )
}

/// Every route: its path and methods.
pub async fn served(site: &Site) -> Vec<Route> {
    let mut out = Vec::new();
    for path in paths(site) {
        let methods = match allow(site, &path, "PATCH").await {
            Some(m) => m,
            None => allow(site, &path, "DELETE")
                .await
                .unwrap_or_else(|| panic!("{path}: no 405 to PATCH or DELETE")),
        };
        assert!(!methods.is_empty(), "{path}: no methods");
        out.push(Route { path, methods });
    }
    out
}
