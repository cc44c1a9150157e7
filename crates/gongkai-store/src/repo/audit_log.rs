//! The append-only, hash-chained audit log (migration 0118, docs/audit-log.md). The chain's
//! hash is computed by the caller (it holds the key); this module numbers the entries and
//! keeps `audit_head` in step, in one transaction, the head's row lock serialising writers.

use crate::db::Db;
use crate::error::Result;
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// An entry before it is numbered and chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub client: String,
    pub action: String,
    pub object: String,
    /// `success`, `refused` or `error`.
    pub outcome: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRow {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub client: String,
    pub action: String,
    pub object: String,
    pub outcome: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

const COLS: &str =
    "seq, at, actor_id, actor, client, action, object, outcome, detail, prev_hash, hash";

/// Appends `entry` as the next number; `chain(seq, prev_hash)` gives its hash. Returns the
/// number.
pub async fn append(db: &Db, entry: &NewEntry, chain: impl Fn(i64, &str) -> String) -> Result<i64> {
    let mut tx = db.begin().await?;
    let (last, prev): (i64, String) = on_tx!(&mut tx, |c| {
        sqlx::query_as(match db {
            Db::Sqlite(_) => "SELECT seq, hash FROM audit_head WHERE id = 1",
            Db::Postgres(_) => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        })
        .fetch_one(c)
        .await?
    });
    let seq = last + 1;
    let hash = chain(seq, &prev);
    on_tx!(&mut tx, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO audit_log ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        )))
        .bind(seq)
        .bind(entry.at)
        .bind(entry.actor_id)
        .bind(&entry.actor)
        .bind(&entry.client)
        .bind(&entry.action)
        .bind(&entry.object)
        .bind(&entry.outcome)
        .bind(&entry.detail)
        .bind(&prev)
        .bind(&hash)
        .execute(c)
        .await?
        .rows_affected()
    });
    on_tx!(&mut tx, |c| {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&hash)
            .execute(c)
            .await?
            .rows_affected()
    });
    tx.commit().await?;
    Ok(seq)
}

/// The last number and hash, as the head records them.
pub async fn head(db: &Db) -> Result<(i64, String)> {
    let row: (i64, String) = on_db!(db, |pool| {
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(pool)
            .await?
    });
    Ok(row)
}

/// Up to `limit` entries from number `from` on, in the order of their numbers (for the
/// verifier, which walks the whole log in chunks).
pub async fn chunk(db: &Db, from: i64, limit: i64) -> Result<Vec<EntryRow>> {
    let rows: Vec<EntryRow> = on_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2"
        )))
        .bind(from)
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// A page of entries, newest first, optionally only those whose actor, action or object
/// contains `search`; and how many match in all.
pub async fn page(
    db: &Db,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EntryRow>, i64)> {
    let pattern = search.map(|s| {
        let escaped: String = s
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        format!("%{escaped}%")
    });
    let wh = if pattern.is_some() {
        "WHERE actor LIKE $1 ESCAPE '\\' OR action LIKE $1 ESCAPE '\\' \
         OR object LIKE $1 ESCAPE '\\' OR client LIKE $1 ESCAPE '\\'"
    } else {
        "WHERE $1 IS NULL"
    };
    let rows: Vec<EntryRow> = on_db!(db, |pool| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM audit_log {wh} ORDER BY seq DESC LIMIT $2 OFFSET $3"
        )))
        .bind(pattern.clone())
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?
    });
    let total: i64 = on_db!(db, |pool| {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM audit_log {wh}"
        )))
        .bind(pattern.clone())
        .fetch_one(pool)
        .await?
    });
    Ok((rows, total))
}

/// The anchor of purged entries: the number and hash of the last one purged, and its keyed
/// hash (`0, "", ""` when nothing was ever purged; migration 0120).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    pub purged_at: Option<OffsetDateTime>,
    pub mac: String,
}

pub async fn anchor(db: &Db) -> Result<Anchor> {
    Ok(on_db!(db, |pool| {
        sqlx::query_as("SELECT seq, hash, purged_at, mac FROM audit_anchor WHERE id = 1")
            .fetch_one(pool)
            .await?
    }))
}

/// The number and hash of the last entry that may be purged for `cutoff`: the one before the
/// first entry written at or after it (so the log keeps everything from then on, even if a
/// clock went back), or the last entry when all are older. `None` for an empty log.
pub async fn last_before(db: &Db, cutoff: OffsetDateTime) -> Result<Option<(i64, String)>> {
    Ok(on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT seq, hash FROM audit_log WHERE seq = COALESCE(\
               (SELECT MIN(seq) FROM audit_log WHERE at >= $1) - 1, \
               (SELECT MAX(seq) FROM audit_log))",
        )
        .bind(cutoff)
        .fetch_optional(pool)
        .await?
    }))
}

/// Deletes the entries up to number `up_to` and moves the anchor there, in one transaction:
/// the append-only trigger is lifted for this statement only and put back before the commit,
/// so no other change can slip through. Returns how many entries were deleted.
pub async fn purge(db: &Db, up_to: i64, anchor: &Anchor) -> Result<u64> {
    let (drop, create) = match db {
        Db::Sqlite(_) => (
            "DROP TRIGGER audit_log_no_delete",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        ),
        Db::Postgres(_) => (
            "DROP TRIGGER audit_log_no_delete ON audit_log",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION gongkai_refuse_change('the audit log is append-only')",
        ),
    };
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, |c| {
        sqlx::query(drop).execute(c).await?;
    });
    let deleted = on_tx!(&mut tx, |c| {
        sqlx::query("DELETE FROM audit_log WHERE seq <= $1")
            .bind(up_to)
            .execute(c)
            .await?
            .rows_affected()
    });
    on_tx!(&mut tx, |c| {
        sqlx::query(create).execute(c).await?;
    });
    on_tx!(&mut tx, |c| {
        sqlx::query(
            "UPDATE audit_anchor SET seq = $1, hash = $2, purged_at = $3, mac = $4 WHERE id = 1",
        )
        .bind(anchor.seq)
        .bind(&anchor.hash)
        .bind(anchor.purged_at)
        .bind(&anchor.mac)
        .execute(c)
        .await?;
    });
    tx.commit().await?;
    Ok(deleted)
}
