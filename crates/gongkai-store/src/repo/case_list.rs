//! The back office's list of applications: filtered and paged in SQL (status, outcome,
//! channel, year of receipt, a search by 申请编号 or applicant), within the agencies a user may
//! see; and the record of who was shown an applicant's full identity (migration 0105).

use super::application::{APP_COLS, ApplicationRow};
use crate::db::Db;
use crate::error::Result;
use crate::on_db;
use time::{Date, OffsetDateTime};

/// Whose applications a user sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visible {
    /// Every agency of the installation.
    All,
    Agency(i64),
    /// Every agency of the region and of the regions below it.
    Region(i64),
    /// No agency (the security and audit administrators open no case).
    Nothing,
}

/// What to list. `None` filters nothing.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    /// The stored status (`processing`, `awaiting_supplement`, `concluded`, `withdrawn`).
    pub status: Option<String>,
    /// Only cases without a final outcome.
    pub open_only: bool,
    /// An outcome key (`partial`) or a group (`denied` matches `denied.*`).
    pub outcome: Option<String>,
    pub channel: Option<String>,
    /// Received between these days, both included.
    pub received: Option<(Date, Date)>,
    /// Part of the 申请编号, or of the applicant's name, contact person or credit code.
    pub search: Option<String>,
    /// The blind index of a whole ID number the search may be (the ID number is sealed, so
    /// it is found only whole; docs/personal-data.md).
    pub id_index: Option<String>,
    /// At most this many rows (`None`: all).
    pub limit: Option<i64>,
    pub offset: i64,
}

enum Bind {
    Int(i64),
    Text(String),
    Day(Date),
}

/// `LIKE` pattern for "contains `s`", with the wildcards in `s` escaped by `\`.
fn contains(s: &str) -> String {
    let mut out = String::from("%");
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

fn where_clause(db: &Db, visible: Visible, q: &CaseQuery) -> (String, String, Vec<Bind>) {
    let mut binds: Vec<Bind> = Vec::new();
    let mut clauses: Vec<String> = Vec::new();
    let mut with = String::new();
    let p = |b: Bind, binds: &mut Vec<Bind>| {
        binds.push(b);
        format!("${}", binds.len())
    };
    match visible {
        Visible::All => {}
        Visible::Nothing => clauses.push("1 = 0".into()),
        Visible::Agency(id) => {
            let n = p(Bind::Int(id), &mut binds);
            clauses.push(format!("a.agency_id = {n}"));
        }
        Visible::Region(id) => {
            let n = p(Bind::Int(id), &mut binds);
            with = format!(
                "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = {n} \
                 UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) "
            );
            clauses.push(
                "a.agency_id IN (SELECT g.id FROM agency g JOIN sub ON g.region_id = sub.id)"
                    .into(),
            );
        }
    }
    if let Some(s) = &q.status {
        let n = p(Bind::Text(s.clone()), &mut binds);
        clauses.push(format!("a.status = {n}"));
    }
    if q.open_only {
        clauses.push("a.closed_on IS NULL".into());
    }
    if let Some(o) = &q.outcome {
        let exact = p(Bind::Text(o.clone()), &mut binds);
        let group = p(Bind::Text(format!("{o}.%")), &mut binds);
        clauses.push(format!("(a.outcome = {exact} OR a.outcome LIKE {group})"));
    }
    if let Some(c) = &q.channel {
        let n = p(Bind::Text(c.clone()), &mut binds);
        clauses.push(format!("a.channel = {n}"));
    }
    if let Some((from, to)) = q.received {
        let f = p(Bind::Day(from), &mut binds);
        let t = p(Bind::Day(to), &mut binds);
        clauses.push(format!("a.received_on >= {f} AND a.received_on <= {t}"));
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let n = p(Bind::Text(contains(s)), &mut binds);
        // Only reading a JSON field differs between the dialects.
        let field = |f: &str| match db {
            Db::Sqlite(_) => format!("COALESCE(json_extract(a.applicant, '$.{f}'), '')"),
            Db::Postgres(_) => format!("COALESCE(a.applicant::jsonb ->> '{f}', '')"),
        };
        let like = |e: String| format!("{e} LIKE {n} ESCAPE '\\'");
        let by_id = match &q.id_index {
            Some(ix) => format!(" OR a.id_index = {}", p(Bind::Text(ix.clone()), &mut binds)),
            None => String::new(),
        };
        clauses.push(format!(
            "({} OR {} OR {} OR {}{by_id})",
            like("a.number".into()),
            like(field("name")),
            like(field("contact_person")),
            like(field("credit_code")),
        ));
    }
    let wh = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (with, wh, binds)
}

/// One page of the applications `visible` holds that pass `q`, newest receipt first, and
/// how many pass in all.
pub async fn list_page(
    db: &Db,
    visible: Visible,
    q: &CaseQuery,
) -> Result<(Vec<ApplicationRow>, i64)> {
    let (with, wh, binds) = where_clause(db, visible, q);
    let cols = APP_COLS
        .split(", ")
        .map(|c| format!("a.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let limit = match q.limit {
        Some(n) => format!(" LIMIT {} OFFSET {}", n.max(0), q.offset.max(0)),
        None => String::new(),
    };
    let sql = format!(
        "{with}SELECT {cols} FROM application a {wh} ORDER BY a.received_on DESC, a.id DESC{limit}"
    );
    let count_sql = format!("{with}SELECT COUNT(*) FROM application a {wh}");
    let rows: Vec<ApplicationRow> = on_db!(db, |pool| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            query = match b {
                Bind::Int(v) => query.bind(*v),
                Bind::Text(v) => query.bind(v.clone()),
                Bind::Day(v) => query.bind(*v),
            };
        }
        query.fetch_all(pool).await?
    });
    let total: i64 = on_db!(db, |pool| {
        let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql));
        for b in &binds {
            query = match b {
                Bind::Int(v) => query.bind(*v),
                Bind::Text(v) => query.bind(v.clone()),
                Bind::Day(v) => query.bind(*v),
            };
        }
        query.fetch_one(pool).await?
    });
    Ok((rows, total))
}

/// One recorded access to an applicant's full identity.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccessRow {
    pub user_id: i64,
    /// The display name at the time.
    pub actor: String,
    pub what: String,
    pub accessed_at: OffsetDateTime,
}

/// Records that `user_id` was shown `what` (`identity`) of an application.
pub async fn record_access(
    db: &Db,
    application_id: i64,
    user_id: i64,
    actor: &str,
    what: &str,
    at: OffsetDateTime,
) -> Result<()> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO application_access (application_id, user_id, actor, what, accessed_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(application_id)
        .bind(user_id)
        .bind(actor)
        .bind(what)
        .bind(at)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// The recorded accesses to an application, oldest first.
pub async fn accesses(db: &Db, application_id: i64) -> Result<Vec<AccessRow>> {
    let rows: Vec<AccessRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT user_id, actor, what, accessed_at FROM application_access \
             WHERE application_id = $1 ORDER BY accessed_at, id",
        )
        .bind(application_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}
