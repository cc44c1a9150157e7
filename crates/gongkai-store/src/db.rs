//! The database handle: a typed pool per backend behind one enum, and write transactions.
//!
//! [`on_db!`] and [`on_tx!`] expand the same expression once per backend, so a query's text,
//! binds and row type are written once and compiled twice (docs/ARCHITECTURE.md).

use crate::error::{Result, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, StoreError};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection, Postgres, Sqlite, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// A connected database.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A write transaction. On SQLite it was opened with `BEGIN IMMEDIATE`, so a read followed by
/// a write cannot fail with `SQLITE_BUSY_SNAPSHOT` (docs/reliability.md RL-1).
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Something to run a read on: the pool, or an open transaction (to read what it wrote).
pub enum Exec<'a> {
    Db(&'a Db),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Db> for Exec<'a> {
    fn from(db: &'a Db) -> Exec<'a> {
        Exec::Db(db)
    }
}

impl<'a> From<&'a mut Tx> for Exec<'a> {
    fn from(tx: &'a mut Tx) -> Exec<'a> {
        Exec::Tx(tx)
    }
}

/// Runs `$body` with `$e` bound to an executor of [`Exec`]: a pool or a transaction's
/// connection, of either backend (the body is compiled four times).
#[macro_export]
macro_rules! on_exec {
    ($ex:expr, |$e:ident| $body:expr) => {
        match $ex {
            $crate::db::Exec::Db($crate::Db::Sqlite($e)) => $body,
            $crate::db::Exec::Db($crate::Db::Postgres($e)) => $body,
            $crate::db::Exec::Tx($crate::Tx::Sqlite(t)) => {
                let $e = &mut **t;
                $body
            }
            $crate::db::Exec::Tx($crate::Tx::Postgres(t)) => {
                let $e = &mut **t;
                $body
            }
        }
    };
}

/// Runs `$body` with `$pool` bound to the backend's typed pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection (`&mut XConnection`).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// How long a SQLite writer waits for the lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long connecting to a PostgreSQL server may take before it counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a request waits for a connection before the database counts as unavailable (a
/// 503): well within the web server's 30-second limit on a request, so that the applicant
/// reads why, instead of an empty answer from the time limit.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether opening a SQLite database may create its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Create {
    IfMissing,
    Never,
}

impl Db {
    /// Connects to `sqlite:PATH` (an existing file: it is never created here) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Db::connect_sqlite(Path::new(path)).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::BadUrl(format!("cannot read the PostgreSQL URL: {e}")))?;
            Db::connect_postgres(opts, 8).await
        } else {
            Err(StoreError::BadUrl(url.to_string()))
        }
    }

    /// Opens an existing SQLite database file with the mandated connection profile: WAL,
    /// `synchronous=FULL`, foreign keys, a busy timeout, secure delete. A missing file is an
    /// error, never an empty new database (only [`Db::create_sqlite`] creates one).
    pub async fn connect_sqlite(path: &Path) -> Result<Db> {
        Db::sqlite(path, Create::Never).await
    }

    /// Opens a SQLite database file, creating it if missing (a new data directory, a test).
    pub async fn create_sqlite(path: &Path) -> Result<Db> {
        Db::sqlite(path, Create::IfMissing).await
    }

    async fn sqlite(path: &Path, create: Create) -> Result<Db> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create == Create::IfMissing)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .pragma("secure_delete", "ON")
            .pragma("trusted_schema", "OFF");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(|conn, _| Box::pin(mark_if_read_only(conn)))
            .after_release(|conn, _| Box::pin(reusable(conn)))
            .connect_with(opts)
            .await?;
        Ok(Db::Sqlite(pool))
    }

    /// Connects to a PostgreSQL server. One connection is tried first, within
    /// [`CONNECT_TIMEOUT`]: a refused or silent server is an error at once, with its cause,
    /// instead of the pool retrying until its acquire timeout.
    pub async fn connect_postgres(opts: PgConnectOptions, max_connections: u32) -> Result<Db> {
        let probe = tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&opts))
            .await
            .map_err(|_| {
                StoreError::Unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()))
            })?
            .map_err(|e| match e {
                sqlx::Error::Io(io) => StoreError::Unreachable(io.to_string()),
                other => StoreError::from(other),
            })?;
        probe.close().await.ok();
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(opts)
            .await?;
        Ok(Db::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begins a write transaction (`BEGIN IMMEDIATE` on SQLite).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Checks the durability profile (docs/reliability.md RL-1) and refuses a database without it.
    pub async fn check_profile(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => {
                let mut conn = p.acquire().await?;
                let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                    .fetch_one(&mut *conn)
                    .await?;
                let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                    .fetch_one(&mut *conn)
                    .await?;
                let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                    .fetch_one(&mut *conn)
                    .await?;
                if !mode.eq_ignore_ascii_case("wal") {
                    return Err(StoreError::Profile(format!(
                        "journal_mode is {mode}, not wal"
                    )));
                }
                if sync < 2 {
                    return Err(StoreError::Profile(format!(
                        "synchronous is {sync}, not FULL (2)"
                    )));
                }
                if fk != 1 {
                    return Err(StoreError::Profile("foreign_keys is off".into()));
                }
            }
            Db::Postgres(p) => {
                let commit: String = sqlx::query_scalar("SHOW synchronous_commit")
                    .fetch_one(p)
                    .await?;
                if commit == "off" {
                    return Err(StoreError::Profile(format!(
                        "synchronous_commit is {commit}, not on"
                    )));
                }
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

/// A SQLite connection opened while its database could not be written (the disk remounted
/// read-only, permissions, the immutable attribute) stays read-only for life: SQLite falls
/// back to reading without saying so. Such a connection is marked `query_only`, so that
/// [`reusable`] closes it after its request and the pool opens a new one, writable once the
/// fault is cleared (docs/reliability.md RL-9). The probe writes nothing: within `BEGIN
/// IMMEDIATE` (which SQLite turns into a read transaction on a read-only database) it sets
/// `user_version` to the value it has — refused with `SQLITE_READONLY` on a read-only
/// connection — and rolls back. While another writer holds the lock the probe answers
/// `SQLITE_BUSY` without waiting: only a writable connection can meet that.
async fn mark_if_read_only(conn: &mut SqliteConnection) -> std::result::Result<(), sqlx::Error> {
    sqlx::raw_sql("PRAGMA busy_timeout = 0")
        .execute(&mut *conn)
        .await?;
    let read_only = match sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await {
        Ok(_) => {
            let version: i64 = sqlx::query_scalar("PRAGMA user_version")
                .fetch_one(&mut *conn)
                .await?;
            let probe = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "PRAGMA user_version = {version}"
            )))
            .execute(&mut *conn)
            .await;
            sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await?;
            match probe {
                Ok(_) => false,
                Err(e) if is_read_only(&e) => true,
                Err(e) => return Err(e),
            }
        }
        Err(e) if is_busy(&e) => false,
        Err(e) => return Err(e),
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "PRAGMA busy_timeout = {}",
        BUSY_TIMEOUT.as_millis()
    )))
    .execute(&mut *conn)
    .await?;
    if read_only {
        sqlx::raw_sql("PRAGMA query_only = ON")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Makes sure SQLite has a transaction open where sqlx counts one, so that sqlx's own
/// `COMMIT` or `ROLLBACK` that follows succeeds and its count goes back to zero. A plain
/// `BEGIN` takes no lock and reads nothing; when a transaction is still open it fails (cannot
/// start a transaction within a transaction), which is what should happen.
async fn in_step(t: &mut Transaction<'static, Sqlite>) {
    let _ = sqlx::raw_sql("BEGIN").execute(&mut **t).await;
}

/// SQLite's primary result code of an error, if it is one of SQLite's.
fn sqlite_code(e: &sqlx::Error) -> Option<i32> {
    match e {
        sqlx::Error::Database(d) => d.code()?.parse::<i32>().ok().map(|c| c & 0xff),
        _ => None,
    }
}

fn is_read_only(e: &sqlx::Error) -> bool {
    sqlite_code(e) == Some(SQLITE_READONLY)
}

fn is_busy(e: &sqlx::Error) -> bool {
    matches!(sqlite_code(e), Some(SQLITE_BUSY | SQLITE_LOCKED))
}

/// Whether a SQLite connection coming back to the pool may serve again. A transaction dropped
/// without commit or rollback (an error returned half-way) is rolled back by sqlx when the
/// connection comes back; if SQLite had already ended it by itself (an I/O error or a full
/// disk in a statement), that `ROLLBACK` fails and sqlx's count of open transactions stays at
/// one, so every later `BEGIN` on the connection would fail (see [`Tx::commit`]). Such a
/// connection is closed instead, as is one marked read-only by [`mark_if_read_only`]; the pool
/// opens fresh ones.
async fn reusable(conn: &mut SqliteConnection) -> std::result::Result<bool, sqlx::Error> {
    // The rollback a dropped transaction queued runs before the ping returns.
    conn.ping().await?;
    if conn.is_in_transaction() {
        return Ok(false);
    }
    let query_only: i64 = sqlx::query_scalar("PRAGMA query_only")
        .fetch_one(&mut *conn)
        .await?;
    Ok(query_only == 0)
}

impl Tx {
    /// Commits. On SQLite the `COMMIT` is sent as a statement of its own, so that a failed one
    /// (a full disk, an I/O error: SQLite may then roll the transaction back by itself) leaves
    /// the connection usable: sqlx keeps its own count of open transactions and would otherwise
    /// keep it at one after SQLite ended the transaction, failing every later `BEGIN` on that
    /// connection until a restart ([`in_step`] brings the two back in line; docs/reliability.md
    /// RL-9).
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(mut t) => {
                let committed = sqlx::raw_sql("COMMIT").execute(&mut *t).await;
                in_step(&mut t).await;
                match committed {
                    // Ends the empty transaction `in_step` opened: nothing is written. Should
                    // it fail, the data is committed all the same, and the connection, if
                    // left out of step, is closed when it returns to the pool ([`reusable`]).
                    Ok(_) => {
                        let _ = t.commit().await;
                    }
                    Err(e) => {
                        let _ = t.rollback().await;
                        return Err(e.into());
                    }
                }
            }
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        match self {
            Tx::Sqlite(mut t) => {
                in_step(&mut t).await;
                t.rollback().await?
            }
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}
