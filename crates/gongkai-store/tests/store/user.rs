//! Users on both backends, and the migration that turned free-text names into users.

use gongkai_core::ids::UserId;
use gongkai_core::user::Role;
use gongkai_store::repo::user::{self, NewUser};
use gongkai_store::testing::{TestDb, agency};
use gongkai_store::{StoreError, db_test, on_db};

fn new(name: &str, display: &str, roles: &[Role]) -> NewUser {
    NewUser {
        name: name.into(),
        display_name: display.into(),
        roles: roles.to_vec(),
        agency: None,
        region: None,
    }
}

db_test!(
    users_are_unique_by_name_and_disabled_not_deleted,
    |db| async move {
        let mut tx = db.begin().await.expect("tx");
        let a = user::insert(&mut tx, &new("zhangwei1", "张伟", &[Role::Entry]))
            .await
            .expect("a");
        let b = user::insert(
            &mut tx,
            &new("zhangwei2", "张伟", &[Role::Review, Role::Secrecy]),
        )
        .await
        .expect("b: same display name");
        tx.commit().await.expect("commit");
        assert_ne!(a.actor.id, b.actor.id);
        let mut tx = db.begin().await.expect("tx");
        let dup = user::insert(&mut tx, &new("zhangwei1", "张伟", &[])).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        drop(tx);
        let found = user::find_by_name(&db, "zhangwei2").await.expect("find");
        assert_eq!(
            found.map(|u| u.actor.roles),
            Some(vec![Role::Review, Role::Secrecy])
        );
        let mut tx = db.begin().await.expect("tx");
        let off = user::disable(&mut tx, a.actor.id).await.expect("disable");
        tx.commit().await.expect("commit");
        assert!(!off.active && off.disabled_at.is_some());
        assert_eq!(user::list(&db).await.expect("list").len(), 2);
        assert!(matches!(
            user::find(&db, UserId::new(999)).await,
            Err(StoreError::NotFound { .. })
        ));
    }
);

/// A database as the release before users left it (migrations up to 0100), with names typed
/// in as free text; then the users migration.
async fn migrates_names(t: TestDb) {
    let db = &t.db;
    let agency_id = agency(db, "张店区某局", "000000009").await;
    let now = time::OffsetDateTime::now_utc();
    // The schema of that release: written in SQL, as today's repository functions read
    // columns added since.
    let case_id: i64 = on_db!(db, |p| {
        sqlx::query_scalar(
            "INSERT INTO application (agency_id, number, query_code_hash, received_on, channel, \
             applicant_kind, applicant, request, status, created_at) \
             VALUES ($1, '2021-000001', $2, $3, 'in_person', 'natural_person', '{}', '{}', \
             'processing', $4) RETURNING id",
        )
        .bind(agency_id)
        .bind("0".repeat(64))
        .bind(time::macros::date!(2021 - 03 - 01))
        .bind(now)
        .fetch_one(p)
        .await
        .expect("application")
    });
    on_db!(db, |p| {
        for (seq, actor) in [(1, Some(" 张伟 ")), (2, Some("李四")), (3, None)] {
            sqlx::query(
                "INSERT INTO application_event (application_id, seq, kind, occurred_on, payload, \
                 actor, recorded_at) VALUES ($1, $2, 'x', $3, '{}', $4, $5)",
            )
            .bind(case_id)
            .bind(seq)
            .bind(time::macros::date!(2021 - 03 - 02))
            .bind(actor)
            .bind(now)
            .execute(p)
            .await
            .expect("event");
        }
        sqlx::query(
            "INSERT INTO table2_entry (agency_id, year, sub, row_key, col, value, entered_by, \
             entered_at, created_at) VALUES ($1, 2021, 'a', 'b', 'c', '1', '张伟', $2, $2)",
        )
        .bind(agency_id)
        .bind(now)
        .execute(p)
        .await
        .expect("table 二 entry");
    });
    gongkai_store::migrate::run(db)
        .await
        .expect("the users migration");
    let users = user::list(db).await.expect("users");
    let names: Vec<&str> = users.iter().map(|u| u.actor.name.as_str()).collect();
    assert_eq!(names, ["张伟", "李四"]);
    assert!(users.iter().all(
        |u| u.active && u.actor.roles == [Role::Entry, Role::Review, Role::Secrecy, Role::Head]
    ));
    let zhang = users[0].actor.id.get();
    let ids: Vec<Option<i64>> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT actor_id FROM application_event ORDER BY seq")
            .fetch_all(p)
            .await
            .expect("ids")
    });
    assert_eq!(ids, [Some(zhang), Some(users[1].actor.id.get()), None]);
    let entered: Option<i64> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT entered_by_id FROM table2_entry")
            .fetch_one(p)
            .await
            .expect("entry")
    });
    assert_eq!(entered, Some(zhang));
    // The event log is append-only again after the migration.
    let refused: bool = on_db!(db, |p| {
        sqlx::query("UPDATE application_event SET actor = 'x'")
            .execute(p)
            .await
            .is_err()
    });
    assert!(refused, "the append-only guard is back");
    t.cleanup().await;
}

#[tokio::test]
async fn free_text_names_become_users_sqlite() {
    migrates_names(TestDb::sqlite_to(Some(100)).await).await;
}

#[tokio::test]
async fn free_text_names_become_users_postgres() {
    if let Some(t) = TestDb::postgres_to(Some(100)).await {
        migrates_names(t).await;
    }
}
