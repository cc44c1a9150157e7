//! The audit log's chain on SQLite and PostgreSQL (docs/audit-log.md; DB-AU-3, FG-13): the
//! database refuses updates and deletes, and with its triggers removed — raw access to the
//! file or the server — an edited, deleted, reordered or truncated log is found and the first
//! bad entry named.

use gongkai_app::App;
use gongkai_app::audit_log::{self, Outcome, Record};
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
