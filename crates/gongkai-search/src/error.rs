//! The one error of the crate. A `Query` error is the citizen's (the web answers 400 with
//! `zh()`); the others are the server's (503/500), their cause kept for the log.

use std::path::PathBuf;

use crate::query::QueryError;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query cannot be run as typed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Another process has the index directory open.
    #[error("search index {} is open in another process", path.display())]
    Locked { path: PathBuf },
    #[error("search index {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The index engine failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// The message a person reads: the query's fault said precisely, a server fault said plainly.
    pub fn zh(&self) -> String {
        match self {
            SearchError::Query(e) => e.zh(),
            SearchError::Locked { path } => {
                format!("搜索索引 {} 正被另一个进程使用。", path.display())
            }
            SearchError::Io { .. } | SearchError::Index(_) => {
                "搜索服务暂时不可用，请稍后再试。".to_string()
            }
        }
    }

    /// True when the query, not the server, is at fault.
    pub fn is_query(&self) -> bool {
        matches!(self, SearchError::Query(_))
    }
}
