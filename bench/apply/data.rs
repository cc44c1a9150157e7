//! The data directories: a new one per backend with one agency, behind a trusted proxy; the
//! PostgreSQL server's durability settings; the stored submissions read back.

use crate::floor;
use gongkai_app::App;
use gongkai_store::on_db;
use sqlx::Connection;
use std::net::IpAddr;
use std::path::Path;

const PG_SCHEMA: &str = "bench_apply";
const AGENCY: &str = "张店区机关事务服务中心";

/// `url` with `search_path` set to the benchmark's schema.
fn pg_url(url: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{PG_SCHEMA}")
}

/// The server's durability settings, one line; and whether commits are durable (fsync and
/// synchronous_commit on).
pub async fn pg_settings(url: &str) -> (String, bool) {
    let mut c = sqlx::PgConnection::connect(url).await.expect("pg");
    let mut show = async |name: &str| -> String {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SHOW {name}")))
            .fetch_one(&mut c)
            .await
            .unwrap_or_else(|_| "?".into())
    };
    let version = show("server_version").await;
    let fsync = show("fsync").await;
    let commit = show("synchronous_commit").await;
    let method = show("wal_sync_method").await;
    let data = show("data_directory").await;
    let fs = if Path::new(&data).exists() {
        floor::file_system(Path::new(&data))
    } else {
        "not on this machine".into()
    };
    c.close().await.ok();
    (
        format!(
            "PostgreSQL {version}: fsync={fsync}, synchronous_commit={commit}, wal_sync_method={method}, data in {data} ({fs})"
        ),
        fsync == "on" && commit != "off",
    )
}

/// A new data directory in `dir` (SQLite, or PostgreSQL at `pg` in a fresh schema) with one
/// agency, behind a reverse proxy on this machine: `[auth] trusted_proxies = ["127.0.0.1"]` in
/// its `gongkai.toml`, so the per-client limits key on `X-Forwarded-For`. Returns the opened
/// directory and the agency's id.
pub async fn prepare(dir: &Path, pg: Option<&str>) -> (App, i64) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the old data directory");
    }
    if let Some(url) = pg {
        let mut admin = sqlx::PgConnection::connect(url).await.expect("pg");
        for sql in [
            format!("DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"),
            format!("CREATE SCHEMA {PG_SCHEMA}"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut admin)
                .await
                .expect("schema");
        }
        admin.close().await.ok();
    }
    let app = App::init(dir, pg.map(pg_url).as_deref())
        .await
        .expect("init");
    let operator = gongkai_app::user::actor(&app, None)
        .await
        .expect("operator");
    let agency = gongkai_app::agency::add_agency(
        &app,
        &operator,
        "山东省/淄博市/张店区",
        AGENCY,
        Some("000000009"),
    )
    .await
    .expect("agency");
    app.db.close().await;
    let settings = dir.join(gongkai_app::data_dir::SETTINGS_FILE);
    let mut text = std::fs::read_to_string(&settings).expect("settings");
    text.push_str("\n[auth]\ntrusted_proxies = [\"127.0.0.1\"]\n");
    std::fs::write(&settings, text).expect("settings");
    let app = App::open(dir).await.expect("open");
    let loopback: IpAddr = [127, 0, 0, 1].into();
    assert_eq!(app.settings.auth.trusted_proxies, [loopback]);
    (app, agency.id.get())
}

/// Every 申请编号 stored as an online submission.
pub async fn stored_numbers(app: &App) -> Vec<String> {
    on_db!(&app.db, |p| sqlx::query_scalar(
        "SELECT number FROM online_submission"
    )
    .fetch_all(p)
    .await
    .expect("stored submissions"))
}
