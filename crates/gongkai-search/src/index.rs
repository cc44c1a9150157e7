//! The index on disk or in memory: one writer, a reader reloaded after each commit, generations
//! swapped by a rebuild (docs/search.md#the-index-directory).

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

use gongkai_core::ids::{AgencyId, ItemId};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher, TantivyDocument,
    TantivyError, Term,
};
use time::Date;

use crate::analysis::fold;
use crate::codes::{doc_number_key, index_number_key};
use crate::error::SearchError;
use crate::facets::{FacetCollector, Facets};
use crate::query::{Plan, SearchQuery};
use crate::schema::{Fields, SCHEMA_VERSION, register_tokenizers, schema};
use crate::snippet::{highlight_all, snippet};

/// Memory of the writer that follows changes (one indexing thread; tantivy's minimum is 15 MB).
const WRITER_MEMORY: usize = 32_000_000;
/// Memory of the writer of a rebuild (shared by up to one thread per core).
const REBUILD_MEMORY: usize = 128_000_000;
/// At most this much of a body is indexed and kept for snippets (cut at a character boundary).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The lock file held while a process has the index open.
const LOCK_FILE: &str = "lock";
/// The file naming the live generation directory.
const CURRENT_FILE: &str = "CURRENT";
const GENERATION_PREFIX: &str = "gen-";

/// What the index knows of a published item. The application builds it from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub item: ItemId,
    pub agency: AgencyId,
    pub agency_name: String,
    pub title: String,
    /// The body as plain text (no markup).
    pub body_text: String,
    /// 文号, as stored (any bracket style is found).
    pub doc_number: Option<String>,
    /// 索引号.
    pub index_number: Option<String>,
    /// 栏目.
    pub column: String,
    /// 主题分类.
    pub subject: Option<String>,
    /// 体裁.
    pub genre: Option<String>,
    /// Year of publication (the year facet).
    pub year: i32,
    pub published_on: Date,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub item: ItemId,
    pub agency: AgencyId,
    pub agency_name: String,
    pub title: String,
    /// The title, HTML-escaped, with the query's words in `<mark>`.
    pub title_html: String,
    /// Up to 120 characters of the body around the query's words, HTML-escaped, words in `<mark>`.
    pub snippet_html: String,
    /// The item's 文号 and 索引号, as published, so a reader sees which one a query matched.
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
    #[serde(serialize_with = "iso_date")]
    pub published_on: Date,
    pub score: f32,
}

/// A page of results, the number of all matches and the facets over all of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// True when no item matched every word, and these are the items matching some of them.
    pub relaxed: bool,
}

/// How `open_or_create` found the directory. Anything but `Existing` means the index is empty
/// and the caller should `rebuild` it from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A readable index of this schema version.
    Existing,
    /// There was no index: a new empty one was created.
    Created,
    /// The index could not be used (the reason says why); a new empty one replaced it.
    Recreated { reason: String },
}

impl Opened {
    pub fn needs_rebuild(&self) -> bool {
        !matches!(self, Opened::Existing)
    }
}

/// The full-text index of published items. Share it (`Arc`) between the threads of a server:
/// every method takes `&self`. One process at a time may open a directory.
pub struct SearchIndex {
    root: Option<PathBuf>,
    _lock: Option<File>,
    fields: Fields,
    writing: Mutex<Writing>,
    reader: RwLock<IndexReader>,
}

struct Writing {
    writer: IndexWriter,
    generation: u64,
}

