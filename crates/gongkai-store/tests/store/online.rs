//! Online submissions on both backends: numbers from the applications' counter, the unique
//! idempotency key, decisions that are final, no deletion; a re-issued 查询码 (migration 0107)
//! replaces a pending submission's digest only, and its record is append-only.

use gongkai_core::user::Role;
use gongkai_store::repo::application::{self as app, NewApplication};
use gongkai_store::repo::online::{self, Decision, ListFilter, NewSubmission};
use gongkai_store::repo::query_code::{self as codes, NewReissue};
use gongkai_store::repo::user::{self as users, NewUser};
use gongkai_store::testing::agency;
use gongkai_store::{Db, db_test, on_db};
use time::macros::{date, datetime};

fn submission(agency_id: i64, key: &str) -> NewSubmission {
    NewSubmission {
        agency_id,
        number: String::new(),
        query_code_hash: "0".repeat(64),
        idempotency_key: key.into(),
        fingerprint: "f".repeat(64),
        applicant_kind: "natural_person".into(),
        applicant: r#"{"type":"person","name":"张三"}"#.into(),
        request: r#"{"request":{"description":"2025年预算"}}"#.into(),
        submitted_at: datetime!(2026-03-02 01:15 UTC),
        submitted_on: date!(2026 - 03 - 02),
    }
}

/// Draws a number and stores the submission; `None` when the key was taken (rolled back).
async fn submit(db: &Db, new: &NewSubmission) -> Option<online::SubmissionRow> {
    let mut tx = db.begin().await.expect("begin");
    let mut new = new.clone();
    new.number = app::next_number(&mut tx, new.submitted_on)
        .await
        .expect("number");
    match online::insert(&mut tx, &new).await.expect("insert") {
        Some(row) => {
            tx.commit().await.expect("commit");
            Some(row)
        }
        None => {
            tx.rollback().await.expect("rollback");
            None
        }
    }
}

async fn clerk(db: &Db) -> i64 {
    let mut tx = db.begin().await.expect("begin");
    let u = users::insert(
        &mut tx,
        &NewUser {
            name: "clerk".into(),
            display_name: "王明".into(),
            roles: vec![Role::Entry],
            agency: None,
            region: None,
        },
    )
    .await
    .expect("user");
    tx.commit().await.expect("commit");
    u.actor.id.get()
}

db_test!(
    rl_4_the_idempotency_key_is_unique_and_spends_no_number,
    |db| async move {
        let a = agency(&db, "甲局", "A1").await;
        let first = submit(&db, &submission(a, "key-0000000000000001"))
            .await
            .expect("stored");
        assert_eq!(first.number, "2026-000001");
        assert_eq!(first.status, "pending");
        assert_eq!(first.submitted_at, datetime!(2026-03-02 01:15 UTC));
        assert!(
            submit(&db, &submission(a, "key-0000000000000001"))
                .await
                .is_none()
        );
        let again = online::find_by_key(&db, "key-0000000000000001")
            .await
            .expect("find")
            .expect("found");
        assert_eq!(again, first);
        // The rolled-back attempt gave its number back; applications share the counter.
        let second = submit(&db, &submission(a, "key-0000000000000002"))
            .await
            .expect("stored");
        assert_eq!(second.number, "2026-000002");
        let mut tx = db.begin().await.expect("begin");
        let number = app::next_number(&mut tx, date!(2026 - 03 - 03))
            .await
            .expect("number");
        tx.commit().await.expect("commit");
        assert_eq!(number, "2026-000003");
        assert_eq!(
            online::find_by_number(&db, " 2026-000002 ")
                .await
                .expect("find"),
            Some(second)
        );
        assert_eq!(
            online::find_by_number(&db, "2026-000009")
                .await
                .expect("find"),
            None
        );
    }
);

