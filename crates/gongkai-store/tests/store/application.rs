//! Applications and the append-only event log on both backends.

use gongkai_store::repo::agency;
use gongkai_store::repo::application::{self as app, NewApplication, NewEvent, Projection, Scope};
use gongkai_store::{Db, StoreError, db_test, on_db};
use time::macros::date;

use gongkai_store::testing::agency;

fn new_app(agency_id: i64, received_on: time::Date, kind: &str) -> NewApplication {
    NewApplication {
        agency_id,
        number: String::new(),
        received_on,
        channel: "in_person".into(),
        applicant_kind: kind.into(),
        applicant: r#"{"type":"natural_person","name":"张三"}"#.into(),
        request: r#"{"description":"2021年预算"}"#.into(),
        status: "received".into(),
        query_code_hash: "0".repeat(64),
        id_index: None,
    }
}

async fn register(db: &Db, new: &NewApplication) -> app::ApplicationRow {
    let mut tx = db.begin().await.expect("begin");
    let mut new = new.clone();
    new.number = app::next_number(&mut tx, new.received_on)
        .await
        .expect("number");
    let row = app::insert(&mut tx, &new).await.expect("insert");
    tx.commit().await.expect("commit");
    row
}

fn event(kind: &str, on: time::Date) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        occurred_on: on,
        payload: format!(r#"{{"type":"{kind}"}}"#),
        actor: Some("公开专员".into()),
        actor_id: None,
        reason: None,
        corrects_seq: None,
    }
}

db_test!(numbers_run_per_year_of_receipt, |db| async move {
    let a = agency(&db, "甲局", "A1").await;
    let n1 = register(&db, &new_app(a, date!(2021 - 03 - 01), "natural_person")).await;
    let n2 = register(&db, &new_app(a, date!(2021 - 04 - 01), "legal.commercial")).await;
    let n3 = register(&db, &new_app(a, date!(2022 - 01 - 05), "natural_person")).await;
    assert_eq!(n1.number, "2021-000001");
    assert_eq!(n2.number, "2021-000002");
    assert_eq!(n3.number, "2022-000001");
    let found = app::find_by_number(&db, "2021-000002").await.expect("find");
    assert_eq!(found, n2);
    let err = app::find_by_number(&db, "2021-999999")
        .await
        .expect_err("unknown");
    assert!(matches!(err, StoreError::NotFound { .. }));
});

db_test!(event_log_is_append_only, |db| async move {
    let a = agency(&db, "甲局", "A1").await;
    let row = register(&db, &new_app(a, date!(2021 - 09 - 30), "natural_person")).await;
    let mut tx = db.begin().await.expect("begin");
    let e1 = app::append_event(
        &mut tx,
        row.id,
        &event("extension_approved", date!(2021 - 10 - 20)),
    )
    .await
    .expect("append");
    let mut correction = event("correction", date!(2021 - 10 - 21));
    correction.corrects_seq = Some(1);
    let err = app::append_event(&mut tx, row.id, &correction)
        .await
        .expect_err("a correction without a reason is refused");
    assert!(err.to_string().contains("reason"), "{err}");
    correction.reason = Some("日期录入错误".into());
    let e2 = app::append_event(&mut tx, row.id, &correction)
        .await
        .expect("correction");
    tx.commit().await.expect("commit");
    assert_eq!((e1.seq, e2.seq), (1, 2));
    assert_eq!(e2.corrects, Some(e1.id));

    // Neither UPDATE nor DELETE gets through, whoever tries.
    let update = on_db!(&db, |p| sqlx::query(
        "UPDATE application_event SET kind = 'x'"
    )
    .execute(p)
    .await
    .map(|_| ()));
    assert!(
        update
            .expect_err("update refused")
            .to_string()
            .contains("append-only")
    );
    let delete = on_db!(&db, |p| sqlx::query("DELETE FROM application_event")
        .execute(p)
        .await
        .map(|_| ()));
    assert!(
        delete
            .expect_err("delete refused")
            .to_string()
            .contains("append-only")
    );
    let delete = on_db!(&db, |p| sqlx::query("DELETE FROM application")
        .execute(p)
        .await
        .map(|_| ()));
    assert!(delete.is_err(), "applications are never deleted");
    assert_eq!(app::events(&db, row.id).await.expect("events").len(), 2);
});