/// A generation opened or created: its writer and reader.
struct Live {
    writer: IndexWriter,
    reader: IndexReader,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index when there is none,
    /// and replacing one that cannot be read or is of another schema version by an empty one.
    /// Fails when the directory cannot be written or another process has it open.
    pub fn open_or_create(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        let io_err = |source| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(io_err)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(io_err)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(SearchError::Locked {
                    path: dir.to_path_buf(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        let (schema, fields) = schema();

        let current = match fs::read_to_string(dir.join(CURRENT_FILE)) {
            Ok(text) => match parse_generation(text.trim()) {
                Some(generation) => Ok(Some(generation)),
                None => Err(format!(
                    "{CURRENT_FILE} names no generation: {:?}",
                    text.trim()
                )),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{CURRENT_FILE} unreadable: {e}")),
        };
        let existing = generations(dir).map_err(io_err)?;
        let (live, generation, opened) = match current {
            Ok(Some(generation)) => match open_generation(dir, generation, &schema) {
                Ok(live) => (live, generation, Opened::Existing),
                Err(Unusable::Locked) => {
                    return Err(SearchError::Locked {
                        path: dir.to_path_buf(),
                    });
                }
                Err(Unusable::Reason(reason)) => {
                    let next = existing.iter().max().map_or(1, |g| g + 1);
                    let live = create_generation(dir, next, &schema)?;
                    (live, next, Opened::Recreated { reason })
                }
            },
            Ok(None) => {
                let next = existing.iter().max().map_or(1, |g| g + 1);
                let live = create_generation(dir, next, &schema)?;
                let opened = if existing.is_empty() {
                    Opened::Created
                } else {
                    Opened::Recreated {
                        reason: format!("{CURRENT_FILE} missing"),
                    }
                };
                (live, next, opened)
            }
            Err(reason) => {
                let next = existing.iter().max().map_or(1, |g| g + 1);
                let live = create_generation(dir, next, &schema)?;
                (live, next, Opened::Recreated { reason })
            }
        };
        // Generations other than the live one are leftovers of a replaced or interrupted index.
        for old in existing.into_iter().filter(|g| *g != generation) {
            let _ = fs::remove_dir_all(dir.join(generation_name(old)));
        }
        let index = SearchIndex {
            root: Some(dir.to_path_buf()),
            _lock: Some(lock),
            fields,
            writing: Mutex::new(Writing {
                writer: live.writer,
                generation,
            }),
            reader: RwLock::new(live.reader),
        };
        Ok((index, opened))
    }

    /// An empty index in memory (tests, demos).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        let live = ram_generation(schema)?;
        Ok(SearchIndex {
            root: None,
            _lock: None,
            fields,
            writing: Mutex::new(Writing {
                writer: live.writer,
                generation: 0,
            }),
            reader: RwLock::new(live.reader),
        })
    }

    /// Adds the item, or replaces the one with its id. Seen by searches after `commit`.
    pub fn upsert(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        let writing = self.writing();
        writing
            .writer
            .delete_term(Term::from_field_i64(self.fields.item, doc.item.get()));
        writing.writer.add_document(self.document(doc))?;
        Ok(())
    }

    /// Removes the item (withdrawn, unpublished). Seen by searches after `commit`.
    pub fn remove(&self, item: ItemId) -> Result<(), SearchError> {
        self.writing()
            .writer
            .delete_term(Term::from_field_i64(self.fields.item, item.get()));
        Ok(())
    }

    /// Makes the changes durable and visible to the next search (the reader is reloaded here).
    /// Cheap enough to call after each change.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut writing = self.writing();
        commit(&mut writing.writer)?;
        self.reader().reload()?;
        Ok(())
    }

    /// Replaces the whole index by one built from `docs`, in a new directory, swapped in when
    /// complete; `progress` is told how many items are indexed so far. Changes and commits wait
    /// for it; searches go on against the old index. On failure the old index stays. Returns the
    /// number of items indexed.
    pub fn rebuild(
        &self,
        docs: impl IntoIterator<Item = SearchDoc>,
        mut progress: impl FnMut(usize),
    ) -> Result<usize, SearchError> {
        let mut writing = self.writing();
        let (schema, _) = schema();
        let generation = writing.generation + 1;
        let (index, new_dir) = match &self.root {
            Some(root) => {
                let path = empty_generation_dir(root, generation)?;
                (Index::create_in_dir(&path, schema)?, Some(path))
            }
            None => (Index::create_in_ram(schema), None),
        };
        let built = self.build(&index, docs, &mut progress);
        let (count, live) = match built {
            Ok(built) => built,
            Err(e) => {
                if let Some(path) = new_dir {
                    let _ = fs::remove_dir_all(path);
                }
                return Err(e);
            }
        };
        if let Some(root) = &self.root {
            write_current(root, generation)?;
        }
        let old = std::mem::replace(
            &mut *writing,
            Writing {
                writer: live.writer,
                generation,
            },
        );
        *self.reader.write().unwrap_or_else(PoisonError::into_inner) = live.reader;
        drop(old);
        if let Some(root) = &self.root {
            let _ = fs::remove_dir_all(root.join(generation_name(generation - 1)));
        }
        Ok(count)
    }

    fn build(
        &self,
        index: &Index,
        docs: impl IntoIterator<Item = SearchDoc>,
        progress: &mut impl FnMut(usize),
    ) -> Result<(usize, Live), SearchError> {
        register_tokenizers(index);
        let mut writer: IndexWriter = index.writer(REBUILD_MEMORY)?;
        let mut count = 0;
        for doc in docs {
            writer.add_document(self.document(&doc))?;
            count += 1;
            progress(count);
        }
        commit(&mut writer)?;
        writer.wait_merging_threads()?;
        Ok((count, live(index)?))
    }

    /// Searches: a page of hits by relevance, the total and the facets of all matches.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let plan = Plan::new(q)?;
        let mut results = SearchResults {
            total: 0,
            page: q.page,
            per_page: q.per_page,
            hits: Vec::new(),
            facets: Facets::default(),
            relaxed: false,
        };
        if plan.is_void() {
            return Ok(results);
        }
        let searcher = self.reader().searcher();
        let collector = (
            TopDocs::with_limit(plan.limit)
                .and_offset(plan.offset)
                .order_by_score(),
            Count,
            FacetCollector,
        );
        let mut found = searcher.search(&*plan.query(&self.fields, q, false), &collector)?;
        if found.1 == 0 && plan.can_relax() {
            found = searcher.search(&*plan.query(&self.fields, q, true), &collector)?;
            results.relaxed = found.1 > 0;
        }
        let (top, total, facets) = found;
        results.total = total;
        results.facets = facets;
        for (score, address) in top {
            results
                .hits
                .push(self.hit(&searcher, address, score, &plan.needles)?);
        }
        Ok(results)
    }

    /// The number of items searches see.
    pub fn num_docs(&self) -> u64 {
        self.reader().searcher().num_docs()
    }

    /// The directory of the live index (`None` in memory).
    pub fn live_dir(&self) -> Option<PathBuf> {
        let generation = self.writing().generation;
        self.root
            .as_ref()
            .map(|root| root.join(generation_name(generation)))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: Score,
        needles: &[String],
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_i64());
        let missing = || TantivyError::InternalError("stored fields of a hit missing".into());
        let title = text(f.title);
        Ok(Hit {
            item: ItemId::new(number(f.item).ok_or_else(missing)?),
            agency: AgencyId::new(number(f.agency).ok_or_else(missing)?),
            agency_name: text(f.agency_name),
            title_html: highlight_all(&title, needles),
            snippet_html: snippet(&text(f.body), needles),
            doc_number: Some(text(f.doc_number)).filter(|t| !t.is_empty()),
            index_number: Some(text(f.index_number)).filter(|t| !t.is_empty()),
            title,
            published_on: number(f.published_on)
                .and_then(|d| i32::try_from(d).ok())
                .and_then(|d| Date::from_julian_day(d).ok())
                .ok_or_else(missing)?,
            score,
        })
    }

    fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        let body = cap(&d.body_text, MAX_BODY_BYTES);
        doc.add_i64(f.item, d.item.get());
        doc.add_i64(f.agency, d.agency.get());
        doc.add_text(f.agency_name, &d.agency_name);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, body);
        for (field, value) in [
            (f.doc_number, &d.doc_number),
            (f.index_number, &d.index_number),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                doc.add_text(field, v);
            }
        }
        doc.add_i64(f.published_on, i64::from(d.published_on.to_julian_day()));
        doc.add_i64(f.year, i64::from(d.year));
        if !d.column.is_empty() {
            doc.add_text(f.column, &d.column);
        }
        if let Some(subject) = d.subject.as_deref().filter(|s| !s.is_empty()) {
            doc.add_text(f.subject, subject);
        }
        let title = fold(&d.title);
        doc.add_text(f.title_words, &title);
        doc.add_text(f.title_chars, &title);
        let body = fold(body);
        doc.add_text(f.body_words, &body);
        doc.add_text(f.body_chars, &body);
        let meta = [
            Some(d.agency_name.as_str()),
            Some(d.column.as_str()),
            d.subject.as_deref(),
            d.genre.as_deref(),
            d.doc_number.as_deref(),
            d.index_number.as_deref(),
        ];
        for value in meta.into_iter().flatten().filter(|v| !v.trim().is_empty()) {
            let value = fold(value);
            doc.add_text(f.meta_words, &value);
            doc.add_text(f.meta_chars, &value);
        }
        let keys = [
            d.doc_number.as_deref().and_then(doc_number_key),
            d.index_number.as_deref().and_then(index_number_key),
        ];
        for key in keys.into_iter().flatten() {
            doc.add_text(f.exact, &key);
        }
        doc
    }

    fn writing(&self) -> MutexGuard<'_, Writing> {
        self.writing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn reader(&self) -> IndexReader {
        self.reader
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn cap(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn commit(writer: &mut IndexWriter) -> tantivy::Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(SCHEMA_VERSION);
    prepared.commit()?;
    Ok(())
}

fn live(index: &Index) -> tantivy::Result<Live> {
    let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(Live { writer, reader })
}

fn ram_generation(schema: tantivy::schema::Schema) -> Result<Live, SearchError> {
    let index = Index::create_in_ram(schema);
    register_tokenizers(&index);
    let mut live = live(&index)?;
    commit(&mut live.writer)?;
    live.reader.reload()?;
    Ok(live)
}

enum Unusable {
    Locked,
    Reason(String),
}

fn open_generation(
    root: &Path,
    generation: u64,
    schema: &tantivy::schema::Schema,
) -> Result<Live, Unusable> {
    let path = root.join(generation_name(generation));
    let reason = |what: &str, e: &dyn std::fmt::Display| {
        Unusable::Reason(format!("{}: {what}: {e}", path.display()))
    };
    let index = Index::open_in_dir(&path).map_err(|e| reason("cannot be opened", &e))?;
    if index.schema() != *schema {
        return Err(Unusable::Reason(format!(
            "{}: schema differs from {SCHEMA_VERSION}",
            path.display()
        )));
    }
    let metas = index
        .load_metas()
        .map_err(|e| reason("meta unreadable", &e))?;
    if metas.payload.as_deref() != Some(SCHEMA_VERSION) {
        return Err(Unusable::Reason(format!(
            "{}: schema version {:?}, expected {SCHEMA_VERSION}",
            path.display(),
            metas.payload.as_deref().unwrap_or("none")
        )));
    }
    register_tokenizers(&index);
    live(&index).map_err(|e| match e {
        TantivyError::LockFailure(..) => Unusable::Locked,
        e => reason("cannot be read", &e),
    })
}

/// The directory of `generation`, emptied (a leftover of an interrupted rebuild is removed).
fn empty_generation_dir(root: &Path, generation: u64) -> Result<PathBuf, SearchError> {
    let path = root.join(generation_name(generation));
    let io_err = |source| SearchError::Io {
        path: path.clone(),
        source,
    };
    if path.exists() {
        fs::remove_dir_all(&path).map_err(io_err)?;
    }
    fs::create_dir(&path).map_err(io_err)?;
    Ok(path)
}

fn create_generation(
    root: &Path,
    generation: u64,
    schema: &tantivy::schema::Schema,
) -> Result<Live, SearchError> {
    let path = empty_generation_dir(root, generation)?;
    let index = Index::create_in_dir(&path, schema.clone())?;
    register_tokenizers(&index);
    let mut live = live(&index)?;
    commit(&mut live.writer)?;
    live.reader.reload()?;
    write_current(root, generation)?;
    Ok(live)
}

fn generation_name(generation: u64) -> String {
    format!("{GENERATION_PREFIX}{generation:08}")
}

fn parse_generation(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(GENERATION_PREFIX)?;
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The generation directories present.
fn generations(root: &Path) -> io::Result<Vec<u64>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_type()?.is_dir()
            && let Some(g) = entry.file_name().to_str().and_then(parse_generation)
        {
            out.push(g);
        }
    }
    Ok(out)
}

/// Points `CURRENT` at the generation: written aside, synced, renamed over, directory synced.
fn write_current(root: &Path, generation: u64) -> Result<(), SearchError> {
    let tmp = root.join(format!("{CURRENT_FILE}.tmp"));
    let io_err = |source| SearchError::Io {
        path: root.join(CURRENT_FILE),
        source,
    };
    let mut file = File::create(&tmp).map_err(io_err)?;
    io::Write::write_all(
        &mut file,
        format!("{}\n", generation_name(generation)).as_bytes(),
    )
    .map_err(io_err)?;
    file.sync_all().map_err(io_err)?;
    fs::rename(&tmp, root.join(CURRENT_FILE)).map_err(io_err)?;
    File::open(root)
        .and_then(|dir| dir.sync_all())
        .map_err(io_err)?;
    Ok(())
}

fn iso_date<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&format_args!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}
