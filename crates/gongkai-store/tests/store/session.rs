//! Passwords, staff sessions and failed sign-ins on both backends (docs/security.md).

use gongkai_core::ids::UserId;
use gongkai_core::user::Role;
use gongkai_store::repo::session::{self, Session, to_second};
use gongkai_store::repo::user::{self, NewUser};
use gongkai_store::{Db, StoreError, db_test};
use time::Duration;
use time::macros::datetime;

const PHC: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

async fn add_user(db: &Db, name: &str) -> UserId {
    let mut tx = db.begin().await.expect("tx");
    let u = user::insert(
        &mut tx,
        &NewUser {
            name: name.into(),
            display_name: name.into(),
            roles: vec![Role::Entry],
            agency: None,
            region: None,
        },
    )
    .await
    .expect("user");
    tx.commit().await.expect("commit");
    u.actor.id
}

fn session_of(user: UserId, n: u8, at: time::OffsetDateTime) -> Session {
    Session {
        token_hash: format!("{n:02x}").repeat(32),
        user_id: user,
        csrf_secret: "c".repeat(64),
        client: "192.0.2.1".into(),
        created_at: at,
        last_seen_at: at,
        expires_at: at + Duration::hours(8),
    }
}

db_test!(
    password_hashes_are_stored_and_only_argon2id,
    |db| async move {
        let id = add_user(&db, "zhangwei").await;
        let none = user::credentials_by_name(&db, " zhangwei ")
            .await
            .expect("read")
            .expect("user");
        assert_eq!(none.user.actor.id, id);
        assert_eq!(none.password_hash, None);
        assert!(!none.user.has_password);
        assert_eq!(none.password_changed_at, None);
        assert_eq!(
            user::credentials_by_name(&db, "nobody")
                .await
                .expect("read"),
            None
        );

        let at = datetime!(2024-05-06 09:30:15.25 +8);
        let mut tx = db.begin().await.expect("tx");
        user::set_password_hash(&mut tx, id, PHC, at)
            .await
            .expect("set");
        tx.commit().await.expect("commit");
        let set = user::credentials_by_name(&db, "zhangwei")
            .await
            .expect("read")
            .expect("user");
        assert_eq!(set.password_hash.as_deref(), Some(PHC));
        assert!(set.user.has_password);
        assert!(user::find(&db, id).await.expect("find").has_password);
        assert_eq!(set.password_changed_at, Some(to_second(at)));

        let mut tx = db.begin().await.expect("tx");
        let bad = user::set_password_hash(&mut tx, id, "plain text", at).await;
        assert!(matches!(bad, Err(StoreError::Invalid { .. })), "{bad:?}");
        let missing = user::set_password_hash(&mut tx, UserId::new(999), PHC, at).await;
        assert!(
            matches!(missing, Err(StoreError::NotFound { .. })),
            "{missing:?}"
        );
        // An upgrade applies only over the hash it was computed from.
        let newer = PHC.replace("t=2", "t=3");
        assert!(
            !user::upgrade_password_hash(&mut tx, id, "$argon2id$other", &newer)
                .await
                .expect("no upgrade")
        );
        assert!(
            user::upgrade_password_hash(&mut tx, id, PHC, &newer)
                .await
                .expect("upgrade")
        );
        tx.commit().await.expect("commit");
        let up = user::credentials_by_name(&db, "zhangwei")
            .await
            .expect("read")
            .expect("user");
        assert_eq!(up.password_hash, Some(newer));
    }
);

