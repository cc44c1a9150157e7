//! The restore drill on PostgreSQL (RL-8, DB-BR-1): a data directory on its own database is
//! dumped with pg_dump while open, restored into an empty database with the key file kept
//! apart, and reads the same case with a verifying audit chain; a non-empty target is refused.
//! (SQLite's drill runs on the built binary: `tests/cli/backup.rs`.)

use gongkai_app::application::{self, Registration, RequestedInfo};
use gongkai_app::audit_log::{self, Outcome, Record};
use gongkai_app::{App, agency, backup, user};
use gongkai_core::application::{Applicant, Channel, Contact, Delivery, IdType, ReceiptFacts};
use sqlx::Connection;
use time::macros::date;

/// `TEST_PG_URL` with another database name.
fn with_db(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL");
    format!("{base}/{name}")
}

async fn admin_sql(url: &str, sql: &str) {
    let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut c)
        .await
        .expect(sql);
    c.close().await.ok();
}

#[tokio::test]
async fn rl_8_postgresql_backup_and_restore_drill() {
    let Some(url) = gongkai_store::testing::pg_url() else {
        return;
    };
    let tag = format!(
        "{}_{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000
    );
    let (src, dst) = (format!("gk_bk_src_{tag}"), format!("gk_bk_dst_{tag}"));
    admin_sql(&url, &format!("CREATE DATABASE {src}")).await;
    admin_sql(&url, &format!("CREATE DATABASE {dst}")).await;

    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let app = App::init(&data, Some(&with_db(&url, &src)))
        .await
        .expect("init");
    let admin = user::actor(&app, Some("operator")).await.expect("operator");
    agency::add_agency(
        &app,
        &admin,
        "山东省/淄博市/张店区",
        "张店区某局",
        Some("000000009"),
    )
    .await
    .expect("agency");
    let applicant = Applicant::person(
        "张三",
        IdType::ResidentIdCard,
        "11010519491231002X",
        Contact {
            phone: Some("13912345678".into()),
            ..Contact::default()
        },
        date!(2026 - 01 - 01),
    )
    .expect("applicant");
    let number = application::register(
        &app,
        &admin,
        Registration {
            agency: "张店区某局".into(),
            channel: Channel::InPerson,
            receipt: ReceiptFacts {
                arrived_on: date!(2026 - 03 - 02),
                confirmed_on: None,
            },
            applicant: applicant.clone(),
            request: RequestedInfo {
                description: "2025年部门预算".into(),
                delivery: Delivery::Email,
            },
        },
        date!(2026 - 03 - 02),
    )
    .await
    .expect("register")
    .number;
    audit_log::record(
        &app,
        Record {
            at: time::OffsetDateTime::now_utc(),
            actor: Some((admin.id.get(), admin.display_name.clone())),
            client: "cli".into(),
            action: "cli application register".into(),
            object: String::new(),
            outcome: Outcome::Success,
            detail: "exit 0".into(),
        },
    )
    .await
    .expect("audit");
    let file = dir.path().join("pg.backup");
    let done = backup::backup(&app, &file).await.expect("pg_dump");
    assert_eq!(done.kind, backup::Kind::Postgres);
    let before = backup::counts(&app).await.expect("counts");
    app.db.close().await;

    let restored = dir.path().join("restored");
    let key = data.join("secret.key");
    let r = backup::restore(
        &restored,
        &file,
        Some(&key),
        Some(&with_db(&url, &dst)),
        "operator",
    )
    .await
    .expect("restore");
    assert_eq!(r.counts, before);
    assert!(r.audit.ok() && r.audit.entries >= 1, "{:?}", r.audit);
    let app = App::open(&restored)
        .await
        .expect("open the restored directory");
    let case = application::show(&app, &number, date!(2026 - 03 - 03))
        .await
        .expect("case");
    assert_eq!(case.applicant, applicant);
    app.db.close().await;
    // A target that already holds gongkai data is refused; nothing is left in the new dir.
    let again = dir.path().join("again");
    let e = backup::restore(
        &again,
        &file,
        Some(&key),
        Some(&with_db(&url, &dst)),
        "operator",
    )
    .await
    .expect_err("non-empty target");
    assert!(e.to_string().contains("already holds gongkai data"), "{e}");
    assert!(!again.exists());

    admin_sql(&url, &format!("DROP DATABASE {src} WITH (FORCE)")).await;
    admin_sql(&url, &format!("DROP DATABASE {dst} WITH (FORCE)")).await;
}
