//! Data directories: init, reopen, refusal to initialise twice, extra holiday notices; only
//! `init` creates: a missing, damaged or newer database, settings that do not parse and an
//! unreachable server are refused, and nothing is created.

use gongkai_app::data_dir::DataDirError;
use gongkai_app::{App, AppError};
use gongkai_store::migrate::{self, Schema};
use gongkai_store::{Db, on_db};
use std::path::Path;
use time::macros::date;

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read the data directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The data-directory error of a refused open.
async fn refused(data: &Path) -> DataDirError {
    match App::open(data).await {
        Ok(_) => panic!("{} opened", data.display()),
        Err(AppError::DataDir(e)) => e,
        Err(other) => panic!("not a data-directory error: {other:?}"),
    }
}

/// A SQLite data directory made by `init`, closed.
async fn initialised(root: &Path) -> std::path::PathBuf {
    let data = root.join("data");
    let app = App::init(&data, None).await.expect("init");
    app.db.close().await;
    data
}

#[tokio::test]
async fn init_reopen_and_refuse_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = App::init(&data, None).await.expect("init");
    assert_eq!(app.settings.database.url, "sqlite:gongkai.db");
    app.db.close().await;
    assert!(data.join("gongkai.db").exists());
    let again = App::init(&data, None).await;
    assert!(matches!(again, Err(AppError::DataDir { .. })));
    let bad = App::init(&dir.path().join("other"), Some("mysql://x")).await;
    assert!(matches!(bad, Err(AppError::Invalid { .. })));
    let app = App::open(&data).await.expect("reopen");
    app.db.check_profile().await.expect("durable profile");
    app.db.close().await;
    let missing = App::open(&dir.path().join("nothing")).await;
    assert!(
        missing
            .err()
            .is_some_and(|e| e.to_string().contains("gongkai init"))
    );
}

#[tokio::test]
async fn a_new_years_notice_is_loaded_from_the_data_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = App::init(&data, None).await.expect("init");
    assert!(!app.calendar.covers(date!(2027 - 06 - 01)));
    app.db.close().await;
    let holidays = data.join("holidays").join("cn");
    std::fs::create_dir_all(&holidays).expect("mkdir");
    std::fs::write(
        holidays.join("2027.json"),
        r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#,
    )
    .expect("write");
    let app = App::open(&data).await.expect("reopen");
    assert!(app.calendar.covers(date!(2027 - 06 - 01)));
    assert_eq!(
        app.calendar.is_working_day(date!(2027 - 01 - 01)),
        Ok(false)
    );
    app.db.close().await;
}

#[tokio::test]
async fn a_deleted_database_is_refused_and_not_recreated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = initialised(dir.path()).await;
    for f in ["gongkai.db", "gongkai.db-wal", "gongkai.db-shm"] {
        let _ = std::fs::remove_file(data.join(f));
    }
    assert_eq!(names(&data), ["gongkai.toml", "secret.key"]);
    let err = refused(&data).await;
    assert!(
        matches!(err, DataDirError::DatabaseMissing { .. }),
        "{err:?}"
    );
    let en = err.to_string();
    let db = data.join("gongkai.db").display().to_string();
    assert!(en.starts_with(&format!("{db} does not exist")), "{en}");
    assert!(
        en.contains("restore") && en.contains("gongkai init --data"),
        "{en}"
    );
    assert!(
        err.zh().contains("不存在") && err.zh().contains("备份"),
        "{}",
        err.zh()
    );
    assert_eq!(
        names(&data),
        ["gongkai.toml", "secret.key"],
        "nothing was created"
    );
}

#[tokio::test]
async fn an_empty_damaged_or_foreign_database_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = initialised(dir.path()).await;
    let file = data.join("gongkai.db");
    for (bytes, why) in [
        (&b""[..], "empty or truncated"),
        (
            &b"a restore gone wrong, not a database at all"[..],
            "not a SQLite database",
        ),
    ] {
        std::fs::write(&file, bytes).expect("write");
        let err = refused(&data).await;
        assert!(
            matches!(err, DataDirError::DatabaseUnreadable { .. }) && err.to_string().contains(why),
            "{err}"
        );
        assert_eq!(std::fs::read(&file).expect("read"), bytes, "file untouched");
        assert_eq!(names(&data), ["gongkai.db", "gongkai.toml", "secret.key"]);
    }
    // A SQLite database that `init` did not make (no migration applied).
    std::fs::remove_file(&file).expect("remove");
    let foreign = Db::create_sqlite(&file).await.expect("create");
    foreign.close().await;
    let err = refused(&data).await;
    assert!(matches!(err, DataDirError::NoSchema { .. }), "{err:?}");
    assert!(err.to_string().contains("holds no gongkai data"), "{err}");
}