db_test!(sessions_are_found_touched_and_ended, |db| async move {
    let a = add_user(&db, "a").await;
    let b = add_user(&db, "b").await;
    let t0 = datetime!(2024-05-06 09:00:00.75 +8);
    let mut tx = db.begin().await.expect("tx");
    let s1 = session::insert(&mut tx, &session_of(a, 1, t0))
        .await
        .expect("s1");
    session::insert(&mut tx, &session_of(a, 2, t0 + Duration::minutes(1)))
        .await
        .expect("s2");
    session::insert(&mut tx, &session_of(b, 3, t0))
        .await
        .expect("s3");
    tx.commit().await.expect("commit");
    // Times are kept in UTC to the second.
    assert_eq!(s1.created_at, to_second(t0));
    assert_eq!(s1.created_at.offset(), time::UtcOffset::UTC);
    let found = session::find(&db, &s1.token_hash)
        .await
        .expect("find")
        .expect("s1");
    assert_eq!(found, s1);
    assert_eq!(
        session::find(&db, &"f".repeat(64)).await.expect("find"),
        None
    );
    let mine = session::list_for_user(&db, a).await.expect("list");
    assert_eq!(
        mine.iter().map(|s| &s.token_hash[..2]).collect::<Vec<_>>(),
        ["02", "01"]
    );

    // Touching moves last_seen forward, never back.
    let mut tx = db.begin().await.expect("tx");
    session::touch(&mut tx, &s1.token_hash, t0 + Duration::minutes(5))
        .await
        .expect("touch");
    session::touch(&mut tx, &s1.token_hash, t0 + Duration::minutes(2))
        .await
        .expect("touch back");
    tx.commit().await.expect("commit");
    let seen = session::find(&db, &s1.token_hash)
        .await
        .expect("find")
        .expect("s1");
    assert_eq!(seen.last_seen_at, to_second(t0 + Duration::minutes(5)));

    // Expired: past the absolute limit, or idle since before the cut-off.
    let mut tx = db.begin().await.expect("tx");
    let idle = session::delete_expired(&mut tx, t0 + Duration::hours(1), t0 + Duration::minutes(3))
        .await
        .expect("sweep");
    tx.commit().await.expect("commit");
    assert_eq!(idle, 2, "s2 and s3 were idle since before the cut-off");
    let mut tx = db.begin().await.expect("tx");
    let late = session::delete_expired(&mut tx, t0 + Duration::hours(8), t0 - Duration::hours(1))
        .await
        .expect("sweep");
    tx.commit().await.expect("commit");
    assert_eq!(late, 1, "s1 reached its absolute limit");
    assert!(
        session::list_for_user(&db, a)
            .await
            .expect("list")
            .is_empty()
    );

    // Ending one session, then all of a user's.
    let mut tx = db.begin().await.expect("tx");
    let s4 = session::insert(&mut tx, &session_of(a, 4, t0))
        .await
        .expect("s4");
    session::insert(&mut tx, &session_of(a, 5, t0))
        .await
        .expect("s5");
    session::insert(&mut tx, &session_of(b, 6, t0))
        .await
        .expect("s6");
    assert!(session::delete(&mut tx, &s4.token_hash).await.expect("end"));
    assert!(
        !session::delete(&mut tx, &s4.token_hash)
            .await
            .expect("again")
    );
    assert_eq!(session::delete_for_user(&mut tx, a).await.expect("all"), 1);
    tx.commit().await.expect("commit");
    assert_eq!(session::list_for_user(&db, b).await.expect("b").len(), 1);
    // The same token cannot be stored twice.
    let mut tx = db.begin().await.expect("tx");
    let dup = session::insert(&mut tx, &session_of(b, 6, t0)).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
});

db_test!(
    failures_are_counted_by_name_or_client_and_pruned,
    |db| async move {
        let t0 = datetime!(2024-05-06 09:00 UTC);
        let mut tx = db.begin().await.expect("tx");
        for (name, client, minutes) in [
            ("admin", "192.0.2.1", 0),
            ("admin", "192.0.2.1", 1),
            ("admin", "198.51.100.7", 2),
            ("zhang", "192.0.2.1", 3),
            ("li", "203.0.113.9", 4),
            ("admin", "192.0.2.1", 30),
        ] {
            session::record_failure(&mut tx, name, client, t0 + Duration::minutes(minutes))
                .await
                .expect("record");
        }
        tx.commit().await.expect("commit");
        let recent = session::failures(&db, "admin", "192.0.2.1", t0, 100)
            .await
            .expect("failures");
        let got: Vec<(&str, &str, i64)> = recent
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.client.as_str(),
                    (f.at - t0).whole_minutes(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("admin", "192.0.2.1", 0),
                ("admin", "192.0.2.1", 1),
                ("admin", "198.51.100.7", 2),
                ("zhang", "192.0.2.1", 3),
                ("admin", "192.0.2.1", 30),
            ],
            "by the name from any client, or from the client for any name; oldest first"
        );
        // A limit keeps the newest.
        let newest = session::failures(&db, "admin", "192.0.2.1", t0, 2)
            .await
            .expect("failures");
        assert_eq!(
            newest
                .iter()
                .map(|f| (f.at - t0).whole_minutes())
                .collect::<Vec<_>>(),
            [3, 30]
        );
        let since = session::failures(&db, "admin", "-", t0 + Duration::minutes(2), 100)
            .await
            .expect("failures");
        assert_eq!(since.len(), 2);

        let mut tx = db.begin().await.expect("tx");
        assert_eq!(
            session::clear_failures(&mut tx, "admin", "192.0.2.1")
                .await
                .expect("clear"),
            3
        );
        assert_eq!(
            session::prune_failures(&mut tx, t0 + Duration::minutes(3))
                .await
                .expect("prune"),
            1,
            "the one from 198.51.100.7 at minute 2"
        );
        tx.commit().await.expect("commit");
        let left = session::failures(&db, "zhang", "203.0.113.9", t0, 100)
            .await
            .expect("failures");
        assert_eq!(
            left.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["zhang", "li"]
        );
    }
);
