//! The full-text index of the published catalogue (docs/search.md): derived state that the
//! application feeds — `upsert` on publication and revision, `remove` on withdrawal, `commit`
//! after each change, `rebuild` from the database — and that the portal queries with `search`.
//!
//! Chinese text is cut into words by jieba (with a dictionary of disclosure terms) and indexed a
//! second time as characters and character pairs, so a query matches by words and as a
//! substring; a 文号 or 索引号 typed in any bracket style finds its item first. Nothing here
//! reads the database: the crate depends on gongkai-core alone.

mod analysis;
mod codes;
mod error;
mod facets;
mod index;
mod query;
mod schema;
mod snippet;

pub use error::SearchError;
pub use facets::{FacetCount, Facets};
pub use index::{Hit, MAX_BODY_BYTES, Opened, SearchDoc, SearchIndex, SearchResults};
pub use query::{MAX_PER_PAGE, MAX_QUERY_CHARS, MAX_RESULT_WINDOW, QueryError, SearchQuery};
