//! The dual-backend test harness (docs/ARCHITECTURE.md): every storage test runs on SQLite (a real
//! file in a temporary directory) and on PostgreSQL when `TEST_PG_URL` is set, each
//! PostgreSQL test in a schema of its own.
//!
//! ```text
//! gongkai_store::db_test!(inserts_an_agency, |db| async move {
//!     let agency = /* … use db: &Db … */;
//! });
//! ```
//!
//! Without `TEST_PG_URL` a PostgreSQL test cannot run: it writes
//! `skipped: TEST_PG_URL not set (…)` to the terminal (past the test harness's capture, so the
//! line shows beside the test's `ok`) and returns. With `GONGKAI_REQUIRE_PG=1` (set by
//! `scripts/test.sh`, which always starts a server) or `CI` set, it fails instead. When
//! `TEST_PG_URL` is set, a server that cannot be reached fails the test.

use crate::db::Db;
use crate::migrate;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

/// A migrated, empty database that lives as long as this value (plus the cleanup call for
/// PostgreSQL, which drops the test's schema).
pub struct TestDb {
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh SQLite database in a temporary directory, with the production connection
    /// profile, migrated.
    pub async fn sqlite() -> TestDb {
        TestDb::sqlite_to(None).await
    }

    /// A fresh SQLite database migrated up to `version` only (as an older release left it),
    /// or fully with `None`.
    pub async fn sqlite_to(version: Option<i64>) -> TestDb {
        let dir = tempfile::tempdir().expect("create a temporary directory for the test database");
        let db = Db::create_sqlite(&dir.path().join("test.db"))
            .await
            .expect("open the SQLite test database");
        migrate_to(&db, version)
            .await
            .expect("migrate the SQLite test database");
        TestDb {
            db,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A fresh schema on the PostgreSQL server of `TEST_PG_URL`, migrated; `None` (after
    /// reporting the test as skipped) when the variable is unset and PostgreSQL is not
    /// required. Panics when it is required but unset, or set but unreachable.
    pub async fn postgres() -> Option<TestDb> {
        TestDb::postgres_to(None).await
    }

    /// As [`TestDb::postgres`], migrated up to `version` only, or fully with `None`.
    pub async fn postgres_to(version: Option<i64>) -> Option<TestDb> {
        let url = pg_url()?;
        Some(TestDb::postgres_at(&url, version).await)
    }

    async fn postgres_at(url: &str, version: Option<i64>) -> TestDb {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let schema = format!(
            "t_{}_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed),
            time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
        );
        let mut admin = PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("TEST_PG_URL={url} is set but unreachable: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut admin)
            .await
            .expect("create the test schema");
        admin.close().await.ok();
        let opts = PgConnectOptions::from_str(url)
            .expect("TEST_PG_URL is a PostgreSQL URL")
            .options([("search_path", schema.as_str())]);
        let db = Db::connect_postgres(opts, 3)
            .await
            .expect("connect to the test schema");
        migrate_to(&db, version)
            .await
            .expect("migrate the PostgreSQL test schema");
        TestDb {
            db,
            _dir: None,
            pg: Some((url.to_string(), schema)),
        }
    }

    /// For PostgreSQL: a URL that connects to this test's schema (for programs under test
    /// that take a URL, such as `gongkai init --database`).
    pub fn postgres_url(&self) -> Option<String> {
        self.pg.as_ref().map(|(url, schema)| {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}options=-c%20search_path%3D{schema}")
        })
    }

    /// Closes the pool and drops the PostgreSQL schema.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((url, schema)) = &self.pg
            && let Ok(mut admin) = PgConnection::connect(url).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&mut admin)
                .await;
            admin.close().await.ok();
        }
    }
}

/// Set to `1` to make every PostgreSQL test fail, instead of being skipped, when
/// `TEST_PG_URL` is not set.
pub const REQUIRE_PG: &str = "GONGKAI_REQUIRE_PG";

/// Whether the PostgreSQL tests must run: [`REQUIRE_PG`] set to anything but `0`, or `CI` set.
/// Runs the migrations up to `version`, or all of them.
async fn migrate_to(db: &Db, version: Option<i64>) -> crate::error::Result<()> {
    match (db, version) {
        (_, None) => migrate::run(db).await,
        (Db::Sqlite(p), Some(v)) => Ok(migrate::SQLITE.run_to(v, p).await?),
        (Db::Postgres(p), Some(v)) => Ok(migrate::POSTGRES.run_to(v, p).await?),
    }
}

pub fn pg_required() -> bool {
    std::env::var(REQUIRE_PG).is_ok_and(|v| !v.is_empty() && v != "0")
        || std::env::var_os("CI").is_some()
}

/// The test server's URL (`TEST_PG_URL`). When it is unset: panics if PostgreSQL is required
/// ([`pg_required`]), otherwise writes `skipped: TEST_PG_URL not set (TEST)` to standard error
/// and returns `None`, so the calling test returns without testing anything.
pub fn pg_url() -> Option<String> {
    if let Ok(url) = std::env::var("TEST_PG_URL")
        && !url.is_empty()
    {
        return Some(url);
    }
    // The test harness names each test's thread after the test.
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a PostgreSQL test");
    if pg_required() {
        panic!(
            "TEST_PG_URL is not set but PostgreSQL is required ({REQUIRE_PG}=1 or CI): {test} cannot run"
        );
    }
    // Written to the stream itself, not through `eprintln!`, which the harness captures and
    // shows only for a failing test.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: TEST_PG_URL not set ({test}: PostgreSQL leg not run)"
    );
    None
}

/// Defines a test module `$name` with a `sqlite` and a `postgres` test running `$body` with
/// `$db: Db` (an owned clone of the pool handle).
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::testing::TestDb::sqlite().await;
                let $db: $crate::Db = t.db.clone();
                $body.await;
                t.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(t) = $crate::testing::TestDb::postgres().await else {
                    return;
                };
                let $db: $crate::Db = t.db.clone();
                $body.await;
                t.cleanup().await;
            }
        }
    };
}

/// A test agency in 山东省/淄博市/张店区; returns its id.
pub async fn agency(db: &Db, name: &str, code: &str) -> i64 {
    use crate::repo::agency::{self, NewAgency};
    let region = agency::ensure_region_path(db, &["山东省", "淄博市", "张店区"])
        .await
        .expect("region");
    let mut tx = db.begin().await.expect("begin");
    let a = agency::insert_agency(
        &mut tx,
        &NewAgency {
            region_id: region.id,
            name: name.into(),
            org_code: Some(code.into()),
        },
    )
    .await
    .expect("agency");
    tx.commit().await.expect("commit");
    a.id
}
