//! Online backups of the database (docs/backup.md): SQLite's `VACUUM INTO` writes a
//! consistent copy while the database is in use (readers and writers go on); the copy is then
//! checked with `PRAGMA integrity_check`. PostgreSQL is dumped by `pg_dump` in the app layer.

use crate::db::Db;
use crate::error::{Result, StoreError};
use std::path::Path;

/// Writes a consistent copy of a SQLite database to `to` (which must not exist) and checks it.
pub async fn sqlite_into(db: &Db, to: &Path) -> Result<()> {
    let Db::Sqlite(pool) = db else {
        return Err(StoreError::Inconsistent(
            "VACUUM INTO is for SQLite databases".into(),
        ));
    };
    sqlx::query("VACUUM INTO $1")
        .bind(to.display().to_string())
        .execute(pool)
        .await?;
    check_sqlite(to).await
}

/// `PRAGMA integrity_check` of a SQLite file, opened on its own (not through a data
/// directory): `Ok` when it says `ok`.
pub async fn check_sqlite(path: &Path) -> Result<()> {
    let copy = Db::connect_sqlite(path).await?;
    let Db::Sqlite(pool) = &copy else {
        unreachable!("connect_sqlite opens SQLite")
    };
    let verdict: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await?;
    copy.close().await;
    if verdict == ["ok"] {
        Ok(())
    } else {
        Err(StoreError::Inconsistent(format!(
            "{} fails its integrity check: {}",
            path.display(),
            verdict.join("; ")
        )))
    }
}

/// The tables a restore drill counts: the records a citizen or an agency would miss.
pub const COUNTED: [&str; 10] = [
    "agency",
    "application",
    "application_event",
    "online_submission",
    "catalog_item",
    "catalog_attachment",
    "remedy_case",
    "report_version",
    "app_user",
    "audit_log",
];

/// How many rows each of [`COUNTED`] holds.
pub async fn counts(db: &Db) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::with_capacity(COUNTED.len());
    for table in COUNTED {
        let n: i64 = crate::on_db!(db, |pool| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(pool)
                .await?
        });
        out.push((table, n));
    }
    Ok(out)
}