db_test!(a_rolled_back_transaction_writes_nothing, |db| async move {
    let a = agency(&db, "甲局", "A1").await;
    let row = register(&db, &new_app(a, date!(2021 - 09 - 30), "natural_person")).await;
    let mut tx = db.begin().await.expect("begin");
    app::append_event(&mut tx, row.id, &event("decided", date!(2021 - 10 - 20)))
        .await
        .expect("append");
    app::set_projection(
        &mut tx,
        row.id,
        &Projection {
            status: "decided".into(),
            closed: Some(("granted".into(), date!(2021 - 10 - 20))),
            due_on: None,
        },
    )
    .await
    .expect("projection");
    tx.rollback().await.expect("rollback");
    assert!(app::events(&db, row.id).await.expect("events").is_empty());
    let again = app::find_by_number(&db, &row.number).await.expect("find");
    assert_eq!(again.closed_on, None);
    assert_eq!(again.status, "received");
});

db_test!(
    t3_groups_select_the_year_and_its_carry_over,
    |db| async move {
        let a = agency(&db, "甲局", "A1").await;
        let b = agency(&db, "乙局", "B1").await;
        // received 2020, closed 2021 → carried over into 2021
        let c1 = register(&db, &new_app(a, date!(2020 - 12 - 28), "natural_person")).await;
        // received 2020, closed 2020 → not part of 2021
        let c2 = register(&db, &new_app(a, date!(2020 - 06 - 01), "natural_person")).await;
        // received 2021, open → new and carried forward
        let c3 = register(&db, &new_app(a, date!(2021 - 12 - 30), "legal.research")).await;
        // received 2022 → not part of 2021
        register(&db, &new_app(a, date!(2022 - 01 - 04), "natural_person")).await;
        // another agency
        let c5 = register(&db, &new_app(b, date!(2021 - 05 - 01), "natural_person")).await;
        let mut tx = db.begin().await.expect("begin");
        for (row, day) in [(&c1, date!(2021 - 01 - 15)), (&c2, date!(2020 - 06 - 20))] {
            app::set_projection(
                &mut tx,
                row.id,
                &Projection {
                    status: "decided".into(),
                    closed: Some(("granted".into(), day)),
                    // c1 answered after its due date; c2 (not of 2021) on time.
                    due_on: Some(date!(2020 - 06 - 20).max(day - time::Duration::days(5))),
                },
            )
            .await
            .expect("projection");
        }
        tx.commit().await.expect("commit");

        let groups = app::t3_groups(&db, Scope::Agency(a), 2021)
            .await
            .expect("groups");
        let mut numbers: Vec<String> = groups.iter().flat_map(|g| g.numbers.clone()).collect();
        numbers.sort();
        assert_eq!(numbers, [c1.number.clone(), c3.number.clone()]);
        let carried = groups
            .iter()
            .find(|g| g.numbers == [c1.number.clone()])
            .expect("c1");
        assert!(!carried.received_in_year);
        assert_eq!(carried.outcome.as_deref(), Some("granted"));
        let open = groups
            .iter()
            .find(|g| g.numbers == [c3.number.clone()])
            .expect("c3");
        assert!(open.received_in_year && open.outcome.is_none());
        let province = agency::find_child_region(&db, None, "山东省")
            .await
            .expect("find")
            .expect("some");
        let all: Vec<String> = app::t3_groups(&db, Scope::Region(province.id), 2021)
            .await
            .expect("groups")
            .into_iter()
            .flat_map(|g| g.numbers)
            .collect();
        assert_eq!(all.len(), 3);
        assert!(all.contains(&c5.number));
        // Of 2021's concluded cases (c1 only), one late; c2 was concluded in 2020.
        assert_eq!(
            app::timeliness(&db, province.id, 2021)
                .await
                .expect("timeliness"),
            [app::Timeliness {
                agency_id: a,
                concluded: 1,
                late: 1,
                unknown: 0,
            }]
        );
        let t2020 = app::timeliness(&db, province.id, 2020)
            .await
            .expect("timeliness");
        assert_eq!((t2020[0].concluded, t2020[0].late), (1, 0));
    }
);
