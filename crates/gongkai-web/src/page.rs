//! What the layout needs on every page: the title, where one is (breadcrumbs), the 关怀版 and
//! the search box's current text.

use axum::http::HeaderMap;

pub struct Page {
    pub title: String,
    pub crumbs: Vec<(String, String)>,
    pub care: bool,
    /// This page's path, percent-encoded for the 关怀版 link's `back`.
    pub path_encoded: String,
    pub query: String,
    /// The stylesheet's hashed name.
    pub css: String,
}

impl Page {
    pub fn new(title: impl Into<String>, path: &str, headers: &HeaderMap) -> Page {
        let title = title.into();
        Page {
            crumbs: vec![("首页".into(), "/".into())],
            care: crate::care::is_on(headers),
            path_encoded: encode(path),
            query: String::new(),
            css: crate::assets::CSS_NAME.clone(),
            title,
        }
    }

    /// Adds a breadcrumb.
    pub fn crumb(mut self, label: impl Into<String>, href: impl Into<String>) -> Page {
        self.crumbs.push((label.into(), href.into()));
        self
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