db_test!(
    a_decision_is_final_and_nothing_is_deleted,
    |db| async move {
        let a = agency(&db, "甲局", "A1").await;
        let by = clerk(&db).await;
        let s1 = submit(&db, &submission(a, "key-0000000000000001"))
            .await
            .expect("stored");
        let s2 = submit(&db, &submission(a, "key-0000000000000002"))
            .await
            .expect("stored");
        let pending = online::list(
            &db,
            &ListFilter {
                agency_id: Some(a),
                status: Some("pending".into()),
            },
        )
        .await
        .expect("list");
        assert_eq!(pending.len(), 2);

        // Confirm s1: its application row under the same number.
        let mut tx = db.begin().await.expect("begin");
        let row = app::insert(
            &mut tx,
            &NewApplication {
                agency_id: a,
                number: s1.number.clone(),
                query_code_hash: s1.query_code_hash.clone(),
                received_on: date!(2026 - 03 - 03),
                channel: "online".into(),
                applicant_kind: s1.applicant_kind.clone(),
                applicant: s1.applicant.clone(),
                request: s1.request.clone(),
                status: "processing".into(),
                id_index: None,
            },
        )
        .await
        .expect("application");
        let done = online::decide(
            &mut tx,
            s1.id,
            &Decision::Confirmed {
                application_id: row.id,
            },
            date!(2026 - 03 - 03),
            by,
        )
        .await
        .expect("confirm");
        tx.commit().await.expect("commit");
        assert_eq!(done.status, "confirmed");
        assert_eq!(done.application_id, Some(row.id));

        // Deciding again is refused by the store and by the database.
        let mut tx = db.begin().await.expect("begin");
        let err = online::decide(
            &mut tx,
            s1.id,
            &Decision::Rejected {
                reason: "重复".into(),
            },
            date!(2026 - 03 - 04),
            by,
        )
        .await
        .expect_err("final");
        assert!(err.to_string().contains("no longer pending"), "{err}");
        drop(tx);
        let raw = on_db!(&db, |p| {
            sqlx::query("UPDATE online_submission SET status = 'pending', decided_on = NULL, decided_by = NULL, application_id = NULL WHERE id = $1")
            .bind(s1.id)
            .execute(p)
            .await
            .map(|_| ())
        });
        assert!(raw.is_err(), "a decided submission changed");
        let raw = on_db!(&db, |p| {
            sqlx::query("DELETE FROM online_submission WHERE id = $1")
                .bind(s2.id)
                .execute(p)
                .await
                .map(|_| ())
        });
        assert!(raw.is_err(), "a submission was deleted");
        // A decision before the submission is refused by the database.
        let mut tx = db.begin().await.expect("begin");
        let err = online::decide(
            &mut tx,
            s2.id,
            &Decision::Rejected {
                reason: "广告".into(),
            },
            date!(2026 - 03 - 01),
            by,
        )
        .await;
        assert!(err.is_err());
        drop(tx);

        let mut tx = db.begin().await.expect("begin");
        let rejected = online::decide(
            &mut tx,
            s2.id,
            &Decision::Rejected {
                reason: "广告".into(),
            },
            date!(2026 - 03 - 02),
            by,
        )
        .await
        .expect("reject");
        tx.commit().await.expect("commit");
        assert_eq!(rejected.reject_reason.as_deref(), Some("广告"));
        let pending = online::list(
            &db,
            &ListFilter {
                agency_id: None,
                status: Some("pending".into()),
            },
        )
        .await
        .expect("list");
        assert!(pending.is_empty());
        assert_eq!(
            online::list(&db, &ListFilter::default())
                .await
                .expect("all")
                .len(),
            2
        );
    }
);

db_test!(
    a_reissued_code_replaces_a_pending_digest_and_is_recorded_for_good,
    |db| async move {
        let a = agency(&db, "甲局", "A1").await;
        let by = clerk(&db).await;
        let s1 = submit(&db, &submission(a, "key-0000000000000001"))
            .await
            .expect("stored");
        let at = datetime!(2026-03-02 02:00 UTC);
        let mut tx = db.begin().await.expect("begin");
        codes::set_submission_code(&mut tx, s1.id, &"1".repeat(64))
            .await
            .expect("pending: replaced");
        codes::record_reissue(
            &mut tx,
            &NewReissue {
                number: &s1.number,
                agency_id: a,
                application_id: None,
                submission_id: Some(s1.id),
                user_id: by,
                actor: "王明",
                at,
            },
        )
        .await
        .expect("recorded");
        tx.commit().await.expect("commit");
        let row = online::find_by_number(&db, &s1.number)
            .await
            .expect("find")
            .expect("found");
        assert_eq!(row.query_code_hash, "1".repeat(64));
        let record = codes::reissues(&db, &s1.number).await.expect("record");
        assert_eq!(record.len(), 1);
        assert_eq!(
            (
                record[0].user_id,
                record[0].actor.as_str(),
                record[0].reissued_at
            ),
            (by, "王明", at)
        );
        assert_eq!(record[0].submission_id, Some(s1.id));

        // A record names the application or the submission, exactly one.
        let mut tx = db.begin().await.expect("begin");
        let err = codes::record_reissue(
            &mut tx,
            &NewReissue {
                number: &s1.number,
                agency_id: a,
                application_id: None,
                submission_id: None,
                user_id: by,
                actor: "王明",
                at,
            },
        )
        .await;
        assert!(err.is_err(), "a record of nothing");
        drop(tx);
        // The record is append-only.
        for sql in [
            "UPDATE query_code_reissue SET actor = 'x'",
            "DELETE FROM query_code_reissue",
        ] {
            let raw = on_db!(&db, |p| { sqlx::query(sql).execute(p).await.map(|_| ()) });
            assert!(raw.is_err(), "{sql}");
        }
        // A decided submission keeps its digest.
        let mut tx = db.begin().await.expect("begin");
        online::decide(
            &mut tx,
            s1.id,
            &Decision::Rejected {
                reason: "广告".into(),
            },
            date!(2026 - 03 - 02),
            by,
        )
        .await
        .expect("reject");
        tx.commit().await.expect("commit");
        let mut tx = db.begin().await.expect("begin");
        let err = codes::set_submission_code(&mut tx, s1.id, &"2".repeat(64))
            .await
            .expect_err("decided");
        assert!(err.to_string().contains("no longer pending"), "{err}");
    }
);
