//! The full-text index of published items (`docs/search.md`): derived state, kept in
//! `DIR/search/`, rebuilt from the catalogue whenever it is missing or unreadable. The server
//! follows the catalogue by its rows' change times (`sync`, about once a second), so a
//! publication, revision or withdrawal made by any process — the CLI included — reaches the
//! index without a second writer.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::catalog::{CatalogItem, Stage};
use gongkai_search::{Opened, SearchDoc, SearchError, SearchIndex, SearchQuery, SearchResults};
use gongkai_store::repo::catalog as repo;
use time::OffsetDateTime;

pub use gongkai_search::Hit;

/// Where a data directory keeps its index.
pub const SEARCH_DIR: &str = "search";

impl From<SearchError> for AppError {
    fn from(e: SearchError) -> AppError {
        if e.is_query() {
            AppError::invalid(e.to_string(), e.zh())
        } else {
            AppError::internal("the search index failed", e)
        }
    }
}

/// What the index knows of a published item.
fn doc(item: &CatalogItem, agency_name: &str) -> Option<SearchDoc> {
    let published_on = item.published_on()?;
    let c = &item.content;
    Some(SearchDoc {
        item: item.id,
        agency: item.agency,
        agency_name: agency_name.to_string(),
        title: c.title.clone(),
        body_text: gongkai_core::text::plain_text(c.body.as_html()),
        doc_number: c.doc_number.as_ref().map(|d| d.as_str().to_string()),
        index_number: item.index_number.clone(),
        column: c.column.clone(),
        subject: c.subject.as_ref().map(|s| s.to_string()),
        genre: c.genre.clone(),
        year: published_on.year(),
        published_on,
    })
}

/// The file beside the index that says up to which change time the index follows the
/// catalogue, so that a restart syncs only what changed meanwhile.
const FOLLOWED_FILE: &str = "followed";

/// The change time the index had followed up to when it last committed (`None`: unknown, so
/// everything is looked at again).
fn followed(app: &App) -> Option<OffsetDateTime> {
    let text = std::fs::read_to_string(app.dir.join(SEARCH_DIR).join(FOLLOWED_FILE)).ok()?;
    OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// Records the watermark after a commit. Written to a temporary file and renamed, so a crash
/// leaves the old one (an older watermark only means some items are indexed again).
fn set_followed(app: &App, at: OffsetDateTime) {
    let dir = app.dir.join(SEARCH_DIR);
    let Ok(text) = at.format(&time::format_description::well_known::Rfc3339) else {
        return;
    };
    let tmp = dir.join(format!("{FOLLOWED_FILE}.tmp"));
    let written =
        std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, dir.join(FOLLOWED_FILE)));
    if let Err(e) = written {
        eprintln!(
            "gongkai: cannot record the search index watermark in {}: {e}",
            dir.display()
        );
    }
}

/// The index and from when it must follow the catalogue.
pub struct OpenedIndex {
    pub index: SearchIndex,
    pub opened: Opened,
    /// Pass to the first [`sync`].
    pub since: Option<OffsetDateTime>,
}

/// Opens the data directory's index, rebuilding it from the catalogue when it was missing or
/// could not be read; otherwise it carries on from its watermark.
pub async fn open(app: &App) -> Result<OpenedIndex> {
    let (index, opened) = SearchIndex::open_or_create(&app.dir.join(SEARCH_DIR))?;
    if opened.needs_rebuild() {
        reindex(app, &index, |_| {}).await?;
    }
    Ok(OpenedIndex {
        since: followed(app),
        index,
        opened,
    })
}

/// What a [`sync`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Synced {
    /// The watermark for the next call.
    pub since: Option<OffsetDateTime>,
    /// How many items had changed.
    pub changed: usize,
}

/// Rebuilds the index from every published item; `progress` sees the count so far.
pub async fn reindex(app: &App, index: &SearchIndex, progress: impl FnMut(usize)) -> Result<usize> {
    // Items changed while the rebuild reads the catalogue are looked at again by `sync`.
    let start = OffsetDateTime::now_utc();
    let names = crate::portal::agency_names(app).await?;
    let mut docs = Vec::new();
    for a in names.keys() {
        for item in repo::list_items(
            &app.db,
            *a,
            &repo::ItemFilter {
                stage: Some(Stage::Published),
                column: None,
            },
        )
        .await?
        {
            if let Some(d) = doc(&item, &names[a]) {
                docs.push(d);
            }
        }
    }
    let n = docs.len();
    index.rebuild(docs, progress)?;
    set_followed(app, start);
    Ok(n)
}

/// Brings the index up to date with the items changed at or after `since` (all when `None`).
pub async fn sync(app: &App, index: &SearchIndex, since: Option<OffsetDateTime>) -> Result<Synced> {
    let changed = repo::changed_since(&app.db, since).await?;
    if changed.is_empty() {
        return Ok(Synced { since, changed: 0 });
    }
    let names = crate::portal::agency_names(app).await?;
    let mut last = since;
    for c in &changed {
        if c.stage == Stage::Published {
            let item = repo::find_item(&app.db, c.id).await?;
            let name = names.get(&item.agency).map_or("", String::as_str);
            match doc(&item, name) {
                Some(d) => index.upsert(&d)?,
                None => index.remove(c.id)?,
            }
        } else {
            // Withdrawn, or back in the workflow: not public.
            index.remove(c.id)?;
        }
        last = Some(c.updated_at);
    }
    index.commit()?;
    if let Some(at) = last {
        set_followed(app, at);
    }
    Ok(Synced {
        since: last,
        changed: changed.len(),
    })
}

/// Searches the published items.
pub fn search(index: &SearchIndex, query: &SearchQuery) -> Result<SearchResults> {
    Ok(index.search(query)?)
}
