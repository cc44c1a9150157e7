//! The public lists of published items (法定主动公开内容): one page, newest first, and the counts
//! that narrow it, computed in SQL so that a list never loads a catalogue into memory
//! (docs/ARCHITECTURE.md, "The portal").

use super::invalid;
use crate::db::Db;
use crate::error::Result;
use crate::on_db;
use gongkai_core::catalog::ValidityStatus;
use gongkai_core::ids::{AgencyId, ItemId, RegionId};
use time::{Date, Month};

/// Whose published items to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicScope {
    /// Every agency's.
    All,
    Agency(AgencyId),
    /// Every agency in the region or any region below it.
    Region(RegionId),
}

impl PublicScope {
    /// A `WITH` clause (possibly empty) and a condition on `catalog_item i`, with the scope's
    /// key bound as `$1`.
    fn sql(self) -> (&'static str, &'static str, Option<i64>) {
        match self {
            PublicScope::All => ("", "$1 IS NULL", None),
            PublicScope::Agency(a) => ("", "i.agency_id = $1", Some(a.get())),
            PublicScope::Region(r) => (
                "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
                 UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) ",
                "i.agency_id IN (SELECT a.id FROM agency a JOIN sub ON a.region_id = sub.id)",
                Some(r.get()),
            ),
        }
    }
}

/// Which of the scope's published items, and which page of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicQuery {
    pub column: Option<String>,
    /// The top level of the 主题分类 (`top`), or a full `top\sub`.
    pub subject: Option<String>,
    /// The year of publication (Beijing).
    pub year: Option<i32>,
    pub genre: Option<String>,
    pub validity: Option<ValidityStatus>,
    pub agency: Option<AgencyId>,
    pub limit: u32,
    pub offset: u64,
}

/// One line of a public list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRow {
    pub id: ItemId,
    pub agency: AgencyId,
    pub title: String,
    pub index_number: Option<String>,
    pub doc_number: Option<String>,
    pub column: String,
    pub subject: Option<String>,
    pub genre: Option<String>,
    pub validity: Option<ValidityStatus>,
    pub formed_on: Date,
    pub published_on: Date,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    agency_id: i64,
    title: String,
    index_number: Option<String>,
    doc_number: Option<String>,
    column_name: String,
    subject: Option<String>,
    genre: Option<String>,
    validity: Option<String>,
    formed_on: Date,
    published_on: Option<Date>,
}

impl TryFrom<Row> for PublicRow {
    type Error = crate::StoreError;
    fn try_from(r: Row) -> Result<PublicRow> {
        let validity = match r.validity.as_deref() {
            None => None,
            Some(k) => Some(
                ValidityStatus::from_key(k)
                    .ok_or_else(|| invalid(format!("item {}: unknown validity {k}", r.id)))?,
            ),
        };
        Ok(PublicRow {
            id: ItemId::new(r.id),
            agency: AgencyId::new(r.agency_id),
            title: r.title,
            index_number: r.index_number,
            doc_number: r.doc_number,
            column: r.column_name,
            subject: r.subject,
            genre: r.genre,
            validity,
            formed_on: r.formed_on,
            published_on: r
                .published_on
                .ok_or_else(|| invalid(format!("published item {} has no day", r.id)))?,
        })
    }
}

/// The filters of [`PublicQuery`] as conditions on `catalog_item i`, bound as `$2`…`$10`.
const FILTERS: &str = "i.stage = 'published' \
    AND ($2 IS NULL OR i.column_name = $2) \
    AND ($3 IS NULL OR i.subject = $3 OR substr(i.subject, 1, $5) = $4) \
    AND ($6 IS NULL OR (i.published_on >= $6 AND i.published_on < $7)) \
    AND ($8 IS NULL OR i.genre = $8) \
    AND ($9 IS NULL OR i.validity = $9) \
    AND ($10 IS NULL OR i.agency_id = $10)";

/// Binds the scope's key and the filters in the order of [`FILTERS`].
macro_rules! bind_filters {
    ($q:expr, $key:expr, $f:expr) => {{
        let f: &PublicQuery = $f;
        // A top-level subject also matches its sub-subjects (`top\sub`).
        let prefix = f.subject.as_ref().map(|s| format!("{s}\\"));
        let prefix_len = prefix.as_ref().map(|p| p.chars().count() as i32);
        let from = f
            .year
            .and_then(|y| Date::from_calendar_date(y, Month::January, 1).ok());
        let until = f
            .year
            .and_then(|y| Date::from_calendar_date(y + 1, Month::January, 1).ok());
        $q.bind($key)
            .bind(f.column.clone())
            .bind(f.subject.clone())
            .bind(prefix)
            .bind(prefix_len)
            .bind(from)
            .bind(until)
            .bind(f.genre.clone())
            .bind(f.validity.map(|v| v.key()))
            .bind(f.agency.map(|a| a.get()))
    }};
}