/// A database that a newer gongkai migrated (a version this build does not know).
async fn add_future_migration(db: &Db) {
    on_db!(db, |p| {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(9_999_i64)
        .bind("from a newer gongkai")
        .bind(true)
        .bind(vec![0_u8; 48])
        .bind(0_i64)
        .execute(p)
        .await
        .expect("insert a future migration");
    });
}

fn assert_newer(err: &DataDirError) {
    match err {
        DataDirError::NewerSchema { applied, known, .. } => {
            assert_eq!(*applied, 9_999);
            assert_eq!(*known, migrate::latest());
        }
        other => panic!("not refused as newer: {other:?}"),
    }
    let en = err.to_string();
    assert!(en.contains("schema version 9999, newer than"), "{en}");
    assert!(err.zh().contains("9999"), "{}", err.zh());
}

#[tokio::test]
async fn a_newer_schema_is_refused_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = initialised(dir.path()).await;
    let db = Db::connect_sqlite(&data.join("gongkai.db"))
        .await
        .expect("open");
    add_future_migration(&db).await;
    db.close().await;
    let before = names(&data);
    assert_newer(&refused(&data).await);
    assert_eq!(names(&data), before, "nothing created or left behind");
    // Nothing was migrated either: still version 9999 on top of what init applied.
    let db = Db::connect_sqlite(&data.join("gongkai.db"))
        .await
        .expect("open");
    assert!(matches!(
        migrate::schema(&db).await.expect("schema"),
        Schema::Newer { applied: 9_999, .. }
    ));
    db.close().await;
}

#[tokio::test]
async fn a_newer_schema_is_refused_on_postgresql() {
    let Some(pg) = gongkai_store::testing::TestDb::postgres().await else {
        return;
    };
    let url = pg.postgres_url().expect("a PostgreSQL test database");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("pg");
    let app = App::init(&data, Some(&url)).await.expect("init");
    app.db.close().await;
    App::open(&data)
        .await
        .expect("open before")
        .db
        .close()
        .await;
    add_future_migration(&pg.db).await;
    assert_newer(&refused(&data).await);
    pg.cleanup().await;
}

#[tokio::test]
async fn an_older_data_directory_is_migrated_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("old");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::write(
        data.join("gongkai.toml"),
        "[database]\nurl = \"sqlite:gongkai.db\"\n",
    )
    .expect("settings");
    // What a release before the catalogue (migrations 0001–0003) left behind.
    let db = Db::create_sqlite(&data.join("gongkai.db"))
        .await
        .expect("create");
    let Db::Sqlite(pool) = &db else {
        unreachable!("a SQLite database")
    };
    migrate::SQLITE
        .run_to(3, pool)
        .await
        .expect("old migrations");
    assert_eq!(
        migrate::schema(&db).await.expect("schema"),
        Schema::Known { applied: 3 }
    );
    db.close().await;
    let app = App::open(&data).await.expect("an older directory opens");
    assert_eq!(
        migrate::schema(&app.db).await.expect("schema"),
        Schema::Known {
            applied: migrate::latest()
        }
    );
    assert!(migrate::latest() >= 100, "the catalogue's migrations ran");
    app.db.close().await;
}

