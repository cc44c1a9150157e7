//! The audit log's chain on SQLite and PostgreSQL (docs/audit-log.md; DB-AU-3, FG-13): the
//! database refuses updates and deletes, and with its triggers removed — raw access to the
//! file or the server — an edited, deleted, reordered or truncated log is found and the first
//! bad entry named.

use gongkai_app::App;
use gongkai_app::audit_log::{self, Outcome, Record};
use gongkai_app::error::Localized;
use gongkai_store::{Db, db_test, on_db};
use time::macros::datetime;

async fn write(app: &App, n: usize) {
    for i in 0..n {
        audit_log::record(
            app,
            Record {
                at: datetime!(2026-12-06 08:00:00.123456 UTC) + time::Duration::seconds(i as i64),
                actor: if i % 2 == 0 {
                    Some((1, "钱管".into()))
                } else {
                    None
                },
                client: "192.0.2.1".into(),
                action: "POST /staff/cases/{number}/events/{form}".into(),
                object: format!("/staff/cases/2026-{i:06}/events/decided"),
                outcome: if i % 3 == 0 {
                    Outcome::Refused
                } else {
                    Outcome::Success
                },
                detail: "303".into(),
            },
        )
        .await
        .expect("record");
    }
}

async fn exec(db: &Db, sql: &str) -> Result<(), String> {
    on_db!(db, |pool| {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}

async fn drop_guards(db: &Db) {
    let sql = match db {
        Db::Sqlite(_) => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
        Db::Postgres(_) => {
            "DROP TRIGGER audit_log_no_update ON audit_log; DROP TRIGGER audit_log_no_delete ON audit_log;"
        }
    };
    exec(db, sql).await.expect("drop the triggers");
}

async fn first_bad(app: &App) -> Option<(i64, String)> {
    let v = audit_log::verify(app).await.expect("verify");
    v.first_bad.map(|b| (b.seq, b.reason))
}

db_test!(
    db_au_3_the_chain_finds_edits_deletions_reorders_and_truncation,
    |db| async move {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = App::with_db(dir.path(), db.clone()).expect("app");
        write(&app, 8).await;
        let v = audit_log::verify(&app).await.expect("verify");
        assert!(v.ok() && v.entries == 8, "{v:?}");
        // The database itself refuses changes.
        for sql in [
            "UPDATE audit_log SET actor = 'x' WHERE seq = 3",
            "DELETE FROM audit_log WHERE seq = 3",
        ] {
            let e = exec(&db, sql).await.expect_err(sql);
            assert!(e.contains("append-only"), "{e}");
        }
        drop_guards(&db).await;

        // An edited field.
        exec(
            &db,
            "UPDATE audit_log SET outcome = 'success' WHERE seq = 4",
        )
        .await
        .expect("edit");
        let (seq, why) = first_bad(&app).await.expect("edit found");
        assert_eq!(seq, 4);
        assert!(why.contains("edited"), "{why}");
        exec(
            &db,
            "UPDATE audit_log SET outcome = 'refused' WHERE seq = 4",
        )
        .await
        .expect("undo");
        assert_eq!(first_bad(&app).await, None);

        // An edited time (even by a millisecond).
        let shift = match &db {
            Db::Sqlite(_) => {
                "UPDATE audit_log SET at = (SELECT at FROM audit_log WHERE seq = 2) WHERE seq = 5"
            }
            Db::Postgres(_) => {
                "UPDATE audit_log SET at = at + interval '1 millisecond' WHERE seq = 5"
            }
        };
        exec(&db, shift).await.expect("time");
        assert_eq!(first_bad(&app).await.map(|b| b.0), Some(5));

        // A fresh log for the other cases: the rows of entries 6 and 7 swapped (numbers kept in
        // order, contents reordered).
        exec(&db, "DELETE FROM audit_log").await.expect("clear");
        exec(&db, "UPDATE audit_head SET seq = 0, hash = ''")
            .await
            .expect("head");
        write(&app, 8).await;
        assert_eq!(first_bad(&app).await, None);
        let swap = "UPDATE audit_log SET seq = -6 WHERE seq = 6; \
                UPDATE audit_log SET seq = 6 WHERE seq = 7; \
                UPDATE audit_log SET seq = 7 WHERE seq = -6;";
        exec(&db, swap).await.expect("swap");
        let (seq, why) = first_bad(&app).await.expect("reorder found");
        assert_eq!(seq, 6);
        assert!(why.contains("reordered"), "{why}");
        exec(&db, swap).await.expect("swap back");
        assert_eq!(first_bad(&app).await, None);

        // A deleted entry in the middle, then the newest ones.
        exec(&db, "DELETE FROM audit_log WHERE seq = 3")
            .await
            .expect("delete");
        let (seq, why) = first_bad(&app).await.expect("deletion found");
        assert_eq!(seq, 3);
        assert!(why.contains("missing"), "{why}");
        exec(&db, "DELETE FROM audit_log WHERE seq >= 3")
            .await
            .expect("truncate");
        let (seq, why) = first_bad(&app).await.expect("truncation found");
        assert_eq!(seq, 3);
        assert!(why.contains("newest entries were removed"), "{why}");
    }
);

db_test!(
    db_au_3_a_log_under_another_key_does_not_verify,
    |db| async move {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = App::with_db(dir.path(), db.clone()).expect("app");
        write(&app, 3).await;
        // Another installation's key: every entry's hash fails from the first.
        let other = tempfile::tempdir().expect("tempdir");
        let forged = App::with_db(other.path(), db).expect("app");
        let v = audit_log::verify(&forged).await.expect("verify");
        assert_eq!(v.first_bad.map(|b| b.seq), Some(1));
    }
);

/// Records one entry at `at`.
async fn entry_at(app: &App, at: time::OffsetDateTime, action: &str) {
    audit_log::record(
        app,
        Record {
            at,
            actor: None,
            client: "cli".into(),
            action: action.into(),
            object: String::new(),
            outcome: Outcome::Success,
            detail: "exit 0".into(),
        },
    )
    .await
    .expect("record");
}

db_test!(
    db_mc_4_retention_purges_old_entries_behind_a_keyed_anchor,
    |db| async move {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = App::with_db(dir.path(), db.clone()).expect("app");
        let now = datetime!(2026-12-06 08:00 UTC);
        // Three entries from two years ago, two from 300 days ago, one today.
        for d in [800, 790, 780] {
            entry_at(&app, now - time::Duration::days(d), "cli old").await;
        }
        for d in [300, 299] {
            entry_at(&app, now - time::Duration::days(d), "cli recent").await;
        }
        entry_at(&app, now, "cli today").await;
        // The default keeps 400 days: the three old entries go, the log verifies from there.
        let p = audit_log::purge(&app, now).await.expect("purge");
        assert_eq!((p.entries, p.anchor), (3, 3));
        let v = audit_log::verify(&app).await.expect("verify");
        assert!(v.ok(), "{v:?}");
        assert_eq!(v.entries, 3);
        // Nothing more is due; the append-only guard is back.
        assert_eq!(audit_log::purge(&app, now).await.expect("again").entries, 0);
        assert!(
            exec(&db, "DELETE FROM audit_log WHERE seq = 4")
                .await
                .is_err()
        );
        entry_at(&app, now, "cli later").await;
        assert!(audit_log::verify(&app).await.expect("verify").ok());
        // Less than a year of retention is refused when the settings are read.
        assert!(
            audit_log::AuditSettings {
                retention_days: 300
            }
            .check()
            .is_err()
        );
        // Moving the anchor to hide deleted entries needs the key: without it, found.
        drop_guards(&db).await;
        exec(&db, "DELETE FROM audit_log WHERE seq = 4")
            .await
            .expect("delete");
        let hash5 = {
            let rows: Vec<(String,)> = on_db!(&db, |pool| {
                sqlx::query_as("SELECT prev_hash FROM audit_log WHERE seq = 5")
                    .fetch_all(pool)
                    .await
                    .expect("row")
            });
            rows[0].0.clone()
        };
        exec(
            &db,
            &format!("UPDATE audit_anchor SET seq = 4, hash = '{hash5}' WHERE id = 1"),
        )
        .await
        .expect("move the anchor");
        let (seq, why) = first_bad(&app).await.expect("a moved anchor is found");
        assert_eq!(seq, 4);
        assert!(why.contains("anchor"), "{why}");
        // A broken log is evidence: never purged.
        let e = audit_log::purge(&app, now + time::Duration::days(400))
            .await
            .expect_err("broken");
        assert!(!e.en().is_empty());
    }
);
