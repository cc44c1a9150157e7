//! Rendered public pages (item pages and lists), kept until the catalogue changes
//! (docs/ARCHITECTURE.md, "The portal"). A portal is read far more than it is written: an item
//! page costs several queries and a template, a cached one a hash lookup.
//!
//! The server follows the catalogue once a second (`WebState::follow`), and a staff POST ends
//! with the same step; either clears the whole cache when anything changed. A page rendered
//! from data read before a change is not stored after it: every page is stored under the
//! generation it was read in, and a newer generation refuses it.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The most pages kept; when full, the cache starts again empty (a portal's hot pages come
/// back at once, and no bookkeeping per hit is needed).
const MAX_PAGES: usize = 4_096;

/// A rendered page and the validators it was served with.
#[derive(Debug, Clone)]
pub struct Cached {
    pub html: Bytes,
    pub etag: Option<String>,
    /// For `Last-Modified` and `If-Modified-Since`.
    pub modified: Option<time::OffsetDateTime>,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    pages: HashMap<String, Arc<Cached>>,
}

#[derive(Default)]
pub struct PageCache {
    inner: Mutex<Inner>,
}

impl PageCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The generation to read the data of a page in, before reading it.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub fn get(&self, key: &str) -> Option<Arc<Cached>> {
        self.lock().pages.get(key).cloned()
    }

    /// Keeps a page read in `generation`, unless the catalogue changed since.
    pub fn put(&self, key: String, generation: u64, page: Cached) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.pages.len() >= MAX_PAGES {
            inner.pages.clear();
        }
        inner.pages.insert(key, Arc::new(page));
    }

    /// The catalogue changed: every kept page goes.
    pub fn invalidate(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.pages.clear();
    }

    pub fn len(&self) -> usize {
        self.lock().pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(s: &'static str) -> Cached {
        Cached {
            html: Bytes::from_static(s.as_bytes()),
            etag: None,
            modified: None,
        }
    }

    #[test]
    fn a_page_read_before_a_change_is_not_kept_after_it() {
        let c = PageCache::default();
        let g = c.generation();
        c.put("/items/1".into(), g, page("v1"));
        assert_eq!(c.get("/items/1").map(|p| p.html.clone()), Some("v1".into()));
        let before = c.generation();
        c.invalidate();
        assert!(c.get("/items/1").is_none());
        // Rendered from data read before the change: refused.
        c.put("/items/1".into(), before, page("stale"));
        assert!(c.get("/items/1").is_none());
        c.put("/items/1".into(), c.generation(), page("v2"));
        assert_eq!(c.len(), 1);
    }
}