#[tokio::test]
async fn settings_that_do_not_parse_are_refused_with_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = initialised(dir.path()).await;
    let settings = data.join("gongkai.toml");
    std::fs::write(
        &settings,
        "# gongkai\n[database]\nurl = sqlite:gongkai.db\n",
    )
    .expect("write");
    let err = refused(&data).await;
    match &err {
        DataDirError::SettingsInvalid { path, line, .. } => {
            assert_eq!(path, &settings);
            assert_eq!(*line, Some(3));
        }
        other => panic!("{other:?}"),
    }
    let en = err.to_string();
    assert!(
        en.starts_with(&format!("{} (line 3, column ", settings.display())),
        "{en}"
    );
    assert!(en.contains("does not parse"), "{en}");
    assert!(err.zh().contains("第 3 行"), "{}", err.zh());

    std::fs::write(&settings, "[db]\nurl = \"sqlite:gongkai.db\"\n").expect("write");
    let err = refused(&data).await.to_string();
    assert!(err.contains("missing field `database`"), "{err}");
    std::fs::write(&settings, "[database]\nurl = \"mysql://u:pw@h/x\"\n").expect("write");
    let err = refused(&data).await.to_string();
    assert!(err.contains("must be sqlite:FILE or postgres://"), "{err}");
    assert!(!err.contains(":pw@"), "password redacted: {err}");
}

#[tokio::test]
async fn an_unreachable_postgresql_server_is_refused_at_once() {
    // A loopback port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("pg");
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::write(
        data.join("gongkai.toml"),
        format!("[database]\nurl = \"postgres://gongkai:s3cret@127.0.0.1:{port}/gongkai\"\n"),
    )
    .expect("settings");
    let started = std::time::Instant::now();
    let err = refused(&data).await;
    let took = started.elapsed();
    assert!(
        took < gongkai_store::db::CONNECT_TIMEOUT,
        "refused in {took:?}, not retried until a timeout"
    );
    assert!(matches!(err, DataDirError::Unreachable { .. }), "{err:?}");
    let en = err.to_string();
    assert!(
        en.starts_with(&format!(
            "cannot connect to the PostgreSQL database postgres://gongkai:***@127.0.0.1:{port}/gongkai"
        )),
        "{en}"
    );
    assert!(en.contains("check that the server is running"), "{en}");
    assert!(!en.contains("s3cret") && !err.zh().contains("s3cret"));
    assert_eq!(names(&data), ["gongkai.toml"]);

    // `init --database` on that server: refused the same way, no directory left behind.
    let new = dir.path().join("new");
    let url = format!("postgres://gongkai@127.0.0.1:{port}/gongkai");
    match App::init(&new, Some(&url)).await {
        Err(AppError::DataDir(e @ DataDirError::Unreachable { .. })) => {
            assert!(e.to_string().contains("given with --database"), "{e}");
        }
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("initialised on a closed port"),
    }
    assert!(!new.exists());

    // A server that accepts the connection and never answers: refused after the connect
    // timeout, not waited on for ever.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = silent.local_addr().expect("address").port();
    std::fs::write(
        data.join("gongkai.toml"),
        format!("[database]\nurl = \"postgres://gongkai@127.0.0.1:{port}/gongkai\"\n"),
    )
    .expect("settings");
    let started = std::time::Instant::now();
    let err = refused(&data).await;
    let took = started.elapsed();
    let limit = gongkai_store::db::CONNECT_TIMEOUT;
    assert!(
        took >= limit && took < limit + std::time::Duration::from_secs(3),
        "refused after {took:?}"
    );
    assert!(
        matches!(err, DataDirError::Unreachable { .. })
            && err.to_string().contains("no answer within"),
        "{err}"
    );
    drop(silent);
}

#[tokio::test]
async fn fee_payment_period_is_configured_in_the_settings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    App::init(&data, None).await.expect("init").db.close().await;
    let settings = data.join("gongkai.toml");
    let text = std::fs::read_to_string(&settings).expect("read");
    std::fs::write(
        &settings,
        format!("{text}\n[periods]\nfee_payment_days = 15\n"),
    )
    .expect("write");
    let app = App::open(&data).await.expect("open");
    assert_eq!(app.law().periods.fee_payment_days, 15);
    app.db.close().await;
    // Out of bounds, or an unknown key: refused with the file named.
    for bad in [
        "fee_payment_days = 0",
        "fee_payment_days = 61",
        "payment_days = 10",
    ] {
        std::fs::write(&settings, format!("{text}\n[periods]\n{bad}\n")).expect("write");
        let err = match App::open(&data).await {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{bad} accepted"),
        };
        assert!(err.contains("gongkai.toml"), "{bad}: {err}");
    }
}