/// One page of the scope's published items passing the filters, newest first, and how many
/// pass in all.
pub async fn published_page(
    db: &Db,
    scope: PublicScope,
    f: &PublicQuery,
) -> Result<(Vec<PublicRow>, u64)> {
    let (with, cond, key) = scope.sql();
    let page_sql = format!(
        "{with}SELECT i.id, i.agency_id, i.title, i.index_number, i.doc_number, i.column_name, \
         i.subject, i.genre, i.validity, i.formed_on, i.published_on FROM catalog_item i \
         WHERE {cond} AND {FILTERS} ORDER BY i.published_at DESC, i.id DESC \
         LIMIT $11 OFFSET $12"
    );
    let count_sql = format!("{with}SELECT count(*) FROM catalog_item i WHERE {cond} AND {FILTERS}");
    let limit = i64::from(f.limit);
    let offset = i64::try_from(f.offset).unwrap_or(i64::MAX);
    let (rows, total): (Vec<Row>, i64) = on_db!(db, |p| {
        let rows = bind_filters!(sqlx::query_as(sqlx::AssertSqlSafe(page_sql)), key, f)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
        let total = bind_filters!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), key, f)
            .fetch_one(p)
            .await?;
        (rows, total)
    });
    let rows = rows
        .into_iter()
        .map(PublicRow::try_from)
        .collect::<Result<_>>()?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// The counts of the scope's published items by each facet (over all of them, unfiltered).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicFacets {
    pub columns: Vec<(String, u64)>,
    /// Full subjects (`top` or `top\sub`).
    pub subjects: Vec<(String, u64)>,
    /// Publication days (Beijing).
    pub days: Vec<(Date, u64)>,
    pub genres: Vec<(String, u64)>,
    pub agencies: Vec<(AgencyId, u64)>,
}

/// Counts the scope's published items grouped by `key` (an expression on `catalog_item i`,
/// cast to text so that one query shape serves every facet), rows where it is NULL left out.
async fn grouped(db: &Db, scope: PublicScope, key_expr: &str) -> Result<Vec<(String, u64)>> {
    let (with, cond, key) = scope.sql();
    let sql = format!(
        "{with}SELECT CAST({key_expr} AS TEXT) AS k, count(*) AS n FROM catalog_item i \
         WHERE {cond} AND i.stage = 'published' AND {key_expr} IS NOT NULL \
         GROUP BY {key_expr} ORDER BY k"
    );
    let rows: Vec<(String, i64)> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .fetch_all(p)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The scope's facet counts.
pub async fn published_facets(db: &Db, scope: PublicScope) -> Result<PublicFacets> {
    let days = grouped(db, scope, "i.published_on")
        .await?
        .into_iter()
        .map(|(d, n)| {
            Date::parse(
                &d,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map(|d| (d, n))
            .map_err(|_| invalid(format!("publication day {d}")))
        })
        .collect::<Result<_>>()?;
    let agencies = grouped(db, scope, "i.agency_id")
        .await?
        .into_iter()
        .map(|(a, n)| {
            a.parse::<i64>()
                .map(|a| (AgencyId::new(a), n))
                .map_err(|_| invalid(format!("agency id {a}")))
        })
        .collect::<Result<_>>()?;
    Ok(PublicFacets {
        columns: grouped(db, scope, "i.column_name").await?,
        subjects: grouped(db, scope, "i.subject").await?,
        days,
        genres: grouped(db, scope, "i.genre").await?,
        agencies,
    })
}

/// A published or withdrawn item as its public page needs it, read in one query: its line,
/// its agency's name, the text, and the published policy it interprets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicItemRow {
    pub line: PublicRow,
    pub withdrawn: bool,
    pub agency_name: String,
    pub publisher: String,
    /// JSON array of strings, as stored.
    pub keywords: String,
    pub summary: String,
    pub body_html: String,
    pub published_at: time::OffsetDateTime,
    pub interprets: Option<(ItemId, String)>,
}

#[derive(sqlx::FromRow)]
struct ItemPageRow {
    #[sqlx(flatten)]
    line: Row,
    stage: String,
    agency_name: String,
    publisher: String,
    keywords: String,
    summary: String,
    body_html: String,
    published_at: Option<time::OffsetDateTime>,
    interprets_id: Option<i64>,
    interprets_title: Option<String>,
}

/// The public page's item, if it is published or withdrawn (anything else is not public).
pub async fn public_item(db: &Db, id: ItemId) -> Result<Option<PublicItemRow>> {
    let row: Option<ItemPageRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT i.id, i.agency_id, i.title, i.index_number, i.doc_number, i.column_name, \
             i.subject, i.genre, i.validity, i.formed_on, i.published_on, i.stage, \
             a.name AS agency_name, i.publisher, i.keywords, i.summary, i.body_html, \
             i.published_at, p.id AS interprets_id, p.title AS interprets_title \
             FROM catalog_item i JOIN agency a ON a.id = i.agency_id \
             LEFT JOIN catalog_item p ON p.id = i.interprets_id AND p.stage = 'published' \
             WHERE i.id = $1 AND i.stage IN ('published', 'withdrawn')",
        )
        .bind(id.get())
        .fetch_optional(p)
        .await?
    });
    let Some(r) = row else { return Ok(None) };
    let published_at = r
        .published_at
        .ok_or_else(|| invalid(format!("public item {id} has no publication time")))?;
    Ok(Some(PublicItemRow {
        line: PublicRow::try_from(r.line)?,
        withdrawn: r.stage == "withdrawn",
        agency_name: r.agency_name,
        publisher: r.publisher,
        keywords: r.keywords,
        summary: r.summary,
        body_html: r.body_html,
        published_at,
        interprets: r
            .interprets_id
            .zip(r.interprets_title)
            .map(|(i, t)| (ItemId::new(i), t)),
    }))
}

/// The published 政策解读 of a policy, oldest first.
pub async fn published_interpretations(db: &Db, policy: ItemId) -> Result<Vec<(ItemId, String)>> {
    let rows: Vec<(i64, String)> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, title FROM catalog_item \
             WHERE interprets_id = $1 AND stage = 'published' ORDER BY id",
        )
        .bind(policy.get())
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(|(i, t)| (ItemId::new(i), t)).collect())
}
