//! The full-text index of published items (`docs/search.md`): derived state, kept in
//! `DIR/search/`, rebuilt from the catalogue whenever it is missing or unreadable. The server
//! follows the catalogue by its rows' change times (`sync`, about once a second), so a
//! publication, revision or withdrawal made by any process — the CLI included — reaches the
//! index without a second writer.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::catalog::{CatalogItem, Stage};
use gongkai_core::ids::AgencyId;
use gongkai_search::{Opened, SearchDoc, SearchError, SearchIndex, SearchQuery, SearchResults};
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog as repo;
use std::collections::HashMap;
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

async fn agency_names(app: &App) -> Result<HashMap<AgencyId, String>> {
    Ok(agency_repo::list_agencies(&app.db)
        .await?
        .into_iter()
        .map(|a| (AgencyId::new(a.id), a.name))
        .collect())
}

/// Opens the data directory's index (or an in-memory one for a handle without a directory of
/// its own, such as the tests'), rebuilding it from the catalogue when it was missing or could
/// not be read. Returns the index and how it was found.
pub async fn open(app: &App) -> Result<(SearchIndex, Opened)> {
    let (index, opened) = SearchIndex::open_or_create(&app.dir.join(SEARCH_DIR))?;
    if opened.needs_rebuild() {
        reindex(app, &index, |_| {}).await?;
    }
    Ok((index, opened))
}

/// Rebuilds the index from every published item; `progress` sees the count so far.
pub async fn reindex(app: &App, index: &SearchIndex, progress: impl FnMut(usize)) -> Result<usize> {
    let names = agency_names(app).await?;
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
    Ok(n)
}

/// Brings the index up to date with the items changed at or after `since` (all when `None`)
/// and returns the watermark for the next call.
pub async fn sync(
    app: &App,
    index: &SearchIndex,
    since: Option<OffsetDateTime>,
) -> Result<Option<OffsetDateTime>> {
    let changed = repo::changed_since(&app.db, since).await?;
    if changed.is_empty() {
        return Ok(since);
    }
    let names = agency_names(app).await?;
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
    Ok(last)
}

/// Searches the published items.
pub fn search(index: &SearchIndex, query: &SearchQuery) -> Result<SearchResults> {
    Ok(index.search(query)?)
}
