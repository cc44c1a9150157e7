//! Storage errors. Unique-constraint violations become [`StoreError::Conflict`] so callers can
//! tell "already exists" from a broken database.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{what} not found: {key}")]
    NotFound { what: &'static str, key: String },
    #[error("already exists: {0}")]
    Conflict(String),
    /// Input the store cannot accept, said in English and Chinese.
    #[error("{en}")]
    Invalid { en: String, zh: String },
    /// Stored data that does not read back (a damaged or newer database).
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    #[error("unsupported database URL `{0}`: use sqlite:PATH or postgres://…")]
    BadUrl(String),
    /// The database server refused the connection, or did not answer in time.
    #[error("the database server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the database does not have the required durability settings: {0}")]
    Profile(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(d) = &e
            && d.is_unique_violation()
        {
            return StoreError::Conflict(
                d.constraint()
                    .map(str::to_string)
                    .unwrap_or_else(|| d.message().to_string()),
            );
        }
        StoreError::Db(e)
    }
}

impl StoreError {
    pub fn invalid(en: impl Into<String>, zh: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn not_found(what: &'static str, key: impl std::fmt::Display) -> StoreError {
        StoreError::NotFound {
            what,
            key: key.to_string(),
        }
    }

    /// Whether the database could not be used for a reason outside the request: the server is
    /// down, restarting or refusing connections, no connection came in time, the disk is full,
    /// the files cannot be written or opened, another writer held the lock past the busy
    /// timeout. The same request may succeed once the fault clears; front ends answer 503 and
    /// say so (docs/reliability.md RL-9). A damaged database, a constraint or a bad query is
    /// not such a fault.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unreachable(_) => true,
            StoreError::Db(e) => unavailable(e),
            _ => false,
        }
    }

    /// Maps a unique violation to a conflict with a readable message.
    pub fn on_conflict(self, message: impl FnOnce() -> String) -> StoreError {
        match self {
            StoreError::Conflict(_) => StoreError::Conflict(message()),
            other => other,
        }
    }
}

/// See [`StoreError::is_unavailable`].
fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        // The connection broke, or none could be had: the server stopped, restarted, or the
        // pool could not connect within its acquire timeout.
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(d) => {
            let Some(code) = d.code() else { return false };
            if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // The extended result code; its low byte is the primary code
                // (https://www.sqlite.org/rescode.html).
                matches!(
                    code.parse::<i32>().map(|c| c & 0xff),
                    Ok(SQLITE_BUSY
                        | SQLITE_LOCKED
                        | SQLITE_READONLY
                        | SQLITE_IOERR
                        | SQLITE_FULL
                        | SQLITE_CANTOPEN)
                )
            } else {
                // SQLSTATE (PostgreSQL, Appendix A): 08 connection exception, 53 insufficient
                // resources (disk full, out of memory, too many connections), 57 operator
                // intervention (shutdown, crash, not yet accepting connections, cancelled),
                // 58030 I/O error, 25006 read-only transaction (a standby, or
                // `default_transaction_read_only`).
                code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57")
                    || code == "58030"
                    || code == "25006"
            }
        }
        _ => false,
    }
}

// SQLite's primary result codes (https://www.sqlite.org/rescode.html).
pub(crate) const SQLITE_BUSY: i32 = 5;
pub(crate) const SQLITE_LOCKED: i32 = 6;
pub(crate) const SQLITE_READONLY: i32 = 8;
const SQLITE_IOERR: i32 = 10;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Db;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{Connection, SqliteConnection};

    async fn fails(conn: &mut SqliteConnection, sql: &str) -> StoreError {
        let e = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&mut *conn)
            .await
            .expect_err(sql);
        StoreError::from(e)
    }

    /// Real SQLite errors: a read-only connection and a lock held by another writer are
    /// faults of the moment (503); a constraint or a bad query is not.
    #[tokio::test]
    async fn rl_9_which_database_errors_are_unavailable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        let db = Db::create_sqlite(&path).await.expect("create");
        let Db::Sqlite(pool) = &db else {
            unreachable!("create_sqlite opens SQLite")
        };
        sqlx::raw_sql("CREATE TABLE t (x INTEGER NOT NULL)")
            .execute(pool)
            .await
            .expect("table");

        let opts = SqliteConnectOptions::new()
            .filename(&path)
            .busy_timeout(std::time::Duration::ZERO);
        let mut other = SqliteConnection::connect_with(&opts)
            .await
            .expect("connect");
        // SQLITE_READONLY.
        sqlx::raw_sql("PRAGMA query_only = ON")
            .execute(&mut other)
            .await
            .expect("query_only");
        let e = fails(&mut other, "INSERT INTO t VALUES (1)").await;
        assert!(e.is_unavailable(), "{e}");
        sqlx::raw_sql("PRAGMA query_only = OFF")
            .execute(&mut other)
            .await
            .expect("query_only off");
        // SQLITE_BUSY: the pool's writer holds the lock.
        let tx = db.begin().await.expect("begin immediate");
        let e = fails(&mut other, "BEGIN IMMEDIATE").await;
        assert!(e.is_unavailable(), "{e}");
        tx.rollback().await.expect("rollback");
        // Not faults of the moment: a constraint, a bad query.
        let e = fails(&mut other, "INSERT INTO t VALUES (NULL)").await;
        assert!(!e.is_unavailable(), "{e}");
        let e = fails(&mut other, "SELEC 1").await;
        assert!(!e.is_unavailable(), "{e}");
        other.close().await.expect("close");
        db.close().await;

        assert!(StoreError::Db(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(
            StoreError::Db(sqlx::Error::Io(std::io::ErrorKind::ConnectionReset.into()))
                .is_unavailable()
        );
        assert!(StoreError::Unreachable("refused".into()).is_unavailable());
        assert!(!StoreError::Db(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!StoreError::Inconsistent("x".into()).is_unavailable());
    }
}
